"""One search on the embedded index: matches, facet counts, one page.

Costs are bounded at 100,000 records whatever the query's breadth:
- the match set comes from one ``group_concat(rowid)`` (no Python row per
  match) and facets are counted on bitsets (facets.py);
- bm25 costs ~2 µs per document ranked, so relevance is exact only when at
  most RANK_LIMIT documents pass the query and its filters. A broader query
  ranks in tiers: documents with the words in their title first (by bm25
  when they are few enough, else by id), then the rest by id.
"""
from __future__ import annotations

import heapq
from collections import deque
from itertools import repeat

from ..engine import FACETS, FacetValue, SearchRequest
from . import facets as bits
from .facets import Snapshot
from .matching import NOTHING, expression, filtered

RANK_LIMIT = 2_000


def match_ids(conn, match: str) -> list[int]:
    found = conn.execute("SELECT group_concat(rowid) FROM fts WHERE fts MATCH ?", (match,)).fetchone()[0]
    return list(map(int, found.split(","))) if found else []


def ranks(conn, match: str) -> dict[int, float] | None:
    """id -> relevance (higher is better), or None past RANK_LIMIT matches."""
    rows = conn.execute("SELECT rowid, -rank FROM fts WHERE fts MATCH ? LIMIT ?",
                        (match, RANK_LIMIT + 1)).fetchall()
    return dict(rows) if len(rows) <= RANK_LIMIT else None


def evaluate(conn, snapshot: Snapshot, lock, request: SearchRequest):
    """(total, facets, [(id, score)] of the requested page)."""
    match = expression(request.query, request.concept_ids)
    text_ids = [] if match == NOTHING else None if match is None else match_ids(conn, match)
    chosen_filters = {name: values for name, values in request.filters.items() if name in FACETS and values}
    with lock:  # the snapshot's tables change under a refresh; the ints taken out do not
        text = snapshot.all() if text_ids is None else snapshot.from_ids(text_ids)
        chosen = {name: _union(snapshot, name, values) for name, values in chosen_filters.items()}
        members = text
        for value_set in chosen.values():
            members &= value_set
        facets = {name: _counts(snapshot, name, text, chosen) for name in request.facets if name in FACETS}
        boosted = 0
        for name, values in (request.boost or {}).items():
            if name in FACETS:
                boosted |= _union(snapshot, name, values)
        boosted &= members
        start, size = max(request.page - 1, 0) * max(request.size, 0), max(request.size, 0)
        if size and request.sort != "relevance":
            return members.bit_count(), facets, _sorted(snapshot, request.sort, members, start, start + size)
    if not size:
        page = []
    elif match in (None, NOTHING):  # no words: boosted documents first, then by id
        page = _by_id([boosted, members & ~boosted], start + size)[start:]
    else:
        page = _relevance(conn, request, match, chosen_filters, members, boosted, start + size)[start:]
    return members.bit_count(), facets, page


def _union(snapshot: Snapshot, name: str, values) -> int:
    found = 0
    for value in values:
        found |= snapshot.value_set(name, str(value))
    return found


def _counts(snapshot: Snapshot, name: str, text: int, chosen: dict[str, int]) -> list[FacetValue]:
    scope = text  # every filter but the facet's own: multi-select facets
    for other, value_set in chosen.items():
        if other != name:
            scope &= value_set
    counts = snapshot.counts(name, scope)
    return [FacetValue(v, n) for v, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]


def _ranks(conn, match: str, filters, members: int) -> dict[int, float] | None:
    """Scores for ``members`` (the matches of ``match`` that pass the
    filters), or None when too many. Unfiltered first: putting a broad
    filter into the FTS query makes FTS5 walk that value's whole doclist."""
    if members.bit_count() > RANK_LIMIT:
        return None
    scores = ranks(conn, match)
    if scores is None and filters:
        scores = ranks(conn, filtered(match, filters))
    return scores


def _relevance(conn, request, match, filters, members: int, boosted: int, wanted: int):
    scores = _ranks(conn, match, filters, members)
    if scores is not None:
        return _best(scores, members, boosted, wanted)
    title_match = expression(request.query, title_only=True)
    title_ids = match_ids(conn, title_match) if title_match else []
    first = members & bits.pack(_flags(title_ids)) if title_ids else 0
    tier = []
    scores = _ranks(conn, title_match, filters, first) if first else None
    if scores is not None:
        tier = _best(scores, first, boosted, wanted)
    elif first:
        tier = _by_id([first & boosted, first & ~boosted], wanted)
    rest = members & ~first
    return tier + _by_id([rest & boosted, rest & ~boosted], wanted - len(tier))


def _best(scores: dict[int, float], members: int, boosted: int, wanted: int):
    """The best ``wanted`` of the scored members; boosted ones count double
    (plus one, so that a boost lifts even a zero score); ties by id."""
    inside, favoured = bits.unpack(members), bits.unpack(boosted)
    candidates = ((score * 2 + 1 if doc_id < len(favoured) and favoured[doc_id] else score, doc_id)
                  for doc_id, score in scores.items() if doc_id < len(inside) and inside[doc_id])
    best = heapq.nsmallest(wanted, candidates, key=lambda item: (-item[0], item[1]))
    return [(doc_id, score) for score, doc_id in best]


def _by_id(groups: list[int], wanted: int):
    page = []
    for group in groups:
        if len(page) >= wanted:
            break
        page += [(doc_id, 0.0) for doc_id in bits.ids(group, wanted - len(page))]
    return page


def _flags(doc_ids: list[int]) -> bytearray:
    flags = bytearray(max(doc_ids) + 1)
    deque(map(flags.__setitem__, doc_ids, repeat(1)), maxlen=0)  # a C-level scatter
    return flags


def _sorted(snapshot: Snapshot, sort: str, members: int, start: int, wanted: int):
    total = members.bit_count()
    if total * 20 < len(snapshot.facets):  # few matches: sorting them beats walking the whole order
        found = sorted(bits.ids(members), key=snapshot.sort_key(sort))[start:wanted]
    else:
        inside, found = bits.unpack(members), []
        for doc_id in snapshot.order(sort):
            if doc_id < len(inside) and inside[doc_id]:
                found.append(doc_id)
                if len(found) >= wanted:
                    break
        found = found[start:]
    return [(doc_id, 0.0) for doc_id in found]
