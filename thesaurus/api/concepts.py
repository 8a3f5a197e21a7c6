"""Concepts: read, create, edit, move, merge, deprecate; autocomplete; checks."""
from __future__ import annotations

from flask import current_app, url_for

from accounts.permissions import EDIT_THESAURUS, VIEW_STAFF
from core.web.api import api_user, blueprint, db_session, documented, page, require_api
from thesaurus.api import schemas
from thesaurus.services import browse
from thesaurus.services.concepts import ConceptService
from thesaurus.services.lookup import autocomplete as lookup
from thesaurus.services.validation import check_stored
from thesaurus.views.common import match_json
from thesaurus.vocab import LabelKind

blp = blueprint("concepts", "The shared thesaurus: concepts, their labels and relations, and its checks.")


def _service():
    return ConceptService(db_session(), api_user(), base_uri=current_app.config["THESAURUS_BASE_URI"])


def _ref(ref) -> dict | None:
    return None if ref is None else {"id": ref.id, "uri": ref.uri, "label": ref.label_fr}


def concept_json(concept_id: int) -> dict:
    """A concept as the API shows it, read back from the database."""
    session = db_session()
    session.flush()
    page_data = browse.concept_page(session, concept_id)
    concept = page_data.concept
    session.refresh(concept)  # the version a client must send next
    labels = page_data.labels
    return {
        "id": concept.id, "uri": concept.uri, "version": concept.version, "notation": concept.notation,
        "status": concept.status.value, "top_concept": concept.top_concept, "scheme_id": concept.scheme_id,
        "pref_labels": {label.language: label.text for label in labels.get(LabelKind.PREF.value, [])},
        "alt_labels": [{"id": lb.id, "language": lb.language, "text": lb.text} for lb in labels.get("alt", [])],
        "hidden_labels": [{"id": lb.id, "language": lb.language, "text": lb.text} for lb in labels.get("hidden", [])],
        "notes": [{"id": n.id, "kind": n.kind, "language": n.language, "text": n.text}
                  for notes in page_data.notes.values() for n in notes],
        "broader": [_ref(r) for r in page_data.broader], "narrower": [_ref(r) for r in page_data.narrower],
        "related": [_ref(r) for r in page_data.related], "replaced_by": _ref(page_data.replaced_by),
        "collections": [{"id": g.id, "uri": g.uri, "label": g.label_fr} for g in page_data.collections],
        "created_at": concept.created_at.isoformat() if concept.created_at else None,
        "updated_at": concept.updated_at.isoformat() if concept.updated_at else None,
    }


@blp.route("/concepts", methods=["GET"])
@require_api(VIEW_STAFF)
@blp.arguments(schemas.ConceptListArgs, location="query")
@blp.response(200, schemas.ConceptPage)
@documented(blp, 401, 403, 422)
def list_concepts(args):
    """List concepts by French label; ``q`` keeps those with a label starting so."""
    concepts, total = browse.concept_list(db_session(), text=args.get("q"), status=args.get("status"),
                                          page=args["page"], size=args["size"])
    return page([{"id": c.id, "uri": c.uri, "label": c.pref_label_fr, "label_en": c.pref_label_en,
                  "notation": c.notation, "status": c.status.value, "version": c.version} for c in concepts],
                total, args)


@blp.route("/concepts", methods=["POST"])
@require_api(EDIT_THESAURUS)
@blp.arguments(schemas.ConceptIn)
@blp.response(201, schemas.Concept)
@documented(blp, 401, 403, 422)
def create_concept(data):
    """Create a concept. An edit that would break the thesaurus (a label clash,
    a cycle) answers 422 with code ``thesaurus_rule`` and its ``findings``."""
    concept = _service().create(data)
    return concept_json(concept.id), 201, {"Location": url_for("concepts.get_concept", concept_id=concept.id)}


@blp.route("/concepts/autocomplete", methods=["GET"])
@require_api(VIEW_STAFF)
@blp.arguments(schemas.AutocompleteArgs, location="query")
@blp.response(200, schemas.Matches)
@documented(blp, 401, 403, 422)
def autocomplete(args):
    """Concepts with a preferred label or entry term starting with ``q``,
    accents and case ignored; an entry term says which concept it leads to."""
    matches = lookup(db_session(), args["q"], limit=args["limit"], include_deprecated=args["include_deprecated"])
    return {"items": [match_json(m) for m in matches]}


