"""Marshmallow schemas of the public search API."""
from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

from search.engine import FACETS, SORTS

MAX_PAGE = 500  # deep pages help no one and cost the engine most


class Strict(Schema):
    class Meta:
        unknown = RAISE


def _facet_field(name: str):
    return fields.List(fields.String(validate=validate.Length(max=100)), validate=validate.Length(max=20),
                       metadata={"description": f"Keep works with this `{name}` (repeat for several: OR)."})


SearchArgs = Strict.from_dict({
    "q": fields.String(load_default="", validate=validate.Length(max=500), metadata={
        "description": "What to look for: words (all of them), \"a phrase\", `field:word` with title, author, "
                       "subject, isbn, publisher, series (or titre, auteur, sujet, editeur, collection)."}),
    "page": fields.Integer(load_default=1, validate=validate.Range(min=1, max=MAX_PAGE)),
    "size": fields.Integer(load_default=20, validate=validate.Range(min=1, max=100)),
    "sort": fields.String(load_default="relevance", validate=validate.OneOf(SORTS)),
    **{facet: _facet_field(facet) for facet in FACETS},
}, name="SearchArgs")


class CompleteArgs(Strict):
    q = fields.String(load_default="", validate=validate.Length(max=200),
                      metadata={"description": "The first letters typed (blank: no suggestion)."})
    size = fields.Integer(load_default=8, validate=validate.Range(min=1, max=20))


class SearchHit(Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    highlight = fields.Dict(keys=fields.String(), values=fields.String(), required=True, metadata={
        "description": "Field (title, summary...) -> HTML-escaped text with <mark> around the matched words."})
    approximate = fields.Boolean(required=True, metadata={
        "description": "Found only through a close spelling of the words (after every exact match)."})


class SearchFacetValue(Schema):
    value = fields.String(required=True)
    count = fields.Integer(required=True)


class SearchConcept(Schema):
    id = fields.Integer(required=True)
    label = fields.String(required=True)


class SearchResults(Schema):
    total = fields.Integer(required=True)
    page = fields.Integer(required=True)
    size = fields.Integer(required=True)
    hits = fields.List(fields.Nested(SearchHit), required=True)
    facets = fields.Dict(keys=fields.String(), values=fields.List(fields.Nested(SearchFacetValue)), required=True,
                         metadata={"description": "Facet name -> values with their counts (each counted with "
                                                  "every filter applied but its own)."})
    suggestion = fields.String(allow_none=True, required=True, metadata={
        "description": "When the words find nothing exactly: a query that finds something "
                       "(\"did you mean\"), or null."})
    approximate = fields.Integer(required=True, metadata={
        "description": "How many of the works found match only a close spelling of the words (a typing "
                       "mistake away): searched when the words find nothing exactly, after any exact match."})
    concepts = fields.List(fields.Nested(SearchConcept), metadata={
        "description": "Thesaurus concepts the query named: their works (and narrower ones') are included."})


class SearchCompletion(Schema):
    kind = fields.String(required=True, metadata={"description": "`title`, `author` or `concept`."})
    text = fields.String(required=True)
    record_id = fields.Integer(allow_none=True)
    concept_id = fields.Integer(allow_none=True)
    pref_label = fields.String(allow_none=True, metadata={
        "description": "For a concept entry term: the preferred term it leads to."})


class SearchCompletions(Schema):
    items = fields.List(fields.Nested(SearchCompletion), required=True)
