"""A parsed query (search.query) -> an FTS5 MATCH expression over the
analysed columns (store.COLUMNS)."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from search.analysis import Token, terms, tokens
from search.embedded.rows import facet_token
from search.engine import FACETS
from search.query import Query

UNFIELDED = "{title authors subjects publisher series body}"
FIELD_COLUMNS = {"title": "title", "author": "authors", "subject": "subjects", "publisher": "publisher",
                 "series": "series", "isbn": "isbn"}


NOTHING = ""
# a word's token -> the terms it matches fuzzily, its own first (fuzzy.expansion)
Expand = Callable[[Token], tuple[str, ...]]


@dataclass(frozen=True)
class Part:
    """One ANDed part of a query: its FTS5 expression, and for a single
    term, the dense scope it can be read from instead (dense.py)."""
    fts: str
    scope: str | None = None
    term: str | None = None


def parts(query: Query, *, title_only: bool = False, expand: Expand | None = None) -> list[Part]:
    """The query's ANDed parts; ``title_only``: unfielded words must be in
    the title (the first tier of the ranking of very broad searches);
    ``expand``: unfielded words outside phrases match any of the terms it
    gives (a fuzzy search)."""
    found = []
    for clause in query.clauses:
        columns = FIELD_COLUMNS[clause.field] if clause.field else "title" if title_only else UNFIELDED
        scope = None if clause.field else "title" if title_only else "all"
        if expand is not None and clause.field is None and not clause.phrase:
            for token in (token for word in clause.words for token in tokens(word)):
                near = expand(token)
                quoted = " OR ".join(f'"{term}"' for term in near)
                found.append(Part(f"{columns} : ({quoted})") if len(near) > 1
                             else Part(f'{columns} : "{token.term}"', scope, token.term))
            continue
        if clause.field == "isbn":
            words = [word.lower() for word in clause.words]
        else:
            words = [term for word in clause.words for term in terms(word)]
        if not words:
            continue
        if clause.phrase:
            found.append(Part(f'{columns} : "{" ".join(words)}"'))
        else:
            found.extend(Part(f'{columns} : "{word}"', scope, word) for word in words)
    return found


def concept_part(concept_ids) -> str:
    return "concepts : (" + " OR ".join(f"c{int(c)}" for c in concept_ids) + ")" if concept_ids else ""


def expression(query: Query, concept_ids=(), *, title_only: bool = False, expand: Expand | None = None) -> str | None:
    """The MATCH expression; None to match every document (no words and no
    concepts), NOTHING to match none. ``concept_ids`` match as an
    alternative to the words (never in the title-only tier)."""
    text = " AND ".join(part.fts for part in parts(query, title_only=title_only, expand=expand)) or None
    concepts = "" if title_only else concept_part(concept_ids)
    if concepts:
        return f"({text}) OR {concepts}" if text else concepts
    if text is None and not query.is_empty:
        return NOTHING  # words that analyse to nothing match nothing, not everything
    return text


def highlight_terms(query: Query) -> set[str]:
    return {term for clause in query.clauses if clause.field != "isbn"
            for word in clause.words for term in terms(word)}


def filtered(match: str | None, filters) -> str | None:
    """``match`` narrowed by facet filters (OR within a facet, AND across)."""
    parts = [f"({match})"] if match else []
    for name, values in filters.items():
        if name in FACETS and values:
            parts.append("facets : (" + " OR ".join(facet_token(name, str(v)) for v in values) + ")")
    return " AND ".join(parts) or None
