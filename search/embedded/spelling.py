""""Did you mean": unknown words -> the closest indexed words.

The vocabulary holds the folded surface words of the indexed text (not the
stems: a suggestion must be a real word) with their document frequency.
Candidates at one edit are looked up directly (one query); two edits are
searched among the words sharing the first two letters, which is where
typing mistakes leave a word, and keeps the scan to a few hundred words.
"""
from __future__ import annotations

import sqlite3
import string

from search.analysis import tokens

LETTERS = string.ascii_lowercase + string.digits


def suggest(conn: sqlite3.Connection, text: str) -> str | None:
    out, last, changed = [], 0, False
    for token in tokens(text):
        after = text[token.end:token.end + 1]
        if after == ":" or not token.word.isalpha() or _known(conn, token.term):
            continue
        better = closest(conn, token.word)
        if better:
            out.append(text[last:token.start])
            out.append(better)
            last, changed = token.end, True
    if not changed:
        return None
    out.append(text[last:])
    return "".join(out)


def _known(conn, term: str) -> bool:
    return conn.execute("SELECT 1 FROM vocab WHERE term = ? AND freq > 0 LIMIT 1", (term,)).fetchone() is not None


def closest(conn, word: str) -> str | None:
    """The indexed word closest to ``word``: fewest edits (at most 1 for
    words of up to 4 letters, else 2), then the most frequent."""
    near = list(edits1(word))
    best = []
    for start in range(0, len(near), 900):  # SQLite's bound-parameter limit
        chunk = near[start:start + 900]
        best += conn.execute(f"SELECT word, freq FROM vocab WHERE freq > 0 AND word IN "
                             f"({','.join('?' * len(chunk))})", chunk).fetchall()
    if best:
        return min(best, key=lambda row: (-row[1], row[0]))[0]
    if len(word) <= 4:
        return None
    prefix = word[:2]
    rows = conn.execute("SELECT word, freq FROM vocab WHERE word >= ? AND word < ? AND freq > 0 "
                        "AND length(word) BETWEEN ? AND ?",
                        (prefix, prefix + "\uffff", len(word) - 2, len(word) + 2)).fetchall()
    scored = [(distance(word, w, 2), -freq, w) for w, freq in rows]
    scored = [row for row in scored if row[0] <= 2]
    return min(scored)[2] if scored else None


def edits1(word: str) -> set[str]:
    """Every string one edit (Damerau) from ``word``, but ``word``."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    found = {a + b[1:] for a, b in splits if b}
    found |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    found |= {a + c + b[1:] for a, b in splits if b for c in LETTERS}
    found |= {a + c + b for a, b in splits for c in LETTERS}
    found.discard(word)
    return found


def distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance, or limit + 1 as soon as it must exceed limit."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]
