"""The items (copies) part of the JSON API under /api/v1, on both databases."""
from __future__ import annotations

import datetime as dt
from urllib.parse import urlparse

import pytest
from sqlalchemy import select

from catalogue.models import Item
from core.audit import AuditEvent
from tests.support.api import assert_error, bearer
from tests.support.factories import make_item, make_record

EDITABLE = ("barcode", "library", "location", "call_number", "status", "acquired_on", "price",
            "condition", "public_note")


# Helpers ---------------------------------------------------------------------
def add_item(client, headers, record_id, **data) -> dict:
    data.setdefault("barcode", "CM0000001")
    response = client.post(f"/api/v1/records/{record_id}/items", json=data, headers=headers)
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()


def editable(item: dict) -> dict:
    return {k: item[k] for k in EDITABLE}


def stored(db, item_id: int) -> Item | None:
    with db.session() as session:
        return session.get(Item, item_id)


def item_events(db, item_id: int, action: str) -> list[AuditEvent]:
    with db.session() as session:
        return list(session.scalars(select(AuditEvent).where(
            AuditEvent.entity_type == "item", AuditEvent.entity_id == item_id, AuditEvent.action == action)))


# Create ----------------------------------------------------------------------
def test_create_item_answers_201_with_location(client, db):
    headers = bearer(db)
    record = make_record(db)
    response = client.post(f"/api/v1/records/{record.id}/items", headers=headers, json={
        "barcode": " CM0000042 ", "location": "Espace emploi", "call_number": "EMP 2 MAR",
        "status": "on_display", "acquired_on": "2024-03-01", "price": "19,9", "condition": "new",
        "public_note": "Exemplaire de consultation"})

    assert response.status_code == 201, response.get_data(as_text=True)
    body = response.get_json()
    assert urlparse(response.headers["Location"]).path == f"/api/v1/items/{body['id']}"
    assert body["record_id"] == record.id
    assert body["barcode"] == "CM0000042"
    assert body["library"] == "cite"
    assert body["status"] == "on_display"
    assert body["acquired_on"] == "2024-03-01"
    assert body["price"] == "19.90"
    assert body["condition"] == "new"
    assert body["version"] == 1
    assert body["use_count"] == 0 and body["last_used_at"] is None

    assert client.get(response.headers["Location"], headers=headers).get_json() == body
    assert client.get(f"/api/v1/records/{record.id}", headers=headers).get_json()["item_count"] == 1
    [event] = item_events(db, body["id"], "create")
    assert event.record_id == record.id
    assert event.changes["barcode"] == [None, "CM0000042"]


def test_create_item_with_defaults(client, db):
    record = make_record(db)
    body = add_item(client, bearer(db), record.id, barcode="CM1")
    assert (body["library"], body["status"], body["price"], body["acquired_on"]) == ("cite", "available", None, None)


def test_duplicate_barcode_is_409_with_fields_barcode(client, db):
    headers = bearer(db)
    record = make_record(db)
    other = make_record(db, title="Autre", isbn=None)
    make_item(db, record.id, "CM0000001")

    response = client.post(f"/api/v1/records/{other.id}/items", json={"barcode": "CM0000001"}, headers=headers)

    error = assert_error(response, 409, "duplicate_barcode")
    assert set(error["fields"]) == {"barcode"}
    assert error["fields"]["barcode"] and all(isinstance(m, str) for m in error["fields"]["barcode"])
    with db.session() as session:
        assert session.scalar(select(Item).where(Item.record_id == other.id)) is None


