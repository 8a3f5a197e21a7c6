"""The in-memory side of the embedded index: facet values and sort keys.

FTS5 finds the matching documents; counting facets and ordering by date or
title over tens of thousands of matches in SQL, or in a Python loop, costs
tens of milliseconds. Here a set of documents is a Python int used as a
bitset (bit i = document id i): a facet count is
``(matches & value).bit_count()``, about a microsecond at 100,000 records.
Sets are packed from and unpacked to one-byte-per-id bytearrays with
C-level conversions (translate, int(..., 2), format(..., "b")), never with
a Python loop over ids.

Each process keeps one Snapshot per index generation and replays the
``changes`` log (ids written since) to follow writers in other processes.
"""
from __future__ import annotations

import json
from collections import deque
from itertools import repeat

from search.engine import FACETS

_TO_CHARS = bytes.maketrans(b"\x00\x01", b"01")
_TO_BYTES = bytes.maketrans(b"01", b"\x00\x01")


def pack(flags: bytes | bytearray) -> int:
    """One byte per id (0 or 1) -> a bitset."""
    return int(flags.translate(_TO_CHARS)[::-1], 2) if flags else 0


def unpack(members: int) -> bytes:
    """A bitset -> one byte per id (0 or 1), up to its highest member."""
    return format(members, "b")[::-1].encode().translate(_TO_BYTES) if members else b""


def from_ids(doc_ids: list[int]) -> int:
    """The set of these ids."""
    if not doc_ids:
        return 0
    flags = bytearray(max(doc_ids) + 1)
    deque(map(flags.__setitem__, doc_ids, repeat(1)), maxlen=0)  # a C-level scatter
    return pack(flags)


def ids(members: int, limit: int | None = None) -> list[int]:
    """Members in ascending order (at most ``limit``)."""
    flags, found = unpack(members), []
    position = flags.find(1)
    while position != -1 and (limit is None or len(found) < limit):
        found.append(position)
        position = flags.find(1, position + 1)
    return found


class Snapshot:
    def __init__(self, generation, seq: int):
        self.generation = generation
        self.seq = seq
        self.present = bytearray()
        self.facets: dict[int, dict[str, list[str]]] = {}   # id -> facet -> values
        self.year: dict[int, int | None] = {}
        self.title_sort: dict[int, str] = {}
        self.title_length: dict[int, int] = {}  # of the analysed title and subtitle
        self._flags: dict[str, dict[str, bytearray]] = {name: {} for name in FACETS}
        self._sets: dict[tuple[str, str], int] = {}
        self._all: int | None = None
        self._orders: dict[str, list[int]] = {}

    def put(self, doc_id: int, facets_json: str, year: int | None, title_sort: str | None,
            title_length: int | None = 0) -> None:
        if doc_id in self.facets:
            self.remove(doc_id)
        facets = json.loads(facets_json)
        if doc_id >= len(self.present):
            self.present.extend(bytes(doc_id + 1 - len(self.present) + 4096))
        self.present[doc_id] = 1
        self.facets[doc_id] = facets
        self.year[doc_id] = year
        self.title_sort[doc_id] = title_sort or ""
        self.title_length[doc_id] = title_length or 0
        for name, values in facets.items():
            table = self._flags.get(name)
            if table is None:
                continue
            for value in values:
                flags = table.get(value)
                if flags is None:
                    flags = table[value] = bytearray(len(self.present))
                elif len(flags) <= doc_id:
                    flags.extend(bytes(len(self.present) - len(flags)))
                flags[doc_id] = 1
                self._sets.pop((name, value), None)
        self._changed()

    def remove(self, doc_id: int) -> None:
        facets = self.facets.pop(doc_id, None)
        if facets is None:
            return
        self.present[doc_id] = 0
        self.year.pop(doc_id, None)
        self.title_sort.pop(doc_id, None)
        self.title_length.pop(doc_id, None)
        for name, values in facets.items():
            for value in values:
                flags = self._flags.get(name, {}).get(value)
                if flags is not None:
                    flags[doc_id] = 0
                    self._sets.pop((name, value), None)
        self._changed()

    def _changed(self) -> None:
        self._all = None
        self._orders.clear()

    # -- sets -----------------------------------------------------------------
    def all(self) -> int:
        if self._all is None:
            self._all = pack(self.present)
        return self._all

    def value_set(self, name: str, value: str) -> int:
        key = (name, value)
        found = self._sets.get(key)
        if found is None:
            flags = self._flags.get(name, {}).get(value)
            found = self._sets[key] = pack(flags) if flags is not None else 0
        return found

    # -- counting and ordering ----------------------------------------------
    def counts(self, name: str, members: int) -> dict[str, int]:
        found = {}
        for value in list(self._flags.get(name, {})):
            count = (members & self.value_set(name, value)).bit_count()
            if count:
                found[value] = count
        return found

    def order(self, sort: str) -> list[int]:
        """Every id in the order of a sort; computed once per change."""
        found = self._orders.get(sort)
        if found is None:
            found = self._orders[sort] = sorted(self.facets, key=self.sort_key(sort))
        return found

    def sort_key(self, sort: str):
        """date: year desc, no year last; title: title_sort asc; brevity:
        shortest title first; then id asc."""
        if sort == "brevity":
            return lambda i: (self.title_length[i], i)
        if sort == "date":
            return lambda i: (self.year[i] is None, -(self.year[i] or 0), i)
        return lambda i: (self.title_sort[i], i)
