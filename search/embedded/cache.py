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
        if not self.size:
            return None
        key = (state, request_key(request))
        with self._lock:
            result = self._entries.get(key)
            if result is not None:
                self._entries.move_to_end(key)
            return result

    def put(self, state, request: SearchRequest, result: SearchResult) -> None:
        if not self.size:
            return
        with self._lock:
            self._entries[(state, request_key(request))] = result
            self._entries.move_to_end((state, request_key(request)))
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
