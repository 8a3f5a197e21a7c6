"""Searching the catalogue: the rules around the engine, the same for every engine.

The engine matches words; the service adds what the application knows:

- the thesaurus: when the whole query names a concept (a preferred or entry
  term, any language, accents and case ignored: "VAE"), the works indexed
  with it or any narrower concept match too, whatever their words. A
  deprecated concept leads to its replacement. This happens here, with the
  concept ids in the documents, so it is the same on every engine and
  follows thesaurus edits at once;
- a portal's base filter (always applied) and boost;
- a fuzzy fallback: when the words find nothing (fewer than FUZZY_BELOW
  works), the engine searches again letting each word be a typing mistake
  away (SearchRequest.fuzzy), every exact match still ranked first;
- "did you mean" when the words find nothing exactly, offered only if it
  finds something;
- the anonymous observatory counts (search.stats).

Like every service it takes a session, flushes and never commits.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

from sqlalchemy import bindparam, select, union_all
from sqlalchemy.orm import Session

from core.db import utcnow
from core.lru import LRU, MISSING
from core.text import fold
from search.engine import FILTERS, SORTS, Completion, SearchRequest, SearchResult
from search.query import parse
from search.stats import SearchEvent, normalise, record_search
from thesaurus.models import Concept, ConceptLabel
from thesaurus.services import changes
from thesaurus.services.lookup import autocomplete
from thesaurus.vocab import ConceptStatus

MAX_SIZE = 100
# Exact matching "finds little" below this many works: then close spellings
# are searched too. A query with a typing mistake finds nothing, its words
# being ANDed; at 1, a search finding anything exactly never pays for the
# fallback (at 3, half of the exact title searches of bench/typos.py did,
# three times slower, for no work more found).
FUZZY_BELOW = 1
# Words that French (and English) labels carry and visitors leave out:
# "creation entreprise" names the concept "Création d'entreprise".
_ELISION = re.compile(r"\b(?:[ldjnmtsc]|qu)'")
_STOPWORDS = frozenset("de des du la le les l d et en a au aux pour un une of the and for".split())
_LOOSE_CANDIDATES = 200
NOTHING = "\u2205"  # a facet value no document holds: the filter that finds nothing

# Built once: every search with words asks for the concepts it names, and
# building the statements cost more than running them.
_CONCEPT_COLUMNS = (Concept.pref_label_fr, Concept.status, Concept.replaced_by_id)
_LABELLED = (select(ConceptLabel.concept_id, ConceptLabel.key, *_CONCEPT_COLUMNS)
             .join_from(ConceptLabel, Concept))
# One statement: the labels equal to the key, and the candidates for a loose match.
_NAMED = union_all(
    _LABELLED.where(ConceptLabel.key == bindparam("key")),
    select(_LABELLED.where(ConceptLabel.key >= bindparam("first"), ConceptLabel.key < bindparam("past"))
           .limit(_LOOSE_CANDIDATES).subquery()))
_CONCEPTS = select(Concept.id, *_CONCEPT_COLUMNS).where(Concept.id.in_(bindparam("ids", expanding=True)))


@dataclass(frozen=True)
class ConceptRef:
    id: int
    label: str  # the French preferred label


@dataclass(frozen=True)
class SearchPage:
    """A page of results, and what the service added around them."""
    result: SearchResult
    text: str
    page: int
    size: int
    sort: str
    filters: dict[str, list[str]]              # as applied: the visitor's, within the portal's
    suggestion: str | None = None              # "did you mean", when nothing was found
    concepts: list[ConceptRef] = field(default_factory=list)  # the thesaurus expansion

    @property
    def approximate(self) -> int:
        """How many of the works found match only through a close spelling
        (they come after the exact ones; the page says so)."""
        exact = self.result.exact
        return 0 if exact is None else self.result.total - exact


class SearchService:
    """``recorder`` receives each search for the observatory; by default it
    is written in ``session``. The web passes one writing in a short
    transaction of its own, so that a visitor's read-only request never
    waits for, or fails on, the database's write lock.

    ``names`` keeps the concepts each query names, under the concepts'
    names' change token (thesaurus.services.changes): the web passes one per
    process, so a popular search reads no thesaurus row at all.

    ``fuzzy_below``: the fuzzy fallback runs when the words find fewer works
    than this (0: never, as measured by bench/typos.py's "before")."""

    def __init__(self, session: Session, engine, *, clock=utcnow,
                 recorder: Callable[[SearchEvent], None] | None = None, names: LRU | None = None,
                 fuzzy_below: int = FUZZY_BELOW):
        self.session = session
        self.engine = engine
        self.clock = clock
        self.recorder = recorder or (lambda event: record_search(session, event))
        self.names = names
        self.fuzzy_below = fuzzy_below

    def search(self, text: str | None, *, filters: Mapping[str, Sequence[str]] | None = None,
               sort: str = "relevance", page: int = 1, size: int = 20, portal=None,
               record_stats: bool = True, concept_ids: Sequence[int] = ()) -> SearchPage:
        """Search ``text`` (the query language of search.query). ``filters``:
        facet -> values (unknown facets ignored). ``portal``: a search.models.
        Portal whose base filter and boost apply. ``concept_ids``: works
        indexed with these concepts (or narrower ones) match too, as for a
        query naming them ("works on the same subjects")."""
        text = (text or "").strip()
        sort = sort if sort in SORTS else "relevance"
        page, size = max(1, page), max(1, min(size, MAX_SIZE))
        base = _facet_map(portal.base_filter if portal is not None else {})
        applied = _within(_facet_map(filters or {}), base)
        query = parse(text)
        concepts = self.concepts_named(query.text_for_thesaurus()) if not query.is_empty else []
        request = SearchRequest(query=query, filters=applied,
                                concept_ids=sorted({c.id for c in concepts} | set(concept_ids)),
                                boost=_facet_map(portal.boost if portal is not None else {}),
                                sort=sort, page=page, size=size)
        result = self.engine.search(request)
        exact = result.total
        if exact < self.fuzzy_below and _has_words(query):
            near = self.engine.search(replace(request, fuzzy=True))
            if near.total > exact:
                result = near
        result = _inside(result, base)
        suggestion = self._suggestion(text, applied) if exact == 0 and text else None
        if record_stats:
            self.recorder(SearchEvent(
                day=self.clock().date(), portal=portal.slug if portal is not None else "",
                pole=_pole(portal, applied), query=normalise(text), found=result.total > 0))
        return SearchPage(result, text, page, size, sort, applied, suggestion, concepts)

    def complete(self, prefix: str | None, *, size: int = 8) -> list[Completion]:
        """Titles, authors and concepts starting with ``prefix`` (concepts
        first, at most a third of the list: they lead to whole subjects)."""
        prefix = (prefix or "").strip()
        if not prefix:
            return []
        size = max(1, min(size, 20))
        concepts = [Completion("concept", m.label, concept_id=m.concept_id, pref_label=m.pref_label)
                    for m in autocomplete(self.session, prefix, limit=max(1, size // 3))]
        works = [Completion(c.kind, c.text, record_id=c.record_id)
                 for c in self.engine.complete(prefix, size=size - len(concepts))]
        return concepts + works

    def concepts_named(self, text: str) -> list[ConceptRef]:
        """The concepts one of whose labels is ``text`` (folded: case, accents
        and spacing ignored; failing that, also elisions and small words
        such as "de"), deprecated ones replaced by their replacement."""
        key = fold(text)
        if not key:
            return []
        token = changes.names_token(self.session) if self.names is not None else None
        if token is None:
            return self._named(key)
        found = self.names.lookup((token, key))
        if found is MISSING:
            found = tuple(self._named(key))
            self.names.store((token, key), found)
        return list(found)

    def _named(self, key: str) -> list[ConceptRef]:
        loose = _loose(key)
        # The loose candidates: a range scan on the indexed key, as thesaurus
        # autocomplete does, over the labels sharing the query's first
        # letters; an empty range when only small words were typed.
        first = key[:3] if loose else ""
        labels = self.session.execute(_NAMED, {"key": key, "first": first,
                                               "past": first + "\uffff" if first else ""}).all()
        named = [row for row in labels if row.key == key]
        if not named and loose:
            named = [row for row in labels if _loose(row.key) == loose]
        return self._current([(row.concept_id, row.pref_label_fr, row.status, row.replaced_by_id)
                              for row in named])

    def _current(self, rows: list[tuple]) -> list[ConceptRef]:
        """``rows``: (id, French label, status, replaced by) of the concepts named."""
        found: dict[int, ConceptRef] = {}
        for _ in range(5):  # a replacement may itself be deprecated: follow a few steps
            replacements = set()
            for concept_id, label, status, replaced_by in rows:
                if status != ConceptStatus.DEPRECATED:
                    found[concept_id] = ConceptRef(concept_id, label)
                elif replaced_by is not None and replaced_by not in found:
                    replacements.add(replaced_by)
            if not replacements:
                break
            rows = self.session.execute(_CONCEPTS, {"ids": sorted(replacements)}).all()
        return sorted(found.values(), key=lambda c: (c.label, c.id))

    def _suggestion(self, text: str, filters: dict[str, list[str]]) -> str | None:
        suggestion = self.engine.spelling(text)
        if not suggestion or fold(suggestion) == fold(text):
            return None
        # Offer it only if it finds something where the visitor is searching.
        query = parse(suggestion)
        concepts = self.concepts_named(query.text_for_thesaurus())
        check = self.engine.search(SearchRequest(query=query, filters=filters,
                                                 concept_ids=[c.id for c in concepts], size=1, facets=(),
                                                 highlight=False))
        return suggestion if check.total else None


def _facet_map(values: Mapping) -> dict[str, list[str]]:
    """Known facets (and the "concept" filter: ids) only, each a list of
    distinct non-empty strings."""
    clean = {}
    for facet, chosen in (values or {}).items():
        if facet not in FILTERS:
            continue
        chosen = [chosen] if isinstance(chosen, str) else list(chosen or ())
        chosen = list(dict.fromkeys(str(v) for v in chosen if v not in (None, "")))
        if facet == "concept":
            chosen = [v for v in chosen if v.isdigit()]
        if chosen:
            clean[facet] = chosen
    return clean


def _within(filters: dict[str, list[str]], base: dict[str, list[str]]) -> dict[str, list[str]]:
    """The visitor's filters inside the portal's: both must hold, and the
    engine ORs values within a facet, so a facet both name keeps the values
    they share (none shared: nothing can be found, and nothing is)."""
    applied = dict(filters)
    for facet, values in base.items():
        applied[facet] = [v for v in applied[facet] if v in values] if facet in applied else list(values)
        if not applied[facet]:
            applied[facet] = [NOTHING]
    return applied


def _inside(result: SearchResult, base: dict[str, list[str]]) -> SearchResult:
    """Facet counts leave out the facet's own filter (multi-select facets);
    a portal's base filter is not the visitor's choice to undo, so its
    facets show only the values inside the portal."""
    if not base:
        return result
    facets = {name: [v for v in values if name not in base or v.value in base[name]]
              for name, values in result.facets.items()}
    return replace(result, facets=facets)


def _has_words(query) -> bool:
    """Words a fuzzy search would match differently: unfielded, outside phrases."""
    return any(clause.field is None and not clause.phrase for clause in query.clauses)


def _pole(portal, filters: dict[str, list[str]]) -> str:
    """The pole a search is counted under: its portal's, else the one pole chosen."""
    if portal is not None and portal.pole is not None:
        return getattr(portal.pole, "value", portal.pole)
    poles = filters.get("pole", [])
    return poles[0] if len(poles) == 1 else ""


@lru_cache(maxsize=4096)  # the loose scan compares up to 200 labels, the same ones again and again
def _loose(key: str) -> str:
    words = _ELISION.sub(" ", key).replace("-", " ").split()
    return " ".join(w for w in words if w not in _STOPWORDS)


__all__ = ["Completion", "ConceptRef", "SearchPage", "SearchService"]
