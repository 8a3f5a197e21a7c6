from __future__ import annotations

from flask import url_for
from sqlalchemy import func, select

from accounts.permissions import DELETE_CATALOGUE, EDIT_CATALOGUE, VIEW_STAFF
from catalogue.api import schemas
from catalogue.api.meta import audit_event
from catalogue.models import Item
from catalogue.services import ItemService, RecordService
from catalogue.services.descriptors import descriptor_refs
from catalogue.services.snapshots import item_snapshot, record_snapshot
from core.audit import AuditTrail
from core.web.api import api_user, blueprint, db_session, documented, page, require_api

blp = blueprint("records", "Works: bibliographic records, their items and their history.")


def _service() -> RecordService:
    return RecordService(db_session(), api_user())


def _with_counts(records) -> list[dict]:
    """Snapshots with their number of items and their descriptors, one query each."""
    ids = [r.id for r in records]
    counts = dict(db_session().execute(
        select(Item.record_id, func.count()).where(Item.record_id.in_(ids)).group_by(Item.record_id)).all())
    descriptors = descriptor_refs(db_session(), ids)
    return [dict(record_snapshot(r), item_count=counts.get(r.id, 0), descriptors=descriptors.get(r.id, []))
            for r in records]


def _with_count(record) -> dict:
    return _with_counts([record])[0]


@blp.route("/records", methods=["GET"])
@require_api(VIEW_STAFF)
@blp.arguments(schemas.RecordListArgs, location="query")
@blp.response(200, schemas.RecordPage)
@documented(blp, 401, 403, 422)
def list_records(args):
    """List works, most recently changed first."""
    records, total = _service().list(page=args["page"], size=args["size"], text=args.get("q"),
                                     document_type=args.get("document_type"), pole=args.get("pole"))
    return page(_with_counts(records), total, args)


@blp.route("/records", methods=["POST"])
@require_api(EDIT_CATALOGUE)
@blp.arguments(schemas.RecordFields)
@blp.response(201, schemas.Record)
@documented(blp, 401, 403, 422)
def create_record(data):
    """Catalogue a new work."""
    record = _service().create(data)
    return _with_count(record), 201, {"Location": url_for("records.get_record", record_id=record.id)}


@blp.route("/records/<int:record_id>", methods=["GET"])
@require_api(VIEW_STAFF)
@blp.response(200, schemas.Record)
@documented(blp, 401, 403, 404)
def get_record(record_id):
    """Read one work."""
    return _with_count(_service().get(record_id))


@blp.route("/records/<int:record_id>", methods=["PUT"])
@require_api(EDIT_CATALOGUE)
@blp.arguments(schemas.RecordUpdate)
@blp.response(200, schemas.Record)
@documented(blp, 401, 403, 404, 409, 422)
def update_record(data, record_id):
    """Replace a work's fields. Send the ``version`` you read: if the work was
    saved since, the answer is 409 with both versions and nothing changes."""
    version = data.pop("version")
    return _with_count(_service().update(record_id, data, expected_version=version))


@blp.route("/records/<int:record_id>", methods=["DELETE"])
@require_api(DELETE_CATALOGUE)
@blp.arguments(schemas.VersionArgs, location="query")
@blp.response(204)
@documented(blp, 401, 403, 404, 409)
def delete_record(args, record_id):
    """Delete a work that has no items left."""
    _service().delete(record_id, expected_version=args.get("version"))


@blp.route("/records/<int:record_id>/items", methods=["GET"])
@require_api(VIEW_STAFF)
@blp.arguments(schemas.PageArgs, location="query")
@blp.response(200, schemas.ItemPage)
@documented(blp, 401, 403, 404)
def list_record_items(args, record_id):
    """The items (copies) of a work."""
    _service().get(record_id)
    items, total = ItemService(db_session(), api_user()).list(
        record_id=record_id, page=args["page"], size=args["size"])
    return page([item_snapshot(i) for i in items], total, args)


@blp.route("/records/<int:record_id>/items", methods=["POST"])
@require_api(EDIT_CATALOGUE)
@blp.arguments(schemas.ItemFields)
@blp.response(201, schemas.Item)
@documented(blp, 401, 403, 404, 409, 422)
def create_item(data, record_id):
    """Add an item to a work. A barcode already in use answers 409."""
    item = ItemService(db_session(), api_user()).create(record_id, data)
    return item_snapshot(item), 201, {"Location": url_for("items.get_item", item_id=item.id)}


@blp.route("/records/<int:record_id>/history", methods=["GET"])
@require_api(VIEW_STAFF)
@blp.arguments(schemas.PageArgs, location="query")
@blp.response(200, schemas.AuditPage)
@documented(blp, 401, 403, 404)
def record_history(args, record_id):
    """Who changed this work and its items, and when; most recent first."""
    events, total = AuditTrail(db_session()).events(record_id=record_id, page=args["page"], size=args["size"])
    return page([audit_event(e) for e in events], total, args)
