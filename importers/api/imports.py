"""Import runs and harvests with their counts, and the updates they held for
review (importers.services.held): list them, apply or reject one or all."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from accounts.permissions import EDIT_CATALOGUE, VIEW_STAFF
from catalogue.services.snapshots import plain
from core.errors import NotFound
from core.i18n import N_
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
from core.web.errors import translate
from core.web.numbers import BIGGEST
from importers.services.held import REASON_MAX, STATES, HeldService
from importers.services.imports import ImportService

blp = blueprint("import_runs", "Import runs and harvests with their counts, and the updates they held for "
                               "review: an update from another source that would change a work's title or main "
                               "author waits there until someone applies or rejects it.")


class HeldDecisions(Schema):
    held = fields.Integer(metadata={"description": "Still waiting for a decision."})
    applied = fields.Integer()
    rejected = fields.Integer()


class ImportRun(Schema):
    id = fields.Integer()
    kind = fields.String(metadata={"description": "file or oai"})
    source = fields.String(allow_none=True)
    location = fields.String(allow_none=True)
    status = fields.String(metadata={"description": "running, finished, failed or interrupted"})
    dry_run = fields.Boolean()
    error = fields.String(allow_none=True)
    started_at = fields.String(metadata={"format": "date-time"})
    finished_at = fields.String(allow_none=True, metadata={"format": "date-time"})
    read = fields.Integer(metadata={"description": "= created + updated + unchanged + held + rejected"})
    created = fields.Integer()
    updated = fields.Integer()
    unchanged = fields.Integer()
    held = fields.Integer(metadata={"description": "Updates held for review, as the run counted them."})
    rejected = fields.Integer()
    held_decisions = fields.Nested(HeldDecisions, metadata={"description": "What became of the held updates."})


class HeldChange(Schema):
    old = fields.String(allow_none=True)
    new = fields.String(allow_none=True)


class HeldUpdate(Schema):
    id = fields.Integer()
    run_id = fields.Integer()
    position = fields.Integer(metadata={"description": "Position of the record in the file or harvest."})
    record_id = fields.Integer(allow_none=True, metadata={"description": "None if the work was deleted since."})
    record_version = fields.Integer(metadata={"description": "The work's version when the update was held."})
    current_version = fields.Integer(allow_none=True, metadata={"description": "The work's version now."})
    rule = fields.String(metadata={"description": "The match rule that found the work: isbn, issn or key."})
    title = fields.Nested(HeldChange)
    author = fields.Nested(HeldChange, metadata={"description": "The main (first) author."})
    state = fields.String(metadata={"description": "held, applied or rejected"})
    decided_by = fields.String(allow_none=True, metadata={"description": "Username of who decided."})
    decided_at = fields.String(allow_none=True, metadata={"format": "date-time"})
    reason = fields.String(allow_none=True)


class HeldApplied(HeldUpdate):
    outcome = fields.String(metadata={"description": "updated, or unchanged if the work already said the same."})


class HeldSkipped(Schema):
    id = fields.Integer()
    code = fields.String()
    message = fields.String()


class HeldDecided(Schema):
    applied = fields.Integer()
    rejected = fields.Integer()
    skipped = fields.List(fields.Nested(HeldSkipped), metadata={
        "description": "Updates that could not be applied (their work changed or was deleted since): still held."})


class HeldUpdateArgs(PageArgs):
    state = fields.String(validate=validate.OneOf(STATES))


class HeldApplyIn(Strict):
    version = fields.Integer(validate=validate.Range(min=1, max=BIGGEST), metadata={
        "description": "The work's version the decision was taken on (default: its version when held); "
                       "409 if the work is at another one."})
    reason = fields.String(validate=validate.Length(max=REASON_MAX))


class HeldRejectIn(Strict):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=REASON_MAX))


class HeldApplyAllIn(Strict):
    reason = fields.String(validate=validate.Length(max=REASON_MAX))


def _run(run, counts: dict) -> dict:
    data = {name: getattr(run, name) for name in ("id", "kind", "source", "location", "status", "dry_run", "error",
                                                   "read", "created", "updated", "unchanged", "held", "rejected")}
    data.update(started_at=plain(run.started_at), finished_at=plain(run.finished_at), held_decisions=counts)
    return data


def _held(held) -> dict:
    return {"id": held.id, "run_id": held.run_id, "position": held.position, "record_id": held.record_id,
            "record_version": held.record_version,
            "current_version": held.record.version if held.record is not None else None, "rule": held.rule,
            "title": {"old": held.old_title, "new": held.new_title},
            "author": {"old": held.old_author, "new": held.new_author}, "state": held.state,
            "decided_by": held.decided_by.username if held.decided_by else None,
            "decided_at": plain(held.decided_at), "reason": held.reason}


def _found_run(run_id: int):
    run = ImportService(db_session()).get_run(run_id)
    if run is None:
        raise NotFound(N_("There is no import number %(id)s."), id=run_id)
    return run


def _held_service():
    return HeldService(db_session(), api_user())


@blp.route("/imports", methods=["GET"])
@require_api(VIEW_STAFF)
@blp.arguments(PageArgs, location="query")
@blp.response(200, page_of(ImportRun))
@documented(blp, 401, 403, 422)
def list_runs(args):
    """Import runs and harvests, the latest first, with their counts."""
    runs, total = ImportService(db_session()).runs(page=args["page"], size=args["size"])
    return page([_run(run, _held_service().counts(run.id)) for run in runs], total, args)


@blp.route("/imports/<int:run_id>", methods=["GET"])
@require_api(VIEW_STAFF)
@blp.response(200, ImportRun)
@documented(blp, 401, 403, 404)
def get_run(run_id):
    """One run: read = created + updated + unchanged + held + rejected."""
    return _run(_found_run(run_id), _held_service().counts(run_id))


@blp.route("/imports/<int:run_id>/held", methods=["GET"])
@require_api(VIEW_STAFF)
@blp.arguments(HeldUpdateArgs, location="query")
@blp.response(200, page_of(HeldUpdate))
@documented(blp, 401, 403, 404, 422)
def list_held(args, run_id):
    """The run's held updates in file order (those in ``state`` if given)."""
    _found_run(run_id)
    rows, total = _held_service().list(run_id, state=args.get("state"), page=args["page"], size=args["size"])
    return page([_held(h) for h in rows], total, args)