@pytest.mark.parametrize("data, field", [
    ({"barcode": ""}, "barcode"),
    ({"barcode": None}, "barcode"),
    ({"barcode": "CM 01"}, "barcode"),
    ({"barcode": "x" * 65}, "barcode"),
    ({"barcode": "CM1", "acquired_on": (dt.date.today() + dt.timedelta(days=1)).isoformat()}, "acquired_on"),
    ({"barcode": "CM1", "acquired_on": "01/02/2024"}, "acquired_on"),
    ({"barcode": "CM1", "price": "-0.01"}, "price"),
    ({"barcode": "CM1", "price": "dix euros"}, "price"),
    ({"barcode": "CM1", "price": "NaN"}, "price"),
    ({"barcode": "CM1", "price": "100000000"}, "price"),
    ({"barcode": "CM1", "location": "x" * 256}, "location"),
])
def test_invalid_item_fields_are_422(client, db, data, field):
    headers = bearer(db)
    record = make_record(db)
    response = client.post(f"/api/v1/records/{record.id}/items", json=data, headers=headers)
    error = assert_error(response, 422, "validation_failed")
    assert set(error["fields"]) == {field}
    assert client.get(f"/api/v1/records/{record.id}/items", headers=headers).get_json()["total"] == 0


def test_future_date_and_negative_price_are_reported_together(client, db):
    record = make_record(db)
    response = client.post(f"/api/v1/records/{record.id}/items", headers=bearer(db), json={
        "barcode": "CM1", "acquired_on": "2999-01-01", "price": "-5"})
    error = assert_error(response, 422, "validation_failed")
    assert set(error["fields"]) == {"acquired_on", "price"}


@pytest.mark.parametrize("data, field", [
    ({"barcode": "CM1", "status": "lost"}, "status"),
    ({"barcode": "CM1", "library": "moon"}, "library"),
    ({"barcode": "CM1", "condition": "shiny"}, "condition"),
    ({"barcode": "CM1", "price": 19.9}, "price"),
    ({"barcode": 123}, "barcode"),
    ({"barcode": "CM1", "use_count": 5}, "use_count"),
    ({"barcode": "CM1", "version": 1}, "version"),
])
def test_wrong_types_codes_and_read_only_fields_are_422(client, db, data, field):
    record = make_record(db)
    response = client.post(f"/api/v1/records/{record.id}/items", json=data, headers=bearer(db))
    error = assert_error(response, 422, "validation_failed")
    assert field in error["fields"]


# Read and list ---------------------------------------------------------------
def test_get_unknown_item_is_404(client, db):
    headers = bearer(db)
    error = assert_error(client.get("/api/v1/items/999", headers=headers), 404, "not_found")
    assert set(error) == {"status", "code", "message"}
    assert_error(client.put("/api/v1/items/999", json={"barcode": "X", "version": 1}, headers=headers),
                 404, "not_found")
    assert_error(client.delete("/api/v1/items/999", headers=headers), 404, "not_found")


def test_list_items_by_barcode_and_by_record(client, db):
    headers = bearer(db)
    first = make_record(db)
    second = make_record(db, title="Autre", isbn=None)
    for n in range(3):
        make_item(db, first.id, f"A{n}")
    make_item(db, second.id, "B0")

    def listing(query: str) -> dict:
        response = client.get(f"/api/v1/items?{query}", headers=headers)
        assert response.status_code == 200, response.get_data(as_text=True)
        return response.get_json()

    everything = listing("")
    assert everything["total"] == 4 and everything["pages"] == 1
    by_barcode = listing("barcode=A1")
    assert by_barcode["total"] == 1 and [i["barcode"] for i in by_barcode["items"]] == ["A1"]
    assert listing("barcode=nothing")["total"] == 0
    by_record = listing(f"record_id={first.id}")
    assert by_record["total"] == 3 and {i["record_id"] for i in by_record["items"]} == {first.id}
    paged = listing(f"record_id={first.id}&page=2&size=2")
    assert (paged["total"], paged["page"], paged["size"], paged["pages"]) == (3, 2, 2, 2)
    assert [i["barcode"] for i in paged["items"]] == ["A2"]
    assert listing(f"record_id={second.id}&barcode=A1")["total"] == 0
    assert_error(client.get("/api/v1/items?record_id=abc", headers=headers), 422, "validation_failed")


