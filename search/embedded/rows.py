"""A search document (search.projection) -> the embedded index's rows.

Text is analysed here, in Python (search.analysis), and FTS5 only splits
the analysed terms on spaces: FTS5 has no French stemmer, and this way the
query side uses the very same function.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache

from stdnum import isbn as _isbn

from core.text import fold
from search.analysis import analyse, analyse_fields, analyse_repeated
from search.engine import FACET_KEYS

# Put between two values of one field (two subjects, say) so that a phrase
# cannot match across them, as Elasticsearch's position_increment_gap does.
# Analysed terms are ASCII-folded: no query term can ever be an accented letter.
GAP = "é"
# json.dumps builds an encoder per call when given separators
_FACETS_JSON = json.JSONEncoder(separators=(",", ":")).encode


@dataclass
class Rows:
    id: int
    fts: tuple[str, ...]     # one analysed string per store.COLUMNS
    doc: tuple               # docs row: id, title, summary, year, title_sort, facets, words
    words: dict[str, str]    # folded surface word -> term (the spelling vocabulary)
    completions: list[tuple[str, str, str, int]]  # key, kind, text, record_id


class Analyser:
    """Turns documents into rows."""

    def rows(self, document: dict) -> Rows:
        words: dict[str, str] = {}
        facets = {name: values(document.get(key)) for name, key in FACET_KEYS.items()}
        doc_id = int(document["id"])
        title = " ".join(filter(None, (document.get("title"), document.get("subtitle"))))
        authors = document.get("authors") or document.get("contributors") or []
        subjects = [*(document.get("subjects") or []), *(document.get("descriptor_terms") or [])]
        body = [document.get("summary"), document.get("notes")]
        fields = [[title], authors, subjects, [document.get("publisher")], [document.get("series")], body]
        analysed = analyse_fields(fields, GAP)
        if analysed is None:
            # titles and notes rarely repeat: caching them would only push out the rest
            text = [_text(field, words, analyse if at in (0, 5) else analyse_repeated)
                    for at, field in enumerate(fields)]
        else:
            text, words = analysed
        fts = (
            *text,
            " ".join(isbn_terms(document)),
            " ".join(f"c{int(c)}" for c in document.get("descriptor_paths") or ()),
            " ".join(facet_token(name, value) for name, vs in facets.items() for value in vs),
        )
        title_sort = document.get("title_sort") or fold(document.get("title") or "")
        doc = (doc_id, document.get("title") or "", document.get("summary"), document.get("year"),
               title_sort, _FACETS_JSON(facets), " ".join(words))
        completions = []
        if document.get("title"):
            # the sort title too, so "guide" completes "Le guide du routard"
            keys = dict.fromkeys((fold(document["title"]), title_sort))
            completions = [(key, "title", document["title"], doc_id) for key in keys if key]
        completions += [(_fold_name(name), "author", name, doc_id) for name in dict.fromkeys(authors) if name]
        return Rows(doc_id, fts, doc, words, completions)


def _text(parts, words: dict[str, str], analyse) -> str:
    out = []
    for part in parts:
        if not part:
            continue
        if out:
            out.append(GAP)
        text, pairs = analyse(part)
        out.append(text)
        words.update(pairs)
    return " ".join(out)


# names and facet values repeat from record to record
_fold_name = lru_cache(maxsize=1 << 14)(fold)


@lru_cache(maxsize=1 << 14)
def facet_token(name: str, value: str) -> str:
    """An FTS token standing for one facet value (values hold any character)."""
    return "f" + hashlib.blake2b(f"{name}\0{value}".encode(), digest_size=8).hexdigest()


def values(value) -> list[str]:
    """A facet's values in a document: a list, one value, or none."""
    if value is None:
        return []
    if isinstance(value, (list, tuple, set)):
        return sorted({str(v) for v in value if v is not None and v != ""})
    return [str(value)] if value != "" else []


def isbn_terms(document: dict) -> list[str]:
    """Every form of the document's ISBNs, digits only: the query side
    turns any ISBN into its ISBN-13, the ISBN-10 forms serve isbn:0-...-X
    typed with a wrong checksum kept as typed."""
    found = dict.fromkeys(v.replace("-", "").replace(" ", "").lower()
                          for v in [document.get("isbn"), *(document.get("isbns") or [])] if v)
    if any(len(v) == 13 for v in found):  # the projection gives both forms
        return list(found)
    for value in [v for v in found if len(v) == 10]:
        try:
            found.setdefault(_isbn.compact(_isbn.to_isbn13(value)).lower())
        except Exception:  # not a valid ISBN: keep it as it is
            pass
    return list(found)
