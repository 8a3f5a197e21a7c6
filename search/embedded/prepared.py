"""The embedded index's rows of new works, analysed by an import's workers.

An import's worker processes hold every value of the works they map, so
they analyse their search documents there (``analyse``), while the main
process writes the records; the drain that follows (search.indexer) then
loads these rows instead of reading the works back from the database and
analysing them again. The rows wait under the record's position in the file
until the main process knows its id (``rows``).

The document is built by search.documents from the values the record is
written with, as the projection builds it from the values read back; only
new works without descriptors are analysed here (the importer checks what
the writing changed: a copy left to another work, a heading mapped to a
concept), and a row the drain cannot trust (its work changed since) is
read back as before. Imports no SQLAlchemy model: the workers start fast.

Off by default (no analyser is registered, search/__init__.py): on 2 CPUs
the import's workers are its bottleneck, and analysing there costs them
more than the drain saves (bench/README.md).
"""
from __future__ import annotations

import pickle

from catalogue.vocab import weeded
from search.documents import document, value_of
from search.embedded.rows import Analyser

ANALYSE = f"{__name__}.analyse"  # what the import's workers run (core.outbox.analyser)
# the values of a new work, in the order of projection._RECORD_COLUMNS (after the id)
COLUMNS = ("title", "subtitle", "year", "document_type", "summary", "notes", "isbn", "issn", "publisher", "series",
           "languages", "url")


def new_work_document(values: dict, record_id: int = 0) -> dict | None:
    """The search document of a new work from its values: COLUMNS, and
    contributors (names, in order), subjects (headings, in order), poles and
    audiences (codes), items ((library, status) of its copies). None if it
    would be out of the public catalogue (weeded)."""
    items = [(value_of(library), value_of(status)) for library, status in values["items"]]
    if weeded([status for _, status in items], value_of(values["document_type"])):
        return None
    row = (record_id, *(values[name] for name in COLUMNS))
    return document(row, list(values["contributors"]), list(values["subjects"]),
                    sorted(map(value_of, values["poles"])), sorted(map(value_of, values["audiences"])),
                    items, [], set())


def analyse(works: list[tuple[int, dict]]) -> bytes:
    """In a worker: the rows of new works given as (position, values),
    pickled; a work out of the public catalogue has none."""
    analyser = Analyser()
    out, words = [], {}
    for position, values in works:
        found = new_work_document(values)
        if found is not None:
            rows = analyser.rows(found)
            out.append((position, rows.fts, rows.doc, rows.completions))
            words.update(rows.words)
    # The batch's words once (a word maps to one term whatever the document):
    # each document's would be most of what crosses to the main process.
    return pickle.dumps((out, words), protocol=pickle.HIGHEST_PROTOCOL)


def rows(blob: bytes, ids: dict[int, int]) -> tuple[list[tuple], list[tuple], list[tuple], dict[str, str]]:
    """The rows (as build.analyse gives them) of the works of ``blob`` whose
    position ``ids`` maps to their record id; the others are left out (their
    words may stay in the last value: only the docs rows' words are counted)."""
    analysed, words = pickle.loads(blob)
    fts, docs, completions = [], [], []
    for position, text, doc, completing in analysed:
        record_id = ids.get(position)
        if record_id is None:
            continue
        fts.append((record_id, *text))
        docs.append((record_id, *doc[1:]))
        completions += [(key, kind, value, record_id) for key, kind, value, _ in completing]
    return fts, docs, completions, words
