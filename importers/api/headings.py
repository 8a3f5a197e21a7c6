"""The alignment of incoming subject headings with the thesaurus."""
from __future__ import annotations

from marshmallow import Schema, fields

from accounts.permissions import EDIT_THESAURUS, VIEW_STAFF
from core.web.api import (
    PageArgs,
    Strict,
    api_user,
    blueprint,
    db_session,
    documented,
    page,
    page_of,
    require_api,
)
from importers.services.alignment import AlignmentService
from thesaurus.api.schemas import ConceptRef

blp = blueprint("headings", "Subject headings from imports not yet mapped to a concept, and their mapping.")


class HeadingArgs(PageArgs):
    q = fields.String(metadata={"description": "Start of the heading (accents and case ignored)."})


class HeadingRow(Schema):
    heading_key = fields.String()
    heading = fields.String()
    vocabulary = fields.String(allow_none=True)
    records = fields.Integer(metadata={"description": "Records carrying it."})
    suggestion = fields.Nested(ConceptRef, allow_none=True)


HeadingPage = page_of(HeadingRow)


class MapIn(Strict):
    heading_key = fields.String(required=True)
    concept_id = fields.Integer(required=True)


class Mapping(Schema):
    id = fields.Integer()
    heading_key = fields.String()
    heading = fields.String()
    concept = fields.Nested(ConceptRef)
    records_indexed = fields.Integer(metadata={"description": "Records that got the descriptor now."})


def _service():
    return AlignmentService(db_session(), api_user())


def _ref(concept) -> dict | None:
    return None if concept is None else {"id": concept.id, "uri": concept.uri, "label": concept.pref_label_fr}


@blp.route("/headings", methods=["GET"])
@require_api(VIEW_STAFF)
@blp.arguments(HeadingArgs, location="query")
@blp.response(200, HeadingPage)
@documented(blp, 401, 403, 422)
def list_headings(args):
    """Headings no concept is mapped to, most used first, with a suggested concept."""
    rows, total = _service().queue(page=args["page"], size=args["size"], text=args.get("q"))
    return page([{"heading_key": r.heading_key, "heading": r.heading, "vocabulary": r.vocabulary,
                  "records": r.records, "suggestion": _ref(r.suggestion)} for r in rows], total, args)


@blp.route("/headings/map", methods=["POST"])
@require_api(EDIT_THESAURUS)
@blp.arguments(MapIn)
@blp.response(201, Mapping)
@documented(blp, 401, 403, 404, 422)
def map_heading(data):
    """Map a heading to a concept: every record carrying it gets the concept
    as a descriptor, now and in later imports."""
    mapping, indexed = _service().map(data["heading_key"], data["concept_id"])
    db_session().flush()
    return {"id": mapping.id, "heading_key": mapping.heading_key, "heading": mapping.heading,
            "concept": _ref(mapping.concept), "records_indexed": indexed}, 201
