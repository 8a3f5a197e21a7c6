"""The embedded index's files, connections and locks.

``path`` (SEARCH_PATH, e.g. instance/search.db) is a symbolic link to the
current generation, ``search.db.<stamp>``. A rebuild writes a new generation
and swaps the link with one rename: searches keep reading the old file until
they notice the new target, and nothing is ever renamed over an open SQLite
file. (Renaming a new file over a live WAL database would pair it with the
old file's -wal and -shm, which SQLite names after the path: corruption.)
SQLite resolves the link when it opens, so each generation has its own WAL.

Writers (index, delete, rebuild) hold an exclusive flock on ``<path>.lock``,
across threads and processes: a drain that runs during a rebuild waits and
then writes into the new generation instead of the one about to be dropped.
Readers never lock: WAL lets them read while a writer commits.
"""
from __future__ import annotations

import fcntl
import glob
import os
import sqlite3
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from core.config import SQLITE_BUSY_TIMEOUT_MS

SCHEMA_VERSION = "2"  # 2: dense postings (dense.py)

# FTS columns, in order; the weights give bm25 per column (title first).
# "concepts" holds c<id> for descriptor_paths, "facets" a token per facet value
# (rows.facet_token): filters then narrow the FTS query itself, so bm25 is
# computed only for the documents that pass them.
COLUMNS = ("title", "authors", "subjects", "publisher", "series", "body", "isbn", "concepts", "facets")
WEIGHTS = (10.0, 4.0, 4.0, 1.0, 2.0, 1.0, 0.0, 0.0, 0.0)

SCHEMA = f"""
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;
CREATE TABLE docs (id INTEGER PRIMARY KEY, title TEXT, summary TEXT, year INTEGER, title_sort TEXT,
                   facets TEXT NOT NULL, words TEXT NOT NULL);
CREATE TABLE changes (seq INTEGER PRIMARY KEY AUTOINCREMENT, doc_id INTEGER NOT NULL);
CREATE TABLE vocab (word TEXT PRIMARY KEY, term TEXT NOT NULL, freq INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE completions (key TEXT NOT NULL, kind TEXT NOT NULL, text TEXT NOT NULL, record_id INTEGER NOT NULL);
CREATE TABLE dense (scope TEXT, term TEXT, bits BLOB NOT NULL, PRIMARY KEY (scope, term)) WITHOUT ROWID;
CREATE VIRTUAL TABLE fts USING fts5({", ".join(COLUMNS)}, tokenize="unicode61 remove_diacritics 0");
INSERT INTO fts(fts, rank) VALUES ('rank', 'bm25({", ".join(str(w) for w in WEIGHTS)})');
INSERT INTO meta VALUES ('schema', '{SCHEMA_VERSION}');
"""
INDEXES = """
CREATE INDEX completions_key ON completions (key);
CREATE INDEX completions_record ON completions (record_id);
CREATE INDEX vocab_term ON vocab (term);
"""


def bulk_pragmas(conn: sqlite3.Connection) -> None:
    """For a connection loading a generation that is not published yet
    (each connection of a rebuild's workers too): no journal, no sync."""
    conn.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-65536;")


class Store:
    def __init__(self, path: str | os.PathLike, *, busy_timeout_ms: int = SQLITE_BUSY_TIMEOUT_MS):
        self.path = Path(path)
        self.busy_timeout_ms = busy_timeout_ms
        self._local = threading.local()

    # -- files --------------------------------------------------------------
    def target(self) -> Path | None:
        """The current generation's file, or None before ensure_ready."""
        try:
            return self.path.parent / os.readlink(self.path)
        except FileNotFoundError:
            return None
        except OSError:  # a plain file (copied by hand, say): use it as it is
            return self.path if self.path.exists() else None

    def new_generation(self) -> tuple[Path, sqlite3.Connection]:
        """A fresh, empty generation, open for a bulk load: no journal (a
        crash just leaves a file that is never linked)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        file = self.path.with_name(f"{self.path.name}.{time.time_ns()}")
        conn = sqlite3.connect(file, isolation_level=None)
        bulk_pragmas(conn)
        conn.executescript(SCHEMA)
        # no incremental merging during a bulk load: publish() merges once
        conn.execute("INSERT INTO fts(fts, rank) VALUES ('automerge', 0)")
        return file, conn

    def publish(self, file: Path, conn: sqlite3.Connection) -> None:
        """Finish a generation and make it current (caller holds the write lock)."""
        conn.executescript(INDEXES)  # after the bulk load: faster than maintaining them
        conn.execute("INSERT INTO fts(fts) VALUES ('optimize')")  # one segment: fastest queries
        conn.execute("INSERT INTO fts(fts, rank) VALUES ('automerge', 4)")  # back to the default
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.close()
        link = self.path.with_name(f".{self.path.name}.link")
        if link.is_symlink() or link.exists():
            link.unlink()
        os.symlink(file.name, link)
        os.replace(link, self.path)
        for old in self.path.parent.glob(f"{glob.escape(self.path.name)}.*"):
            # older generations and their -wal/-shm: open readers keep their file descriptors
            base = old.name.removesuffix("-wal").removesuffix("-shm").removesuffix("-journal")
            if base != file.name and base.removeprefix(self.path.name + ".").isdigit():
                old.unlink(missing_ok=True)

    # -- connections --------------------------------------------------------
    def connection(self) -> sqlite3.Connection:
        """This thread's connection to the current generation (reopened after a swap)."""
        target = self.target()
        if target is None:
            raise FileNotFoundError(f"no search index at {self.path}: run `catalogue reindex`")
        cached = getattr(self._local, "conn", None)
        if cached is not None and cached[0] == target:
            return cached[1]
        if cached is not None:
            cached[1].close()
        conn = sqlite3.connect(target, isolation_level=None, check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout={int(self.busy_timeout_ms)}")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA cache_size=-32768")
        self._local.conn = (target, conn)
        return conn

    def generation(self) -> Path:
        """The file this thread's connection reads (not the link's target,
        which a rebuild may have swapped since)."""
        return self._local.conn[0]

    @contextmanager
    def writing(self):
        """Exclusive write access (all threads and processes), inside one transaction."""
        with self.write_lock():
            conn = self.connection()
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    @contextmanager
    def write_lock(self, *, wait: bool = True):
        """Hold the writers' lock; with ``wait=False``, yield False at once
        instead of waiting when another writer has it."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path.with_name(self.path.name + ".lock"), "a") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                yield False
                return
            yield True  # released when the file is closed

    def sweep(self) -> int:
        """Delete the generations a killed rebuild left behind (never linked,
        possibly gigabytes): every generation but the current one. The caller
        holds the write lock, so no rebuild is writing one. Returns how many
        files went."""
        current = self.target()
        gone = 0
        for old in self.path.parent.glob(f"{glob.escape(self.path.name)}.*"):
            base = old.name.removesuffix("-wal").removesuffix("-shm").removesuffix("-journal")
            if base.removeprefix(self.path.name + ".").isdigit() and (current is None or base != current.name):
                old.unlink(missing_ok=True)
                gone += 1
        return gone

    def close(self) -> None:
        cached = getattr(self._local, "conn", None)
        if cached is not None:
            cached[1].close()
            self._local.conn = None
