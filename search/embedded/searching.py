"""One search on the embedded index: matches, facet counts, one page.

Costs are bounded at 100,000 records whatever the query's breadth:
- the match set is a bitset: frequent terms' from their dense postings
  (dense.py), the rest from one ``group_concat(rowid)`` (no Python row per
  match); facets are counted on bitsets (facets.py);
- FTS5's bm25 costs ~4 µs per document ranked, so relevance is exact only
  when at most RANK_LIMIT documents pass the query and its filters. A
  broader query ranks in tiers: documents with the words in their title
  first (by bm25 when they are few enough, else shortest title first), then
  the rest by id.

A fuzzy request (SearchRequest.fuzzy) ranks in two tiers whatever the
sort: the documents matching the words exactly, then those found only
through a close spelling (fuzzy.py), each tier ranked as above.
"""
from __future__ import annotations

import heapq

from search.embedded import dense
from search.embedded import facets as bits
from search.embedded.facets import Snapshot
from search.embedded.matching import NOTHING, Expand, concept_part, expression, filtered, parts
from search.engine import FACETS, FacetValue, SearchRequest
from search.query import Query

RANK_LIMIT = 600


def match_set(conn, query: Query, concept_ids=(), *, title_only: bool = False,
              expand: Expand | None = None) -> int | None:
    """The documents matching (matching.expression) as a bitset, None for
    every document. Frequent terms come from their dense postings, the rest
    from one FTS5 query."""
    found = parts(query, title_only=title_only, expand=expand)
    concept_ids = () if title_only else concept_ids
    if not found and not concept_ids:
        return None if query.is_empty else 0
    text = 0
    if found:
        text, rest = None, []
        for part in found:
            members = dense.lookup(conn, part.scope, part.term) if part.scope else None
            if members is None:
                rest.append(part.fts)
            else:
                text = members if text is None else text & members
        if rest and text != 0:
            text = dense.ids_set(conn, " AND ".join(rest)) & (-1 if text is None else text)
    concepts, rest = 0, []
    for concept_id in concept_ids:
        members = dense.lookup(conn, "concepts", f"c{int(concept_id)}")
        if members is None:
            rest.append(concept_id)
        else:
            concepts |= members
    if rest:
        concepts |= dense.ids_set(conn, concept_part(rest))
    return text | concepts


def concept_set(conn, values) -> int | None:
    """The documents a "concept" filter keeps (indexed with one of these
    concepts or a narrower one), None without that filter. Values that are
    not concept ids keep nothing."""
    if not values:
        return None
    found, rest = 0, []
    for concept_id in {int(v) for v in values if str(v).isdigit()}:
        members = dense.lookup(conn, "concepts", f"c{concept_id}")
        if members is None:
            rest.append(concept_id)
        else:
            found |= members
    return found | dense.ids_set(conn, concept_part(sorted(rest))) if rest else found


def ranks(conn, match: str, limit: int = RANK_LIMIT) -> list[tuple[int, float]] | None:
    """(id, relevance) best first (ties by id), or None past ``limit`` matches."""
    rows = conn.execute("SELECT rowid, -rank FROM fts WHERE fts MATCH ? ORDER BY rank, rowid LIMIT ?",
                        (match, limit + 1)).fetchall()
    return rows if len(rows) <= limit else None