@blp.route("/concepts/<int:concept_id>", methods=["GET"])
@require_api(VIEW_STAFF)
@blp.response(200, schemas.Concept)
@documented(blp, 401, 403, 404)
def get_concept(concept_id):
    """Read one concept, with its labels, notes and relations."""
    return concept_json(concept_id)


@blp.route("/concepts/<int:concept_id>", methods=["PATCH"])
@require_api(EDIT_THESAURUS)
@blp.arguments(schemas.ConceptPatch)
@blp.response(200, schemas.Concept)
@documented(blp, 401, 403, 404, 409, 422)
def update_concept(data, concept_id):
    """Change the fields sent (a list sent replaces the stored one). Send the
    ``version`` you read: if the concept changed since, 409 and nothing changes."""
    version = data.pop("version")
    _service().update(concept_id, data, version=version)
    return concept_json(concept_id)


@blp.route("/concepts/<int:concept_id>/labels", methods=["POST"])
@require_api(EDIT_THESAURUS)
@blp.arguments(schemas.LabelAdd)
@blp.response(201, schemas.Concept)
@documented(blp, 401, 403, 404, 409, 422)
def add_label(data, concept_id):
    """Add a label, by default an entry term (``kind`` alt)."""
    _service().add_label(concept_id, data["kind"], data["language"], data["text"], version=data.get("version"))
    return concept_json(concept_id), 201


@blp.route("/concepts/<int:concept_id>/labels/<int:label_id>", methods=["DELETE"])
@require_api(EDIT_THESAURUS)
@blp.arguments(schemas.VersionOnly, location="query")
@blp.response(200, schemas.Concept)
@documented(blp, 401, 403, 404, 409, 422)
def remove_label(args, concept_id, label_id):
    """Remove a label; answers the concept as it is now."""
    _service().remove_label(concept_id, label_id, version=args.get("version"))
    return concept_json(concept_id)


@blp.route("/concepts/<int:concept_id>/move", methods=["POST"])
@require_api(EDIT_THESAURUS)
@blp.arguments(schemas.MoveIn)
@blp.response(200, schemas.Concept)
@documented(blp, 401, 403, 404, 409, 422)
def move_concept(data, concept_id):
    """Give the concept exactly these broader concepts. A move that would
    make a cycle answers 422 ``thesaurus_rule``, its message naming the chain."""
    _service().move(concept_id, data["broader"], version=data.get("version"))
    return concept_json(concept_id)


@blp.route("/concepts/<int:concept_id>/merge", methods=["POST"])
@require_api(EDIT_THESAURUS)
@blp.arguments(schemas.MergeIn)
@blp.response(200, schemas.Concept)
@documented(blp, 401, 403, 404, 409, 422)
def merge_concept(data, concept_id):
    """Merge this concept into ``into``: its records move there, its labels
    become entry terms there, and it is deprecated. Answers the survivor."""
    survivor = _service().merge(concept_id, data["into"], version=data.get("version"))
    return concept_json(survivor.id)


@blp.route("/concepts/<int:concept_id>/deprecate", methods=["POST"])
@require_api(EDIT_THESAURUS)
@blp.arguments(schemas.DeprecateIn)
@blp.response(200, schemas.Concept)
@documented(blp, 401, 403, 404, 409, 422)
def deprecate_concept(data, concept_id):
    """Deprecate the concept, naming the concept to use instead (optional)."""
    _service().deprecate(concept_id, data.get("replaced_by"), version=data.get("version"))
    return concept_json(concept_id)


@blp.route("/thesaurus/check", methods=["GET"])
@require_api(VIEW_STAFF)
@blp.response(200, schemas.CheckReport)
@documented(blp, 401, 403)
def check_thesaurus():
    """Every check on the stored thesaurus, as ``catalogue thesaurus check`` runs them."""
    findings = check_stored(db_session())
    errors = sum(1 for f in findings if f.is_error)
    return {"errors": errors, "warnings": len(findings) - errors, "findings": [f.as_dict() for f in findings]}
