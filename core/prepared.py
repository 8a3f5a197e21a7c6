"""Search rows analysed ahead of the outbox drain by a bulk writer.

An import's worker processes analyse the search documents of the works they
map (the search package says how: ``core.outbox.analyser``); the main
process keeps those rows here, spooled to a temporary file so that memory
stays flat, each batch with the (position, record id, outbox time) of the
works it wrote. The drain that ends the command loads the rows of a work
whose outbox row still has that time (nothing changed it since) instead of
reading it back; any other work is read back as usual. Opaque to this
floor: the rows are the search package's bytes.
"""
from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterator


class Prepared:
    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile()
        self._batches: list[tuple[int, int, list[tuple[int, int, dt.datetime]]]] = []  # offset, size, works
        self.works = 0

    def add(self, rows: bytes, works: list[tuple[int, int, dt.datetime]]) -> None:
        """A batch's rows, and (position in the batch's rows, record id, time
        the work was queued in the outbox) of each work written."""
        if not works:
            return
        offset = self._file.seek(0, 2)
        self._file.write(rows)
        self._batches.append((offset, len(rows), works))
        self.works += len(works)

    def __iter__(self) -> Iterator[tuple[int, list[tuple[int, int, dt.datetime]]]]:
        """(batch number, its works); its rows are read by ``rows(number)``."""
        for number, (_, _, works) in enumerate(self._batches):
            yield number, works

    def rows(self, number: int) -> bytes:
        """The rows of batch ``number``, read back from the file: memory holds one batch at a time."""
        offset, size, _ = self._batches[number]
        self._file.seek(offset)
        return self._file.read(size)

    def close(self) -> None:
        self._file.close()
        self._batches, self.works = [], 0
