"""Words a typing mistake away: the embedded engine's ``fuzziness: AUTO``.

As Elasticsearch's AUTO: no edit for words of one or two letters, one for
three to five, two beyond; an edit is a letter dropped, added, replaced,
or two neighbours swapped (Damerau). The typed word is compared with the
indexed surface words (the spelling vocabulary), as Elasticsearch does on
its ``spell`` field (search.elastic.dsl), and its stem with the indexed
stems: a mistake in a word's ending can change what a stemmer cuts.

One edit is looked up anywhere in the word, the first letter included
(a kiosk's visitors slip on any key): every word one edit away is
generated and looked up by key, two queries. Two edits cost a scan, so
they are searched only for a word the index does not hold, and only among
the words sharing its first two letters (as the spelling suggestions do),
at most SCAN of them: a few hundred in a catalogue of thousands of works.
"""
from __future__ import annotations

import sqlite3

from search.analysis import Token
from search.embedded.spelling import edits1

# as Elasticsearch's match query: at most this many words per typed word
MAX_EXPANSIONS = 50
_CHUNK = 900  # SQLite's bound-parameter limit, with room to spare
# words compared for two edits at most: bounds the cost in a large vocabulary
SCAN = 1500


def edits_allowed(word: str) -> int:
    """Elasticsearch's AUTO: 0 edits up to 2 letters, 1 up to 5, else 2."""
    return 0 if len(word) <= 2 else 1 if len(word) <= 5 else 2


def expansion(conn: sqlite3.Connection, token: Token) -> tuple[str, ...]:
    """The index terms ``token`` matches fuzzily: its own term first, then
    those of the closest, most frequent indexed words (at most MAX_EXPANSIONS)."""
    allowed = edits_allowed(token.word)
    if not allowed or not token.word.isalpha():  # numbers stay exact
        return (token.term,)
    found: dict[str, tuple[int, int]] = {}  # term -> (edits, -freq), the best seen
    for column, typed in (("word", token.word), ("term", token.term)):
        if column == "term" and (typed == token.word or len(typed) < 3):
            continue
        for word, term, freq in _lookup(conn, column, sorted(edits1(typed))):
            _keep(found, term, 1, freq)
    if allowed >= 2 and not _indexed(conn, token.word):
        for word, term, freq in _two_edits(conn, token.word):
            _keep(found, term, 2, freq)
    found.pop(token.term, None)
    best = sorted(found, key=lambda term: (found[term], term))[:MAX_EXPANSIONS - 1]
    return (token.term, *best)


def _indexed(conn, word: str) -> bool:
    return conn.execute("SELECT 1 FROM vocab WHERE word = ? AND freq > 0", (word,)).fetchone() is not None


def _two_edits(conn, word: str) -> list[tuple[str, str, int]]:
    """The indexed words two edits from ``word`` among those sharing its
    first two letters, the closest lengths first, at most SCAN of them."""
    prefix = word[:2]
    rows = conn.execute(
        "SELECT word, term, freq FROM vocab WHERE word >= ? AND word < ? AND freq > 0 "
        "AND length(word) BETWEEN ? AND ? ORDER BY abs(length(word) - ?) LIMIT ?",
        (prefix, prefix + "\uffff", len(word) - 2, len(word) + 2, len(word), SCAN)).fetchall()
    return [row for row in rows if distance(word, row[0], 2) == 2]


def _lookup(conn, column: str, keys: list[str]) -> list[tuple[str, str, int]]:
    rows = []
    for start in range(0, len(keys), _CHUNK):
        chunk = keys[start:start + _CHUNK]
        rows += conn.execute(f"SELECT word, term, freq FROM vocab WHERE freq > 0 AND {column} IN "
                             f"({','.join('?' * len(chunk))})", chunk).fetchall()
    return rows


def _keep(found: dict, term: str, edits: int, freq: int) -> None:
    key = (edits, -freq)
    if term not in found or key < found[term]:
        found[term] = key


def distance(a: str, b: str, limit: int) -> int:
    """Edits from ``a`` to ``b``, a swap of neighbours counting one (optimal
    string alignment, as Lucene's automata), or limit + 1 once it must exceed it."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    before, previous = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            cost = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if before is not None and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cost = min(cost, before[j - 2] + 1)
            current.append(cost)
        if min(current) > limit:
            return limit + 1
        before, previous = previous, current
    return previous[-1]
