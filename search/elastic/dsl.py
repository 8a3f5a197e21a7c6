"""Search requests to query DSL, and responses back to the protocol's
results. Pure functions: no I/O, shared by Elasticsearch and OpenSearch.

Multi-select facets follow the documented pattern: the facet filters go in
``post_filter`` (they narrow the hits, not the aggregations), and each
facet is a ``filter`` aggregation holding every other facet's filter
around a ``terms`` aggregation.

A fuzzy request (SearchRequest.fuzzy) also matches each unfielded word
with ``fuzziness: AUTO`` on ``spell``, the words as written: a typing
mistake can change what the stemmer cuts (noida-db's light_french stems
"formation" to "form", "formatio" to itself), and fuzzy matching on the
stemmed fields then misses a word one letter away. The exact match, as a
``constant_score`` far above any text score, puts every exact document
above every fuzzy one; under a date or title sort the tiers are the first
sort key.
"""
from __future__ import annotations

import html
import re

from search.elastic.schema import FIELD_TARGETS, HIGHLIGHTED, TEXT_FIELDS
from search.engine import FACET_KEYS, FILTER_KEYS, FacetValue, Hit, SearchRequest, SearchResult
from search.query import Clause, Query

FACET_SIZE = 500  # every value: facets hold codes and library names, never thousands
MAX_WINDOW = 10000  # index.max_result_window
# an exact match's score lead in a fuzzy search: no text score comes near it
EXACT_TIER = 10000.0
# Elasticsearch's AUTO, the first letter included (a kiosk's visitors slip
# on any key), at most 50 words per typed word (the match query's default)
FUZZINESS = {"fuzziness": "AUTO", "prefix_length": 0, "max_expansions": 50}

_ALL_FIELDS = [f"{name}^{weight}" for name, weight in TEXT_FIELDS.items()]


def clause_query(clause: Clause) -> dict:
    if clause.field == "isbn":
        return {"terms": {"isbns": list(clause.words)}}
    fields = _ALL_FIELDS if clause.field is None else FIELD_TARGETS[clause.field]
    text = " ".join(clause.words)
    if clause.phrase:
        return {"multi_match": {"query": text, "fields": fields, "type": "phrase"}}
    # one word may still analyse to several tokens ("aujourd'hui"): all needed
    return {"multi_match": {"query": text, "fields": fields, "operator": "and"}}


def fuzzy_clause_query(clause: Clause) -> dict:
    """The clause, or its words a typing mistake away (unfielded words
    outside phrases; the rest stays exact)."""
    exact = clause_query(clause)
    if clause.field is not None or clause.phrase:
        return exact
    near = {"match": {"spell": {"query": " ".join(clause.words), "operator": "and", **FUZZINESS}}}
    return {"bool": {"should": [exact, near], "minimum_should_match": 1}}


def text_query(query: Query, *, fuzzy: bool = False) -> dict | None:
    if query.is_empty:
        return None
    return {"bool": {"must": [fuzzy_clause_query(c) if fuzzy else clause_query(c) for c in query.clauses]}}


def is_fuzzy(request: SearchRequest) -> bool:
    """Whether the request has words a fuzzy search would match differently."""
    return request.fuzzy and any(c.field is None and not c.phrase for c in request.query.clauses)


def match_query(request: SearchRequest, *, fuzzy: bool = False) -> dict:
    """The text match, or a document indexed under one of the concepts."""
    text = text_query(request.query, fuzzy=fuzzy)
    concepts = {"terms": {"descriptor_paths": list(request.concept_ids)}} if request.concept_ids else None
    if text and concepts:
        return {"bool": {"should": [text, concepts], "minimum_should_match": 1}}
    return text or concepts or {"match_all": {}}


def facet_filter(facet: str, values) -> dict:
    if facet == "concept":  # ids in a numeric field: anything else keeps nothing, as on the embedded engine
        return {"terms": {FILTER_KEYS[facet]: sorted({int(v) for v in values if str(v).isdigit()})}}
    return {"terms": {FILTER_KEYS[facet]: list(values)}}