# Update ----------------------------------------------------------------------
def test_update_item_with_its_version(client, db):
    headers = bearer(db)
    record = make_record(db)
    item = add_item(client, headers, record.id, barcode="CM1", price="10")
    sent = {**editable(item), "status": "missing", "price": "12.50", "location": "Réserve",
            "version": item["version"]}

    response = client.put(f"/api/v1/items/{item['id']}", json=sent, headers=headers)

    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert body["version"] == item["version"] + 1
    assert (body["status"], body["price"], body["location"]) == ("missing", "12.50", "Réserve")
    [event] = item_events(db, item["id"], "update")
    assert event.changes == {"status": ["available", "missing"], "price": ["10.00", "12.50"],
                             "location": [None, "Réserve"]}


def test_update_item_with_a_stale_version_is_409_and_changes_nothing(client, db):
    headers = bearer(db)
    record = make_record(db)
    item = add_item(client, headers, record.id, barcode="CM1")
    assert client.put(f"/api/v1/items/{item['id']}", headers=headers,
                      json={**editable(item), "location": "Salle 1", "version": 1}).status_code == 200

    response = client.put(f"/api/v1/items/{item['id']}", headers=headers,
                          json={**editable(item), "location": "Salle 2", "version": 1})

    error = assert_error(response, 409, "version_conflict")
    assert error["current"]["location"] == "Salle 1" and error["current"]["version"] == 2
    assert error["submitted"]["location"] == "Salle 2"
    assert stored(db, item["id"]).location == "Salle 1"
    assert len(item_events(db, item["id"], "update")) == 1


def test_changing_to_a_barcode_in_use_is_409(client, db):
    headers = bearer(db)
    record = make_record(db)
    make_item(db, record.id, "CM1")
    item = add_item(client, headers, record.id, barcode="CM2")
    response = client.put(f"/api/v1/items/{item['id']}", headers=headers,
                          json={**editable(item), "barcode": "CM1", "version": 1})
    error = assert_error(response, 409, "duplicate_barcode")
    assert "barcode" in error["fields"]
    assert stored(db, item["id"]).barcode == "CM2"


def test_invalid_item_update_is_422(client, db):
    headers = bearer(db)
    record = make_record(db)
    item = add_item(client, headers, record.id, barcode="CM1")
    response = client.put(f"/api/v1/items/{item['id']}", headers=headers,
                          json={**editable(item), "price": "-3", "acquired_on": "2999-12-31", "version": 1})
    error = assert_error(response, 422, "validation_failed")
    assert set(error["fields"]) == {"price", "acquired_on"}
    assert_error(client.put(f"/api/v1/items/{item['id']}", headers=headers, json=editable(item)),
                 422, "validation_failed")
    assert stored(db, item["id"]).version == 1


# Delete ----------------------------------------------------------------------
def test_delete_item(client, db):
    headers = bearer(db)
    record = make_record(db)
    item = add_item(client, headers, record.id, barcode="CM1")
    response = client.delete(f"/api/v1/items/{item['id']}", headers=headers)
    assert response.status_code == 204
    assert stored(db, item["id"]) is None
    [event] = item_events(db, item["id"], "delete")
    assert event.changes["barcode"] == ["CM1", None]
    # The work can go now that it has no items, and the barcode is free again.
    assert client.delete(f"/api/v1/records/{record.id}", headers=headers).status_code == 204
    assert_error(client.get(f"/api/v1/items/{item['id']}", headers=headers), 404, "not_found")


def test_delete_item_with_a_stale_version_is_409(client, db):
    headers = bearer(db)
    record = make_record(db)
    item = add_item(client, headers, record.id, barcode="CM1")
    client.put(f"/api/v1/items/{item['id']}", headers=headers,
               json={**editable(item), "location": "Ailleurs", "version": 1})
    assert_error(client.delete(f"/api/v1/items/{item['id']}?version=1", headers=headers), 409, "version_conflict")
    assert stored(db, item["id"]) is not None
    assert client.delete(f"/api/v1/items/{item['id']}?version=2", headers=headers).status_code == 204


def test_a_deleted_barcode_can_be_reused(client, db):
    headers = bearer(db)
    record = make_record(db)
    item = add_item(client, headers, record.id, barcode="CM1")
    assert client.delete(f"/api/v1/items/{item['id']}", headers=headers).status_code == 204
    assert add_item(client, headers, record.id, barcode="CM1")["barcode"] == "CM1"
