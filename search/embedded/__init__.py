"""The embedded search engine: SQLite FTS5 in its own file, French analysis
in Python, facets and sorts from an in-memory snapshot (facets.py).

No service to run. Safe for several threads and processes: readers use
WAL snapshots and never lock; writers serialise on a file lock (store.py).
"""
from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from html import escape

from core.config import SEARCH_CACHE_SIZE, SQLITE_BUSY_TIMEOUT_MS
from core.text import fold
from search.analysis import tokens
from search.embedded import build, dense, fuzzy, spelling
from search.embedded.cache import MISSING, ResultCache
from search.embedded.facets import Snapshot
from search.embedded.matching import highlight_terms
from search.embedded.searching import RANK_LIMIT, evaluate
from search.embedded.store import COLUMNS, Store
from search.engine import SORTS, Completion, Hit, SearchRequest, SearchResult

# changes kept for readers in other processes; one further behind reloads everything
CHANGES_KEPT = 50_000
# more changed documents than this: reloading the snapshot is cheaper than replaying
REPLAY_LIMIT = 5_000
# what the in-memory snapshot (facets.py) holds of each document
_SNAPSHOT_ROWS = ("SELECT d.id, d.facets, d.year, d.title_sort, length(f.title) "
                  "FROM docs d JOIN fts f ON f.rowid = d.id")


