"""Counting in-house use by scanning barcodes: POST /api/v1/uses, on both databases."""
from __future__ import annotations

from sqlalchemy import func, select

from catalogue.models import Item, ItemUse
from core.audit import AuditEvent
from tests.support.api import assert_error, bearer
from tests.support.factories import make_item, make_record, make_token, make_user


# Helpers ---------------------------------------------------------------------
def scan(client, headers, *barcodes) -> dict:
    response = client.post("/api/v1/uses", json={"barcodes": list(barcodes)}, headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def item(db, barcode: str) -> Item:
    with db.session() as session:
        return session.scalar(select(Item).where(Item.barcode == barcode))


def uses_of(db, item_id: int) -> list[ItemUse]:
    with db.session() as session:
        return list(session.scalars(select(ItemUse).where(ItemUse.item_id == item_id).order_by(ItemUse.id)))


def use_events(db) -> list[AuditEvent]:
    with db.session() as session:
        return list(session.scalars(select(AuditEvent).where(AuditEvent.action == "use").order_by(AuditEvent.id)))


# Tests -----------------------------------------------------------------------
def test_each_scan_counts_one_use(client, db):
    user = make_user(db)
    headers = {"Authorization": f"Bearer {make_token(db, user.username)}"}
    record = make_record(db)
    first = make_item(db, record.id, "CM1")
    second = make_item(db, record.id, "CM2")

    body = scan(client, headers, "CM1", " CM2 ", "CM1")

    assert (body["recorded"], body["failed"]) == (3, 0)
    assert [(r["barcode"], r["ok"], r["use_count"]) for r in body["results"]] == [
        ("CM1", True, 1), ("CM2", True, 1), ("CM1", True, 2)]
    assert all(r["item_id"] in (first.id, second.id) and r["record_id"] == record.id for r in body["results"])
    assert body["results"][0]["title"] == record.title
    assert item(db, "CM1").use_count == 2
    assert item(db, "CM2").use_count == 1
    assert item(db, "CM1").last_used_at is not None
    rows = uses_of(db, first.id)
    assert len(rows) == 2 and len(uses_of(db, second.id)) == 1
    assert all(row.used_at is not None and row.recorded_by_id == user.id for row in rows)
    assert item(db, "CM1").last_used_at == max(row.used_at for row in rows)


def test_unknown_barcode_is_reported_without_stopping_the_others(client, db):
    headers = bearer(db)
    record = make_record(db)
    make_item(db, record.id, "CM1")
    make_item(db, record.id, "CM2")

    body = scan(client, headers, "CM1", "NOPE", "CM2")

    assert (body["recorded"], body["failed"]) == (2, 1)
    unknown = body["results"][1]
    assert unknown["barcode"] == "NOPE" and unknown["ok"] is False
    assert unknown["item_id"] is None and isinstance(unknown["message"], str) and unknown["message"]
    assert item(db, "CM1").use_count == 1 and item(db, "CM2").use_count == 1


def test_withdrawn_item_is_refused(client, db):
    headers = bearer(db)
    record = make_record(db)
    withdrawn = make_item(db, record.id, "CM1", status="withdrawn")

    body = scan(client, headers, "CM1")

    assert (body["recorded"], body["failed"]) == (0, 1)
    [result] = body["results"]
    assert result["ok"] is False and result["item_id"] == withdrawn.id and result["use_count"] == 0
    assert item(db, "CM1").use_count == 0 and item(db, "CM1").last_used_at is None
    assert uses_of(db, withdrawn.id) == []
    assert use_events(db) == []


def test_missing_item_found_on_a_table_becomes_available(client, db):
    headers = bearer(db)
    record = make_record(db)
    missing = make_item(db, record.id, "CM1", status="missing")

    [result] = scan(client, headers, "CM1")["results"]

    assert result["ok"] is True and result["use_count"] == 1
    assert item(db, "CM1").status.value == "available"
    [event] = use_events(db)
    assert event.entity_id == missing.id
    assert event.changes["status"] == ["missing", "available"]
    assert event.changes["use_count"] == [0, 1]


def test_a_use_does_not_bump_the_version_so_an_open_edit_still_saves(client, db):
    headers = bearer(db)
    record = make_record(db)
    make_item(db, record.id, "CM1")
    opened = client.get("/api/v1/items?barcode=CM1", headers=headers).get_json()["items"][0]
    assert opened["version"] == 1

    scan(client, headers, "CM1", "CM1")
    assert item(db, "CM1").version == 1

    edit = {k: opened[k] for k in ("barcode", "library", "location", "call_number", "status",
                                   "acquired_on", "price", "condition", "public_note")}
    response = client.put(f"/api/v1/items/{opened['id']}", headers=headers,
                          json={**edit, "location": "Présentoir", "version": opened["version"]})
    assert response.status_code == 200, response.get_data(as_text=True)
    saved = response.get_json()
    assert saved["version"] == 2
    assert saved["use_count"] == 2  # the edit kept the uses counted meanwhile
    assert item(db, "CM1").use_count == 2


def test_uses_are_audited_with_action_use(client, db):
    headers = bearer(db)
    record = make_record(db)
    counted = make_item(db, record.id, "CM1")

    scan(client, headers, "CM1", "CM1", "NOPE")

    events = use_events(db)
    assert len(events) == 2
    assert all(e.entity_type == "item" and e.entity_id == counted.id and e.record_id == record.id for e in events)
    assert [e.changes["use_count"] for e in events] == [[0, 1], [1, 2]]
    assert all(e.actor.username == "doc" for e in events)
    listed = client.get("/api/v1/audit?action=use", headers=headers).get_json()
    assert listed["total"] == 2 and {e["action"] for e in listed["items"]} == {"use"}
    history = client.get(f"/api/v1/records/{record.id}/history", headers=headers).get_json()
    assert [e["action"] for e in history["items"]].count("use") == 2


def test_counsellors_count_uses(client, db):
    headers = bearer(db, "conseil", "counsellor", pole="orientation")
    record = make_record(db)
    make_item(db, record.id, "CM1")
    assert scan(client, headers, "CM1")["recorded"] == 1


def test_blank_barcodes_are_skipped(client, db):
    headers = bearer(db)
    record = make_record(db)
    make_item(db, record.id, "CM1")
    body = scan(client, headers, "", "  ", "CM1")
    assert (body["recorded"], body["failed"], len(body["results"])) == (1, 0, 1)


def test_bad_bodies_are_422(client, db):
    headers = bearer(db)
    for body, field in (({"barcodes": []}, "barcodes"), ({}, "barcodes"), ({"barcodes": "CM1"}, "barcodes"),
                        ({"barcodes": [1]}, "barcodes.0"), ({"barcodes": ["CM1"], "at": "now"}, "at")):
        error = assert_error(client.post("/api/v1/uses", json=body, headers=headers), 422, "validation_failed")
        assert field in error["fields"], (body, error)
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(ItemUse)) == 0
