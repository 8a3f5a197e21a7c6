"""Alignment of incoming subject headings with the thesaurus."""
from __future__ import annotations

from catalogue.accounts.permissions import EDIT_THESAURUS, VIEW_STAFF
from catalogue.api.common import api_user, blueprint, db_session, documented, page, require_api

from . import schemas

blp = blueprint("headings", "Subject headings from imports not yet mapped to a concept, and their mapping.")


def _service():
    from ..services.alignment import AlignmentService

    return AlignmentService(db_session(), api_user())


def _ref(concept) -> dict | None:
    return None if concept is None else {"id": concept.id, "uri": concept.uri, "label": concept.pref_label_fr}


@blp.route("/headings", methods=["GET"])
@require_api(VIEW_STAFF)
@blp.arguments(schemas.HeadingArgs, location="query")
@blp.response(200, schemas.HeadingPage)
@documented(blp, 401, 403, 422)
def list_headings(args):
    """Headings no concept is mapped to, most used first, with a suggested concept."""
    rows, total = _service().queue(page=args["page"], size=args["size"], text=args.get("q"))
    return page([{"heading_key": r.heading_key, "heading": r.heading, "vocabulary": r.vocabulary,
                  "records": r.records, "suggestion": _ref(r.suggestion)} for r in rows], total, args)


@blp.route("/headings/map", methods=["POST"])
@require_api(EDIT_THESAURUS)
@blp.arguments(schemas.MapIn)
@blp.response(201, schemas.Mapping)
@documented(blp, 401, 403, 404, 422)
def map_heading(data):
    """Map a heading to a concept: every record carrying it gets the concept
    as a descriptor, now and in later imports."""
    mapping, indexed = _service().map(data["heading_key"], data["concept_id"])
    db_session().flush()
    return {"id": mapping.id, "heading_key": mapping.heading_key, "heading": mapping.heading,
            "concept": _ref(mapping.concept), "records_indexed": indexed}, 201