@blp.route("/imports/<int:run_id>/held/<int:held_id>/apply", methods=["POST"])
@require_api(EDIT_CATALOGUE)
@blp.arguments(HeldApplyIn)
@blp.response(200, HeldApplied)
@documented(blp, 401, 403, 404, 409, 422)
def apply_held(data, run_id, held_id):
    """Apply a held update to its work (audited, re-indexed). 409 if it was
    decided already (``already_decided``), or if the work changed since
    (``version_conflict``: look at it, then send the version you decided on)."""
    held, outcome = _held_service().apply(run_id, held_id, version=data.get("version"), reason=data.get("reason"))
    return {**_held(held), "outcome": outcome}


@blp.route("/imports/<int:run_id>/held/<int:held_id>/reject", methods=["POST"])
@require_api(EDIT_CATALOGUE)
@blp.arguments(HeldRejectIn)
@blp.response(200, HeldUpdate)
@documented(blp, 401, 403, 404, 409, 422)
def reject_held(data, run_id, held_id):
    """Reject a held update, saying why: the work stays as it is."""
    return _held(_held_service().reject(run_id, held_id, reason=data["reason"]))


@blp.route("/imports/<int:run_id>/held/apply", methods=["POST"])
@require_api(EDIT_CATALOGUE)
@blp.arguments(HeldApplyAllIn)
@blp.response(200, HeldDecided)
@documented(blp, 401, 403, 404, 422)
def apply_all_held(data, run_id):
    """Apply every update of the run still held; those whose work changed or
    was deleted since stay held and are listed in ``skipped``."""
    return _decided(_held_service().decide_all(run_id, "apply", reason=data.get("reason")))


@blp.route("/imports/<int:run_id>/held/reject", methods=["POST"])
@require_api(EDIT_CATALOGUE)
@blp.arguments(HeldRejectIn)
@blp.response(200, HeldDecided)
@documented(blp, 401, 403, 404, 422)
def reject_all_held(data, run_id):
    """Reject every update of the run still held, saying why."""
    return _decided(_held_service().decide_all(run_id, "reject", reason=data["reason"]))


def _decided(done: dict) -> dict:
    skipped = [{"id": s["id"], "code": s["code"], "message": translate(s["message"], s["params"])}
               for s in done["skipped"]]
    return {**done, "skipped": skipped}