def evaluate(conn, snapshot: Snapshot, lock, request: SearchRequest, rank_limit: int = RANK_LIMIT,
             expand: Expand | None = None):
    """(total, facets, [(id, score)] of the requested page, exact): with
    ``expand`` (a fuzzy request), ``exact`` counts the documents matching
    the words exactly, which come first; else it is None."""
    match = expression(request.query, request.concept_ids)
    text = match_set(conn, request.query, request.concept_ids)
    near = expression(request.query, request.concept_ids, expand=expand) if expand is not None else None
    if near == match:
        near = None  # no word has a close spelling: an exact search
    near_text = match_set(conn, request.query, request.concept_ids, expand=expand) if near else 0
    chosen_filters = {name: values for name, values in request.filters.items() if name in FACETS and values}
    scope = concept_set(conn, request.filters.get("concept"))
    with lock:  # the snapshot's tables change under a refresh; the ints taken out do not
        everything = snapshot.all() if scope is None else snapshot.all() & scope
        text = everything if text is None else text & everything
        exact = text
        text |= near_text & everything
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
        first, second = members & exact, members & ~exact
        start, size = max(request.page - 1, 0) * max(request.size, 0), max(request.size, 0)
        if size and request.sort != "relevance":
            page = _sorted(snapshot, request.sort, first, start, start + size)
            if second and len(page) < size:
                skip = max(start - first.bit_count(), 0)
                page += _sorted(snapshot, request.sort, second, skip, skip + size - len(page))
            return members.bit_count(), facets, page, first.bit_count() if expand is not None else None
    if not size:
        page = []
    elif match in (None, NOTHING):  # no words: boosted documents first, then by id
        page = _by_id([boosted, members & ~boosted], start + size)[start:]
    else:
        ranked = _Ranker(conn, chosen_filters, rank_limit, sum(v.bit_count() for v in chosen.values()))
        page = _relevance(ranked, snapshot, lock, request, match, exact, first, boosted, start + size)[start:]
        if second and len(page) < size:
            wanted = start + size - first.bit_count()
            scores = ranked(near, near_text, second)
            tier = (_best(scores, second, boosted, wanted) if scores is not None
                    else _by_id([second & boosted, second & ~boosted], wanted))
            page += tier[max(start - first.bit_count(), 0):]
    return members.bit_count(), facets, page, first.bit_count() if expand is not None else None


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


# bm25 per document ranked / reading one entry of a filter's doclist (measured)
SCORE_COST = 22


class _Ranker:
    def __init__(self, conn, filters, limit: int, filter_size: int):
        self.conn, self.filters, self.limit, self.filter_size = conn, filters, limit, filter_size

    def __call__(self, match: str, matched: int, members: int) -> list[tuple[int, float]] | None:
        """Scores for ``members`` (the ``matched`` documents of ``match``
        that pass the filters), or None when too many. The filters go into
        the FTS query only when scoring every match would cost more than
        FTS5 walking the filters' doclists (``filter_size`` entries)."""
        count, total = members.bit_count(), matched.bit_count()
        if count > self.limit:
            return None
        if not self.filters or (total <= 2 * self.limit and (total - count) * SCORE_COST <= self.filter_size):
            return ranks(self.conn, match, 2 * self.limit)
        return ranks(self.conn, filtered(match, self.filters), self.limit)


def _relevance(ranked: _Ranker, snapshot: Snapshot, lock, request, match, matched: int, members: int,
               boosted: int, wanted: int):
    scores = ranked(match, matched, members)
    if scores is not None:
        return _best(scores, members, boosted, wanted)
    title_match = expression(request.query, title_only=True)
    in_title = (match_set(ranked.conn, request.query, title_only=True) or 0) if title_match else 0
    first = members & in_title
    tier = []
    scores = ranked(title_match, in_title, first) if first else None
    if scores is not None:
        tier = _best(scores, first, boosted, wanted)
    elif first:
        # too many to score: shortest titles first, as bm25's length norm
        # ranks documents that all hold the words once in their title
        with lock:
            tier = [found for group in (first & boosted, first & ~boosted) if group
                    for found in _sorted(snapshot, "brevity", group, 0, wanted)][:wanted]
    rest = members & ~first
    return tier + _by_id([rest & boosted, rest & ~boosted], wanted - len(tier))


def _best(scores: list[tuple[int, float]], members: int, boosted: int, wanted: int):
    """The best ``wanted`` of the scored members (``scores``: best first,
    ties by id); boosted ones count double (plus one, so that a boost lifts
    even a zero score); ties by id."""
    inside = bits.unpack(members)
    if not boosted:
        best = []
        for doc_id, score in scores:
            if doc_id < len(inside) and inside[doc_id]:
                best.append((doc_id, score))
                if len(best) >= wanted:
                    break
        return best
    favoured = bits.unpack(boosted)
    candidates = ((score * 2 + 1 if doc_id < len(favoured) and favoured[doc_id] else score, doc_id)
                  for doc_id, score in scores if doc_id < len(inside) and inside[doc_id])
    best = heapq.nsmallest(wanted, candidates, key=lambda item: (-item[0], item[1]))
    return [(doc_id, score) for score, doc_id in best]


def _by_id(groups: list[int], wanted: int):
    page = []
    for group in groups:
        if len(page) >= wanted:
            break
        page += [(doc_id, 0.0) for doc_id in bits.ids(group, wanted - len(page))]
    return page


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
