"""A small LRU of search answers, each valid for one state of the index.

The key holds the index's generation and change sequence, so any write,
from this process or another, makes older answers unreachable: nothing is
ever served stale, and no invalidation has to be sent anywhere.
"""
from __future__ import annotations

import threading
from collections import OrderedDict

from ..engine import SearchRequest, SearchResult


def request_key(request: SearchRequest) -> tuple:
    """A hashable form of the request (its mappings and sequences frozen)."""
    def frozen(mapping):
        return tuple(sorted((name, tuple(map(str, values))) for name, values in (mapping or {}).items()))

    return (repr(request.query), frozen(request.filters), tuple(request.concept_ids), frozen(request.boost),
            request.sort, request.page, request.size, tuple(request.facets), request.highlight)


class ResultCache:
    def __init__(self, size: int):
        self.size = max(0, size)
        self._entries: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, state, request: SearchRequest) -> SearchResult | None:
        found = self.lookup((state, request_key(request)))
        return None if found is MISSING else found

    def put(self, state, request: SearchRequest, result: SearchResult) -> None:
        self.store((state, request_key(request)), result)

    def lookup(self, key):
        """The answer kept under ``key`` (a state and a question), or MISSING."""
        if not self.size:
            return MISSING
        with self._lock:
            found = self._entries.get(key, MISSING)
            if found is not MISSING:
                self._entries.move_to_end(key)
            return found

    def store(self, key, answer) -> None:
        if not self.size:
            return
        with self._lock:
            self._entries[key] = answer
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)


MISSING = object()
