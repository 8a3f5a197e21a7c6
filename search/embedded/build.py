"""Loading a new generation for a full rebuild, in worker processes.

Analysing a document (rows.Analyser) and writing its rows cost more than
reading it, and each document is independent of the others. So for a big
rebuild this process only reads the documents (the projection runs as it
iterates them) and hands them out in batches, while worker processes
analyse a batch each and write it into the generation's file, one worker at
a time and in the order of the batches: the rows are those, in the order,
that one process would have written. On two CPUs reading the catalogue,
analysing and writing overlap. A few batches are in flight per worker, so
memory stays flat whatever the size of the catalogue. A small rebuild (the
tests', a demo's) is done here: starting workers would cost more than it
saves.
"""
from __future__ import annotations

import multiprocessing
import os
import sqlite3
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path

from core.batchwork import relax_gc, relaxed_gc, spawn_pool
from search.embedded.rows import Analyser
from search.embedded.store import COLUMNS, bulk_pragmas

BATCH = 1_000  # documents per task, and per write transaction
PARALLEL_MIN = 5 * BATCH  # fewer documents than this: done in this process
IN_FLIGHT = 2  # batches queued per worker

FTS_INSERT = f"INSERT INTO fts (rowid, {', '.join(COLUMNS)}) VALUES (?{', ?' * len(COLUMNS)})"


def default_workers() -> int:
    """One worker process per CPU, none on a single CPU."""
    cpus = os.cpu_count() or 1
    return cpus if cpus > 1 else 0


def load(conn: sqlite3.Connection, file: Path, documents: Iterable[dict], *, workers: int | None = None,
         batch: int = BATCH, parallel_min: int = PARALLEL_MIN,
         analysed: Iterable[tuple] = ()) -> tuple[int, dict[str, tuple[str, int]]]:
    """Write the rows of ``documents`` into a new generation: ``file``, open
    in ``conn`` (in autocommit, as Store.new_generation opens it; it must
    hold no transaction, the workers write through their own connections).
    Returns (how many documents, the vocabulary: folded word -> (term,
    number of documents with the word)), the vocab table written from the
    latter. ``workers``: processes (default_workers() if None; 0: here);
    ``batch``: documents per task; ``parallel_min``: fewer documents are
    done here (tests lower both to take the workers' path). ``analysed``:
    batches of rows already analysed (analyse's values; an import's workers
    made them, search.embedded.prepared), written here first."""
    workers = default_workers() if workers is None else workers
    documents = iter(documents)
    first = list(islice(documents, parallel_min))
    batches = _batches(first, documents, batch)
    counts: Counter[str] = Counter()
    terms: dict[str, str] = {}
    written = 0
    with relaxed_gc():
        for rows in analysed:  # no analysis left: writing is SQLite's work, done here
            count, words, batch_terms = _write(conn, *rows)
            written += count
            counts.update(words)
            terms.update(batch_terms)
        if workers < 1 or len(first) < parallel_min:
            done = (_write(conn, *analyse(part)) for part in batches)
        else:
            done = _in_workers(file, batches, workers)
        for count, words, batch_terms in done:
            written += count
            for word, n in words.items():
                counts[word] += n
            terms.update(batch_terms)
    vocab = {word: (terms[word], freq) for word, freq in counts.items()}
    conn.execute("BEGIN")  # one transaction: committing each row would take longer than the rest
    conn.executemany("INSERT INTO vocab VALUES (?, ?, ?)",
                     ((word, term, freq) for word, (term, freq) in sorted(vocab.items())))
    conn.execute("COMMIT")
    return written, vocab


def analyse(documents: list[dict]) -> tuple[list[tuple], list[tuple], list[tuple], dict[str, str]]:
    """The rows of a batch of documents: (fts rows, docs rows, completions
    rows, folded word -> term for every word of the batch)."""
    analyser = Analyser()
    fts, docs, completions, words = [], [], [], {}
    for document in documents:
        rows = analyser.rows(document)
        fts.append((rows.id, *rows.fts))
        docs.append(rows.doc)
        completions += rows.completions
        words.update(rows.words)
    return fts, docs, completions, words


def vocabulary(docs: list[tuple], terms: dict[str, str]) -> list[tuple[str, str, int]]:
    """(folded word, its term, how many of the documents have it) for a
    batch's docs rows and words (analyse's last two values)."""
    counts: Counter[str] = Counter(" ".join([doc[6] for doc in docs]).split())  # counted in C
    return [(word, terms[word], n) for word, n in counts.items()]


def _write(conn: sqlite3.Connection, fts: list[tuple], docs: list[tuple], completions: list[tuple],
           words: dict[str, str]) -> tuple[int, Counter[str], dict[str, str]]:
    """Write one batch's rows in one transaction. Returns (how many
    documents, folded word -> how many of them have it, folded word -> term)."""
    conn.execute("BEGIN")
    conn.executemany(FTS_INSERT, fts)
    conn.executemany("INSERT OR REPLACE INTO docs VALUES (?, ?, ?, ?, ?, ?, ?)", docs)
    conn.executemany("INSERT INTO completions VALUES (?, ?, ?, ?)", completions)
    conn.execute("COMMIT")
    # a document's distinct words are its docs row's last column: counted in C
    return len(docs), Counter(" ".join([doc[6] for doc in docs]).split()), words


def _batches(first: list[dict], rest: Iterator[dict], size: int) -> Iterator[list[dict]]:
    for start in range(0, len(first), size):
        yield first[start:start + size]
    while batch := list(islice(rest, size)):
        yield batch


def _in_workers(file: Path, batches: Iterator[list[dict]], workers: int) -> Iterator[tuple]:
    """_write(analyse(batch)) of each batch, in worker processes, in order."""
    # spawn: the workers inherit no database connection nor lock.
    context = multiprocessing.get_context("spawn")
    turn, next_seq = context.Condition(), context.Value("q", 0, lock=False)
    # The workers need plain modules, not the packages' __init__ (the web application).
    pool = spawn_pool(workers, f"{__name__}._start_worker", (str(file), turn, next_seq),
                      bare=("search", "search.embedded"))
    try:
        pending: deque = deque()
        for seq, batch in enumerate(batches):
            pending.append(pool.apply_async(_analyse_and_write, (seq, batch)))
            while pending and (pending[0].ready() or len(pending) > workers * IN_FLIGHT):
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()
    finally:
        pool.terminate()
        pool.join()


# -- in a worker -----------------------------------------------------------------
_worker: dict = {}


def _start_worker(file: str, turn, next_seq) -> None:
    relax_gc()
    conn = sqlite3.connect(file, isolation_level=None)
    bulk_pragmas(conn)
    _worker.update(conn=conn, turn=turn, next_seq=next_seq)


def _analyse_and_write(seq: int, documents: list[dict]) -> tuple[int, Counter[str], dict[str, str]]:
    rows = analyse(documents)
    turn, next_seq = _worker["turn"], _worker["next_seq"]
    with turn:  # batches are written in order: the worker with the next one writes
        turn.wait_for(lambda: next_seq.value == seq)
    try:
        return _write(_worker["conn"], *rows)
    finally:
        with turn:
            next_seq.value = seq + 1
            turn.notify_all()
