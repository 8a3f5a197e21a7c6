"""A work's search document from its values: the projection's pure half.

search.projection reads the values from the database; an import's worker
processes (search.embedded.prepared) give those of the works they mapped,
before they are written. Both build the document here, so they cannot
differ. Imports no SQLAlchemy model: the workers start in hundredths of a
second.
"""
from __future__ import annotations

import re
from operator import mul

from catalogue.vocab import ONLINE_TYPES, ItemStatus
from core.text import fold

# On display is on the shelves of the documentation space: a visitor can read it there.
CONSULTABLE = {ItemStatus.AVAILABLE.value, ItemStatus.ON_DISPLAY.value}
# A withdrawn copy has left the collection: it neither holds a place nor makes a work unavailable.
GONE = ItemStatus.WITHDRAWN.value
# Leading articles left out of the title's sort key. Matched before accents are
# folded, so that the French preposition "à" is kept and the English "a" is not.
_ARTICLE = re.compile(r"^(?:(?:le|la|les|un|une|des|du|the|an|a)\s+|l['’]\s*)")
_LEADING = re.compile(r"^[\W_]+")
_ISBN10_WEIGHTS = range(10, 1, -1)


def document(row, contributors: list[str], subjects: list[str], poles: list[str], audiences: list[str],
              items: list[tuple[str, str]], descriptors: list[dict], paths: set[int]) -> dict:
    """The search document (keys: see search.projection.search_documents).
    ``row``: the record's columns in the order of projection._RECORD_COLUMNS;
    ``items``: (library, status) codes of its copies, withdrawn ones included."""
    terms: dict[str, None] = {}  # an ordered set
    for descriptor in descriptors:
        for label in descriptor["labels"]:
            terms.setdefault(label["text"])
    (record_id, title, subtitle, year, document_type, summary, notes, isbn, issn, publisher, series, languages,
     url) = row  # in the order of _RECORD_COLUMNS
    document_type = value_of(document_type)
    held = [(library, status) for library, status in items if status != GONE]
    return {
        "id": record_id, "title": title, "subtitle": subtitle,
        "contributors": contributors, "authors": list(contributors),
        "year": year, "year_range": year_range(year),
        "document_type": document_type, "poles": poles, "audiences": audiences,
        "languages": list(languages or []),
        "summary": summary, "notes": notes, "isbn": isbn, "isbns": isbn_forms(isbn),
        "issn": issn, "publisher": publisher, "series": series,
        "libraries": sorted({library for library, _ in held}),
        "availability": availability([status for _, status in held], document_type, url),
        "title_sort": title_sort(title),
        "subjects": subjects,
        "descriptors": descriptors,
        "descriptor_paths": sorted(paths),
        "descriptor_terms": list(terms),
    }


def year_range(year: int | None) -> str | None:
    """The facet value of a publication year: "<1990", then decades ("1990-1999")."""
    if year is None:
        return None
    if year < 1990:
        return "<1990"
    start = year - year % 10
    return f"{start}-{start + 9}"


def isbn_forms(isbn: str | None) -> list[str]:
    """The stored ISBN-13 and, for a 978 one, its ISBN-10: a visitor may type either."""
    if not isbn:
        return []
    if not (len(isbn) == 13 and isbn.isdigit() and isbn.startswith("978")):
        return [isbn]
    # The stored ISBN is already a checked ISBN-13 (catalogue.identifiers):
    # computing the ISBN-10 check digit here is 100 times faster than
    # stdnum's full validation, which a rebuild would run for every record.
    body = isbn[3:12]
    check = (11 - sum(map(mul, _ISBN10_WEIGHTS, map(int, body))) % 11) % 11
    return [isbn, body + ("X" if check == 10 else str(check))]


def title_sort(title: str | None) -> str:
    """The title folded, without its leading article: "Les métiers" sorts under M."""
    text = _LEADING.sub("", (title or "").casefold())
    return fold(_ARTICLE.sub("", text, count=1))


def availability(statuses: list[str], document_type: str, url: str | None) -> str:
    """A work's availability in the facet's terms, from the statuses of its
    copies still in the collection (codes). A website with its address is
    read online, whatever its copies: those are bookmarks on the kiosks, not
    something to fetch from a shelf. Any work with an address and no copy
    is online too."""
    if url and document_type in ONLINE_TYPES:
        return "online"
    if any(status in CONSULTABLE for status in statuses):
        return "available"
    if statuses:
        return "unavailable"
    return "online" if url else "none"


def value_of(value) -> str:
    """A code, from a vocabulary member or a code."""
    return getattr(value, "value", value)
