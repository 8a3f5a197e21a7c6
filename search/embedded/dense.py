"""Dense postings: the documents of the most frequent terms, stored as bitsets.

FTS5 hands a term's documents to Python as text (``group_concat(rowid)``),
about half a microsecond per document to read, split and pack: 8 ms for a
word in one record out of six at 100,000 records, and a broad word is what
visitors type most ("formation", "history"). Its bitset, read from this
table, costs a few microseconds whatever its size. It is the dense
container of compressed bitmap indexes (Roaring) without the library.

A term is dense in a scope (the unfielded columns, the title, the concept
ids) when it is in at least ``threshold`` documents at the last rebuild.
Later writes keep every stored bitset exact (``update``); a term that
becomes frequent afterwards is read from FTS5 until the next rebuild, which
gives the same documents, more slowly.
"""
from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Mapping

from search.embedded import facets as bits

THRESHOLD = 1_000

# scope -> its columns of the FTS table (store.COLUMNS), as FTS5 writes a column filter
SCOPES = {
    "all": ("title", "authors", "subjects", "publisher", "series", "body"),
    "title": ("title",),
    "concepts": ("concepts",),
}


def column_filter(scope: str) -> str:
    return "{" + " ".join(SCOPES[scope]) + "}"


def to_blob(members: int) -> bytes:
    return members.to_bytes((members.bit_length() + 7) // 8, "little")


def from_blob(blob: bytes) -> int:
    return int.from_bytes(blob, "little")


def build(conn: sqlite3.Connection, frequencies: Mapping[str, Mapping[str, int]],
          threshold: int = THRESHOLD) -> int:
    """Store the bitsets of the terms that may be in ``threshold`` documents
    or more (``conn``: a new generation in autocommit, as rebuild has it).
    ``frequencies``: scope -> term -> an upper bound of its document count
    ("title" may be left out: it is bounded by "all").
    Returns how many bitsets were stored."""
    candidates = [(scope, term) for scope, counts in frequencies.items()
                  for term, freq in counts.items() if freq >= threshold and _plain(term)]
    if "title" not in frequencies:
        candidates += [("title", term) for scope, term in candidates if scope == "all"]
    stored = 0
    conn.execute("BEGIN")
    for scope, term in candidates:
        members = _from_fts(conn, scope, term)
        if members.bit_count() >= threshold:
            conn.execute("INSERT OR REPLACE INTO dense VALUES (?, ?, ?)", (scope, term, to_blob(members)))
            stored += 1
    conn.execute("COMMIT")
    return stored


def frequencies(conn: sqlite3.Connection, vocab: Iterable[tuple[str, int]]) -> dict[str, dict[str, int]]:
    """Upper bounds of document counts for build(): per term, the summed
    counts of the words analysed to it (``vocab``: (term, count) pairs);
    per concept id, counted in the FTS table."""
    terms: dict[str, int] = defaultdict(int)
    for term, count in vocab:
        terms[term] += count
    concepts: dict[str, int] = defaultdict(int)
    for (text,) in conn.execute("SELECT concepts FROM fts WHERE concepts != ''"):
        for token in set(text.split()):
            concepts[token] += 1
    return {"all": terms, "concepts": concepts}


def lookup(conn: sqlite3.Connection, scope: str, term: str) -> int | None:
    """The term's documents in ``scope``, or None when it is not dense."""
    try:
        row = conn.execute("SELECT bits FROM dense WHERE scope = ? AND term = ?", (scope, term)).fetchone()
    except sqlite3.OperationalError:  # an index written before dense postings existed
        return None
    return from_blob(row[0]) if row else None


def update(conn: sqlite3.Connection, changes: Iterable[tuple[int, Mapping[str, str], Mapping[str, str]]]) -> None:
    """Keep stored bitsets exact across writes. ``changes``: (doc id, its
    columns before, after), each column name -> analysed text ({} for a
    document that did not exist, or no longer does)."""
    try:
        dense = {(scope, term) for scope, term in conn.execute("SELECT scope, term FROM dense")}
    except sqlite3.OperationalError:
        return
    if not dense:
        return
    flips: dict[tuple[str, str], list[tuple[int, bool]]] = defaultdict(list)
    for doc_id, before, after in changes:
        for scope, columns in SCOPES.items():
            old, new = _terms(before, columns), _terms(after, columns)
            for term in old ^ new:
                if (scope, term) in dense:
                    flips[scope, term].append((doc_id, term in new))
    for (scope, term), moves in flips.items():
        (blob,) = conn.execute("SELECT bits FROM dense WHERE scope = ? AND term = ?", (scope, term)).fetchone()
        members = from_blob(blob)
        for doc_id, present in moves:
            members = members | (1 << doc_id) if present else members & ~(1 << doc_id)
        conn.execute("UPDATE dense SET bits = ? WHERE scope = ? AND term = ?", (to_blob(members), scope, term))


def ids_set(conn: sqlite3.Connection, match: str) -> int:
    """The documents of an FTS5 MATCH expression, as a bitset."""
    found = conn.execute("SELECT group_concat(rowid) FROM fts WHERE fts MATCH ?", (match,)).fetchone()[0]
    return bits.from_ids(list(map(int, found.split(",")))) if found else 0


def _from_fts(conn: sqlite3.Connection, scope: str, term: str) -> int:
    return ids_set(conn, f'{column_filter(scope)} : "{term}"')


def _terms(columns_text: Mapping[str, str], columns: tuple[str, ...]) -> set[str]:
    return {term for column in columns for term in (columns_text.get(column) or "").split()}


def _plain(term: str) -> bool:
    """A term FTS5 reads as one token (dense lookups are by the exact token)."""
    return term.isalnum() and term == term.lower()
