"""Reading and mapping a MARC file in batches, here or in worker processes.

Parsing and mapping records (ISO 2709 -> pymarc -> catalogue fields) costs
more than writing them to the database, and each record is independent of
the others. So for a big ISO 2709 file this process only splits the bytes
into records (cheap: look for the 0x1D terminators) and writes to the
database, while worker processes parse and map the next batches. A few
batches are in flight at a time, so memory stays flat whatever the size of
the file. MARCXML files, and small files, are read here.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import gzip
import importlib
import os
from collections import deque
from itertools import islice
from typing import Iterator

from core.batchwork import relax_gc, relaxed_gc, spawn_pool
from importers.marc import iso2709
from importers.marc.reader import read_marc
from importers.marc.stage import Incoming, read_stage, work_values

# Below this size worker processes cost more to start than they save.
PARALLEL_MIN_BYTES = 4_000_000
BLOCK = 256 * 1024
IN_FLIGHT = 2  # batches queued per worker
WORKER_BARE = ("importers", "catalogue", "catalogue.services")


def default_workers(path: str | os.PathLike) -> int:
    """2 worker processes for a big ISO 2709 file on a machine with several CPUs, else 0."""
    if (os.cpu_count() or 1) < 2 or os.path.getsize(path) < PARALLEL_MIN_BYTES:
        return 0
    with _open(path) as (_, stream):
        head = stream.read(512)
    return 0 if head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"<" else 2


Batch = tuple[int, list[Incoming], "bytes | None"]


@contextlib.contextmanager
def batches(path, *, encoding: str, flavour: str, size: int, workers: int = 0,
            analyse: str | None = None) -> Iterator[Iterator[Batch]]:
    """An iterator of (bytes of the file read so far, a batch of mapped
    records, their search rows or None). ``workers`` > 0 parses and maps in
    that many processes (ISO 2709 only). ``analyse``: "module.function" that
    the workers also run on the (position, work_values) of the batch's good
    records, giving their search rows (core.outbox.analyser)."""
    with relaxed_gc():
        if workers < 1:
            with open(path, "rb") as stream:
                yield ((position, records, None) for position, records in _read_here(stream, encoding, flavour,
                                                                                       size))
            return
        # spawn: the workers inherit no database connection nor lock. They need
        # plain modules, not the packages' __init__ (the web application, for
        # ours and for those of ``analyse``'s module): importing it cost each
        # worker half a second of CPU.
        parts = analyse.split(".")[:-2] if analyse else []
        bare = WORKER_BARE + tuple(".".join(parts[:end]) for end in range(1, len(parts) + 1))
        pool = spawn_pool(workers, f"{__name__}._start_worker", bare=bare)
        try:
            yield _read_in_pool(pool, path, encoding, flavour, size, workers * IN_FLIGHT, analyse)
        finally:
            pool.terminate()
            pool.join()


def _read_here(stream, encoding: str, flavour: str, size: int) -> Iterator[tuple[int, list[Incoming]]]:
    records = read_marc(stream, encoding=encoding)
    while chunk := list(islice(records, size)):
        yield stream.tell(), [read_stage(raw, flavour) for raw in chunk]


def _read_in_pool(pool, path, encoding: str, flavour: str, size: int, in_flight: int,
                  analyse: str | None) -> Iterator[Batch]:
    pending: deque = deque()
    with _open(path) as (raw_stream, stream):
        position, chunks = 1, []
        for chunk in iso2709.split_records(iter(lambda: stream.read(BLOCK), b"")):
            chunks.append(chunk)
            if len(chunks) == size:
                pending.append((raw_stream.tell(), pool.apply_async(
                    map_chunks, (position, chunks, encoding, flavour, analyse))))
                position, chunks = position + len(chunks), []
                if len(pending) >= in_flight:
                    done, result = pending.popleft()
                    yield done, *result.get()
        if chunks:
            pending.append((raw_stream.tell(), pool.apply_async(
                map_chunks, (position, chunks, encoding, flavour, analyse))))
    while pending:
        done, result = pending.popleft()
        yield done, *result.get()


def map_chunks(position: int, chunks: list[tuple[bytes, bool]], encoding: str, flavour: str,
               analyse: str | None = None) -> tuple[list[Incoming], bytes | None]:
    """In a worker: read and map ISO 2709 records split by the main process,
    exactly as read_marc would have (same checks, same rejects); and with
    ``analyse``, the search rows of the good ones."""
    today = dt.date.today()
    if all(terminated for _, terminated in chunks):  # the usual case: one reader for the batch
        data = iso2709.RECORD_END.join(chunk for chunk, _ in chunks) + iso2709.RECORD_END
        raws = list(read_marc(data, encoding=encoding, syntax="iso2709"))
    else:  # a truncated record (at the end, or before a long run of junk)
        raws = [next(read_marc(chunk + iso2709.RECORD_END if terminated else chunk,
                               encoding=encoding, syntax="iso2709")) for chunk, terminated in chunks]
    assert len(raws) == len(chunks)
    mapped = []
    for offset, raw in enumerate(raws):
        raw.position = position + offset
        mapped.append(read_stage(raw, flavour, today))
    if analyse is None:
        return mapped, None
    module, _, function = analyse.rpartition(".")
    rows = getattr(importlib.import_module(module), function)(
        [(incoming.position, work_values(incoming)) for incoming in mapped if incoming.error is None])
    return mapped, rows


@contextlib.contextmanager
def _open(path):
    """(file, stream of its bytes): gzip files are read through gzip."""
    with open(path, "rb") as raw_stream:
        magic = raw_stream.read(2)
        raw_stream.seek(0)
        if magic == b"\x1f\x8b":
            with gzip.GzipFile(fileobj=raw_stream, mode="rb") as stream:
                yield raw_stream, stream
        else:
            yield raw_stream, raw_stream


def _start_worker() -> None:
    relax_gc()


