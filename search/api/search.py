from __future__ import annotations

from dataclasses import asdict

from flask import jsonify
from flask_smorest import Blueprint

from core.web.api import documented
from search.answers import kept
from search.api import schemas
from search.engine import FACETS
from search.web import search_service

# Instances, not classes: given a class, webargs builds a schema on every request.
SEARCH_ARGS, COMPLETE_ARGS = schemas.SearchArgs(), schemas.CompleteArgs()

blp = Blueprint("search_api", __name__, description="Search the catalogue, as visitors do. Public: no token.")


@blp.route("/search", methods=["GET"])
@kept("api")
@blp.arguments(SEARCH_ARGS, location="query")
@blp.response(200, schemas.SearchResults)
@blp.doc(security=[])
@documented(blp, 422)
def search(args):
    """Search the catalogue: the hits of one page, facets with counts, and a
    suggestion when nothing is found exactly. When the words find few works,
    works found through a close spelling of them follow (``approximate``).
    Public."""
    filters = {facet: args[facet] for facet in FACETS if args.get(facet)}
    found = search_service().search(args["q"], filters=filters, sort=args["sort"], page=args["page"],
                                    size=args["size"])
    result = found.result
    # Built here in the documented shape and sent as it is: a marshmallow dump
    # would walk a nested schema per facet value (hundreds of languages at
    # 100,000 works) and cost more than the search. tests/search/
    # test_api_search.py checks the answer against schemas.SearchResults.
    return jsonify({
        "total": result.total, "page": found.page, "size": found.size,
        "hits": [{"id": hit.id, "title": hit.title, "highlight": hit.highlight, "approximate": hit.fuzzy}
                 for hit in result.hits],
        "facets": {name: [{"value": v.value, "count": v.count} for v in values]
                   for name, values in result.facets.items()},
        "suggestion": found.suggestion,
        "approximate": found.approximate,
        "concepts": [{"id": concept.id, "label": concept.label} for concept in found.concepts],
    })


@blp.route("/search/complete", methods=["GET"])
@blp.arguments(COMPLETE_ARGS, location="query")
@blp.response(200, schemas.SearchCompletions)
@blp.doc(security=[])
@documented(blp, 422)
def complete(args):
    """Titles, authors and thesaurus concepts starting with `q`, for a search
    box's suggestions. Public."""
    return {"items": [asdict(entry) for entry in search_service().complete(args["q"], size=args["size"])]}