class EmbeddedEngine:
    name = "embedded"

    def __init__(self, path, *, busy_timeout_ms: int = SQLITE_BUSY_TIMEOUT_MS, cache_size: int = SEARCH_CACHE_SIZE,
                 dense_threshold: int = dense.THRESHOLD, rank_limit: int = RANK_LIMIT):
        self.store = Store(path, busy_timeout_ms=busy_timeout_ms)
        # tests lower both to take the paths of a large collection on a small one
        self.dense_threshold = dense_threshold
        self.rank_limit = rank_limit
        self._lock = threading.Lock()
        self._swept = False
        self._snapshot: Snapshot | None = None
        # Answers to recent searches, valid for one state of the index (its
        # generation and change sequence): kiosks and the web ask the same
        # popular questions again and again, as Solr's queryResultCache knows.
        self._cache = ResultCache(cache_size)

    # -- writing --------------------------------------------------------------
    def ensure_ready(self) -> None:
        if not self._swept:
            # Once per process: what a rebuild killed midway left (never waiting
            # for a writer: one at work may be that very rebuild).
            with self.store.write_lock(wait=False) as held:
                if held:
                    self.store.sweep()
                    self._swept = True
        if self.store.target() is not None:
            return
        with self.store.write_lock():
            if self.store.target() is None:
                self.store.publish(*self.store.new_generation())

    def index(self, documents: Sequence[dict]) -> None:
        if not documents:
            return
        # The last copy of a document given twice wins, as if indexed one after the other.
        documents = list({int(document["id"]): document for document in documents}.values())
        fts, docs, completions, terms = build.analyse(documents)  # the rebuild's analysis and rows
        with self.store.writing() as conn:
            ids = [row[0] for row in fts]
            # Only documents already indexed have rows to remove (an import's are new): one query.
            known = {row[0] for part in range(0, len(ids), 500) for row in conn.execute(
                f"SELECT id FROM docs WHERE id IN ({','.join('?' * len(ids[part:part + 500]))})",
                ids[part:part + 500])}
            changes = [(row[0], _columns(conn, row[0]) if row[0] in known else {}, dict(zip(COLUMNS, row[1:])))
                       for row in fts]
            for doc_id in known:
                _remove(conn, doc_id)
            conn.executemany(build.FTS_INSERT, fts)
            conn.executemany("INSERT INTO docs VALUES (?, ?, ?, ?, ?, ?, ?)", docs)
            conn.executemany("INSERT INTO completions VALUES (?, ?, ?, ?)", completions)
            conn.executemany("INSERT INTO vocab VALUES (?, ?, ?) ON CONFLICT (word) DO UPDATE "
                             "SET freq = freq + excluded.freq", build.vocabulary(docs, terms))
            dense.update(conn, changes)
            _log_changes(conn, ids)

    def delete(self, ids: Sequence[int]) -> None:
        if not ids:
            return
        with self.store.writing() as conn:
            changes = [(int(doc_id), _columns(conn, int(doc_id)), {}) for doc_id in ids]
            for doc_id in ids:
                _remove(conn, int(doc_id))
            dense.update(conn, changes)
            _log_changes(conn, [int(i) for i in ids])

    def rebuild(self, documents: Iterable[dict], *, analysed: Iterable[tuple] = ()) -> int:
        """``analysed``: batches of rows analysed ahead (build.analyse's
        values, search.embedded.prepared), loaded with the documents."""
        with self.store.write_lock():
            self.store.sweep()
            file, conn = self.store.new_generation()
            try:
                count, vocab = build.load(conn, file, documents, analysed=analysed)
                dense.build(conn, dense.frequencies(conn, vocab.values()), self.dense_threshold)
                self.store.publish(file, conn)
            except BaseException:
                conn.close()
                file.unlink(missing_ok=True)
                raise
        return count

    # -- reading --------------------------------------------------------------
    def search(self, request: SearchRequest) -> SearchResult:
        if request.sort not in SORTS:
            raise ValueError(f"unknown sort {request.sort!r}: one of {', '.join(SORTS)}")
        conn = self.store.connection()
        conn.execute("BEGIN")  # one read snapshot for the whole search
        try:
            with self._lock:
                snapshot = self._refresh(conn)
                state = (snapshot.generation, snapshot.seq)
            cached = self._cache.get(state, request)
            if cached is not None:
                return cached
            near: dict = {}  # token -> its fuzzy expansion, each looked up once per search
            expand = ((lambda token: near.get(token) or near.setdefault(token, fuzzy.expansion(conn, token)))
                      if request.fuzzy else None)
            found, facets, page, exact = evaluate(conn, snapshot, self._lock, request, self.rank_limit, expand)
            docs = {row[0]: row for row in conn.execute(
                f"SELECT id, title, summary FROM docs WHERE id IN ({','.join('?' * len(page))})",
                [doc_id for doc_id, _ in page])} if page else {}
        finally:
            conn.execute("COMMIT")
        wanted = highlight_terms(request.query) if request.highlight else set()
        if wanted and near:
            wanted |= {term for terms in near.values() for term in terms}  # the close spellings found
        skipped = (max(request.page, 1) - 1) * request.size
        exact_on_page = len(page) if exact is None else max(0, min(len(page), exact - skipped))
        hits = [Hit(doc_id, score, docs[doc_id][1], _highlight(docs[doc_id], wanted), fuzzy=at >= exact_on_page)
                for at, (doc_id, score) in enumerate(page) if doc_id in docs]
        result = SearchResult(found, hits, facets, exact)
        self._cache.put(state, request, result)
        return result

    def complete(self, prefix: str, *, size: int = 8) -> list[Completion]:
        key = fold(prefix or "")
        if not key or size <= 0:
            return []
        conn = self.store.connection()
        # the range scan is capped: a one-letter prefix must not read every title
        rows = conn.execute(
            "SELECT kind, text, min(record_id), count(*) AS n, min(key) FROM "
            "(SELECT * FROM completions WHERE key >= ? AND key < ? LIMIT 5000) "
            "GROUP BY kind, text ORDER BY n DESC, min(key), kind LIMIT ?",
            (key, key + "\uffff", size)).fetchall()
        return [Completion(kind, text, record_id if kind == "title" else None)
                for kind, text, record_id, _n, _key in rows]

    def spelling(self, text: str) -> str | None:
        conn = self.store.connection()
        conn.execute("BEGIN")
        try:
            # kept with the answers: a query that finds nothing is asked again as often as the others
            key = (self.store.generation(), conn.execute("SELECT coalesce(max(seq), 0) FROM changes").fetchone()[0],
                   "spelling", text or "")
            found = self._cache.lookup(key)
            if found is MISSING:
                found = spelling.suggest(conn, text or "")
                self._cache.store(key, found)
        finally:
            conn.execute("COMMIT")
        return found

    def count(self) -> int:
        return self.store.connection().execute("SELECT count(*) FROM docs").fetchone()[0]

    def state(self) -> tuple[str, int]:
        """The index's state: its generation and change sequence, as every
        process sees them. Any write changes it; it never comes back. An
        answer computed after reading it is at least as new (search.answers)."""
        conn = self.store.connection()
        seq = conn.execute("SELECT coalesce(max(seq), 0) FROM changes").fetchone()[0]
        return self.store.generation().name, seq

    def warm(self) -> None:
        """Load the facet snapshot (about a second at 100,000 records)."""
        if self.store.target() is None:
            return
        conn = self.store.connection()
        conn.execute("BEGIN")
        try:
            with self._lock:
                self._refresh(conn)
        finally:
            conn.execute("COMMIT")

    def close(self) -> None:
        self.store.close()

    def _refresh(self, conn) -> Snapshot:
        """The snapshot for this read transaction's generation, brought up
        to date with the changes logged since it was loaded."""
        generation = self.store.generation()
        seq, oldest = conn.execute("SELECT coalesce(max(seq), 0), coalesce(min(seq), 1) FROM changes").fetchone()
        snapshot = self._snapshot
        if snapshot is not None and snapshot.generation == generation and snapshot.seq < seq:
            changed = [row[0] for row in conn.execute(
                "SELECT DISTINCT doc_id FROM changes WHERE seq > ? LIMIT ?", (snapshot.seq, REPLAY_LIMIT + 1))]
            if snapshot.seq + 1 < oldest or len(changed) > REPLAY_LIMIT:
                snapshot = None
            else:
                for doc_id in changed:
                    row = conn.execute(f"{_SNAPSHOT_ROWS} WHERE d.id = ?", (doc_id,)).fetchone()
                    snapshot.put(*row) if row else snapshot.remove(doc_id)
                snapshot.seq = seq
        if snapshot is None or snapshot.generation != generation:
            snapshot = Snapshot(generation, seq)
            for row in conn.execute(_SNAPSHOT_ROWS):
                snapshot.put(*row)
        self._snapshot = snapshot
        return snapshot