def search_body(request: SearchRequest) -> dict:
    query = exact = match_query(request)
    sort = SORTS[request.sort]
    if is_fuzzy(request):
        near = match_query(request, fuzzy=True)
        if request.sort == "relevance":
            tiers = [{"constant_score": {"filter": exact, "boost": EXACT_TIER}}, near]
        else:
            tiers = [{"constant_score": {"filter": exact, "boost": 1.0}},
                     {"constant_score": {"filter": near, "boost": 0.0}}]
            sort = [{"_score": "desc"}, *sort]
        query = {"bool": {"should": tiers, "minimum_should_match": 1}}
    boosts = [{"terms": {FACET_KEYS[f]: list(v), "boost": 2.0}} for f, v in request.boost.items() if v]
    if boosts and request.sort == "relevance":
        query = {"bool": {"must": [query], "should": boosts}}
    filters = {f: facet_filter(f, v) for f, v in request.filters.items() if v}
    start = (max(request.page, 1) - 1) * request.size
    size = request.size if start + request.size <= MAX_WINDOW else 0
    body = {
        "query": query,
        "from": min(start, MAX_WINDOW), "size": size,
        "track_total_hits": True,
        "sort": sort,
        "_source": ["id", "title"],
    }
    if filters:
        body["post_filter"] = {"bool": {"filter": list(filters.values())}}
    if request.facets:
        body["aggs"] = {
            facet: {"filter": {"bool": {"filter": [q for f, q in filters.items() if f != facet]}},
                    "aggs": {"values": {"terms": {"field": FACET_KEYS[facet], "size": FACET_SIZE}}}}
            for facet in request.facets
        }
    if is_fuzzy(request):
        # how many match exactly: they come first (the facet filters apply, as post_filter does to hits)
        body.setdefault("aggs", {})["exact"] = {"filter": {"bool": {"filter": [exact, *filters.values()]}}}
    words = [w for c in request.query.clauses if c.field != "isbn" for w in c.words]
    if request.highlight and words:
        body["highlight"] = {
            "pre_tags": ["<mark>"], "post_tags": ["</mark>"], "encoder": "html",
            # every word the visitor typed is marked wherever it occurs (in a
            # document found through a concept, or outside a phrase, too), as
            # on the embedded engine; never the concept expansion
            "highlight_query": {"multi_match": {"query": " ".join(words), "fields": list(HIGHLIGHTED)}},
            # whole fields, as the embedded engine returns them
            "fields": {"title": {"number_of_fragments": 0}, "summary": {"number_of_fragments": 0}},
        }
    return body


SORTS = {
    "relevance": [{"_score": "desc"}, {"id": "asc"}],
    "date": [{"year": {"order": "desc", "missing": "_last"}}, {"id": "asc"}],
    "title": [{"title_sort": {"order": "asc", "missing": "_last"}}, {"id": "asc"}],
}


def search_result(response: dict, request: SearchRequest) -> SearchResult:
    hits = []
    exact = None
    if request.fuzzy:
        total = int(response["hits"]["total"]["value"])
        exact = int(response.get("aggregations", {}).get("exact", {}).get("doc_count", total))
    start = (max(request.page, 1) - 1) * request.size
    tiered = is_fuzzy(request) and request.sort == "relevance"
    for at, hit in enumerate(response["hits"]["hits"], start):
        found = hit.get("highlight") or {}
        marked = {name: " … ".join(_marked(p) for p in parts)
                  for name, parts in found.items() if name in HIGHLIGHTED and parts}
        fuzzy = exact is not None and at >= exact
        score = float(hit.get("_score") or 0.0)
        hits.append(Hit(id=int(hit["_source"]["id"]), score=score - EXACT_TIER if tiered and not fuzzy else score,
                        title=hit["_source"].get("title") or "", highlight=marked, fuzzy=fuzzy))
    facets = {}
    for facet in request.facets:
        buckets = response.get("aggregations", {}).get(facet, {}).get("values", {}).get("buckets", [])
        values = [FacetValue(str(b["key"]), int(b["doc_count"])) for b in buckets if b["doc_count"] > 0]
        facets[facet] = sorted(values, key=lambda v: (-v.count, v.value))
    return SearchResult(total=int(response["hits"]["total"]["value"]), hits=hits, facets=facets, exact=exact)


_MARKED = re.compile(r"<mark>(.*?)</mark>", re.S)
_ELIDED = re.compile(r"^(\w{1,6}['’])(?=\w)")


def _marked(fragment: str) -> str:
    """The fragment as the embedded engine marks text: each word in its own
    <mark> (a phrase is marked word by word), the elided article left out
    ("l'<mark>entreprise</mark>"), escaped by html.escape (servers' "html"
    encoders differ: "/" -> "&#x2F;")."""
    out, last = [], 0
    for match in _MARKED.finditer(fragment):
        out.append(html.escape(html.unescape(fragment[last:match.start()])))
        for i, piece in enumerate(re.split(r"(\s+)", html.unescape(match.group(1)))):
            if i % 2 or not piece:
                out.append(piece)  # the spaces between marked words
                continue
            elided = _ELIDED.match(piece)
            if elided:
                out.append(html.escape(elided.group(1)))
                piece = piece[elided.end():]
            out.append(f"<mark>{html.escape(piece)}</mark>")
        last = match.end()
    out.append(html.escape(html.unescape(fragment[last:])))
    return "".join(out)
