"""Search answers, each valid for one state of the index.

The key holds the index's generation and change sequence, so any write,
from this process or another, makes older answers unreachable: nothing is
ever served stale, and no invalidation has to be sent anywhere.
"""
from __future__ import annotations

from core.lru import LRU, MISSING
from search.engine import SearchRequest, SearchResult


def request_key(request: SearchRequest) -> tuple:
    """A hashable form of the request (its mappings and sequences frozen)."""
    def frozen(mapping):
        return tuple(sorted((name, tuple(map(str, values))) for name, values in (mapping or {}).items()))

    return (repr(request.query), frozen(request.filters), tuple(request.concept_ids), frozen(request.boost),
            request.sort, request.page, request.size, tuple(request.facets), request.highlight,
            request.fuzzy)


class ResultCache(LRU):
    def get(self, state, request: SearchRequest) -> SearchResult | None:
        found = self.lookup((state, request_key(request)))
        return None if found is MISSING else found

    def put(self, state, request: SearchRequest, result: SearchResult) -> None:
        self.store((state, request_key(request)), result)