def _remove(conn, doc_id: int) -> None:
    old = conn.execute("SELECT words FROM docs WHERE id = ?", (doc_id,)).fetchone()
    if old is None:
        return
    conn.executemany("UPDATE vocab SET freq = freq - 1 WHERE word = ?", ((w,) for w in old[0].split()))
    conn.execute("DELETE FROM vocab WHERE freq <= 0")
    conn.execute("DELETE FROM fts WHERE rowid = ?", (doc_id,))
    conn.execute("DELETE FROM docs WHERE id = ?", (doc_id,))
    conn.execute("DELETE FROM completions WHERE record_id = ?", (doc_id,))


def _columns(conn, doc_id: int) -> dict[str, str]:
    """A document's analysed columns as indexed ({} if it is not)."""
    row = conn.execute(f"SELECT {', '.join(COLUMNS)} FROM fts WHERE rowid = ?", (doc_id,)).fetchone()
    return dict(zip(COLUMNS, row)) if row else {}


def _log_changes(conn, ids: list[int]) -> None:
    conn.executemany("INSERT INTO changes (doc_id) VALUES (?)", ((i,) for i in ids))
    conn.execute("DELETE FROM changes WHERE seq <= (SELECT max(seq) FROM changes) - ?", (CHANGES_KEPT,))



def _highlight(row, wanted: set[str]) -> dict[str, str]:
    found = {}
    for name, text in (("title", row[1]), ("summary", row[2])):
        marked = _mark(text, wanted) if wanted and text else None
        if marked:
            found[name] = marked
    return found


def _mark(text: str, wanted: set[str]) -> str | None:
    """HTML-escaped text with <mark> around the words whose term was asked for."""
    out, last = [], 0
    for token in tokens(text):
        if token.term in wanted:
            out += [escape(text[last:token.start]), "<mark>", escape(text[token.start:token.end]), "</mark>"]
            last = token.end
    if not out:
        return None
    out.append(escape(text[last:]))
    return "".join(out)
