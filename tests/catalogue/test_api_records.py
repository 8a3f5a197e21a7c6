"""The records (works) part of the JSON API under /api/v1, on both databases."""
from __future__ import annotations

import datetime as dt
from urllib.parse import urlparse

import pytest
from sqlalchemy import select

from catalogue.models import Record
from core.audit import AuditEvent
from tests.support.api import assert_error, bearer
from tests.support.factories import make_item, make_record, record_data


# Helpers ---------------------------------------------------------------------
def create(client, headers, **overrides) -> dict:
    response = client.post("/api/v1/records", json=record_data(**overrides), headers=headers)
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()


def editable(record: dict) -> dict:
    """The fields a client sends back with PUT."""
    return {k: v for k, v in record.items() if k in record_data() or k in (
        "responsibility", "edition", "series", "issn", "notes", "local_notes", "url",
        "frequency", "subscription_status", "holdings_statement")}


def stored(db, record_id: int) -> Record | None:
    with db.session() as session:
        record = session.get(Record, record_id)
        if record is not None:
            _ = record.contributors, record.pole_links, record.audience_links
        return record


def audit_events(db, record_id: int, action: str | None = None) -> list[AuditEvent]:
    with db.session() as session:
        query = select(AuditEvent).where(AuditEvent.record_id == record_id)
        if action:
            query = query.where(AuditEvent.action == action)
        return list(session.scalars(query.order_by(AuditEvent.id)))


# Create and read -------------------------------------------------------------
def test_create_answers_201_with_location_and_normalised_isbn(client, db):
    headers = bearer(db)
    response = client.post("/api/v1/records", headers=headers, json=record_data(
        isbn="2-07-036024-5",
        contributors=[{"name": "Martin, Léa", "role": "aut"}, {"name": "Dupont, Marc", "role": "edt"},
                      {"name": "Nguyen, Anh"}],
        poles=["job_search", "career_change"], audiences=["job_seeker", "employee"],
        languages=["fre", "eng"]))

    assert response.status_code == 201
    body = response.get_json()
    assert urlparse(response.headers["Location"]).path == f"/api/v1/records/{body['id']}"
    assert body["isbn"] == "9782070360246"
    assert body["version"] == 1
    assert body["item_count"] == 0
    assert body["origin"] == "local"
    assert body["contributors"] == [
        {"name": "Martin, Léa", "role": "aut"}, {"name": "Dupont, Marc", "role": "edt"},
        {"name": "Nguyen, Anh", "role": "aut"}]
    assert sorted(body["poles"]) == ["career_change", "job_search"]
    assert sorted(body["audiences"]) == ["employee", "job_seeker"]
    assert body["languages"] == ["fre", "eng"]

    again = client.get(response.headers["Location"], headers=headers)
    assert again.status_code == 200
    assert again.get_json() == body

    record = stored(db, body["id"])
    assert record.isbn == "9782070360246"
    assert [(c.name, c.role.value) for c in record.contributors] == [
        ("Martin, Léa", "aut"), ("Dupont, Marc", "edt"), ("Nguyen, Anh", "aut")]
    assert sorted(p.value for p in record.poles) == ["career_change", "job_search"]
    [event] = audit_events(db, body["id"], "create")
    assert event.entity_type == "record" and event.changes["title"] == [None, record_data()["title"]]


def test_create_a_periodical_with_its_subscription(client, db):
    body = create(client, bearer(db), isbn=None, issn="0317 8471", document_type="periodical",
                  frequency="Mensuel", subscription_status="active", holdings_statement="2019-")
    assert body["issn"] == "0317-8471"
    assert body["frequency"] == "Mensuel"
    assert body["subscription_status"] == "active"


def test_get_reads_one_record_with_its_item_count(client, db):
    headers = bearer(db)
    record = make_record(db)
    make_item(db, record.id, "CM1")
    make_item(db, record.id, "CM2")
    response = client.get(f"/api/v1/records/{record.id}", headers=headers)
    assert response.status_code == 200
    body = response.get_json()
    assert body["id"] == record.id
    assert body["title"] == record_data()["title"]
    assert body["item_count"] == 2


@pytest.mark.parametrize("method", ["get", "put", "delete"])
def test_unknown_record_is_404(client, db, method):
    headers = bearer(db)
    kwargs = {"json": {**record_data(), "version": 1}} if method == "put" else {}
    response = getattr(client, method)("/api/v1/records/999", headers=headers, **kwargs)
    error = assert_error(response, 404, "not_found")
    assert set(error) == {"status", "code", "message"}


def test_unknown_record_items_and_history_are_404(client, db):
    headers = bearer(db)
    assert_error(client.get("/api/v1/records/999/items", headers=headers), 404, "not_found")
    assert_error(client.post("/api/v1/records/999/items", json={"barcode": "X1"}, headers=headers),
                 404, "not_found")


# Lists -----------------------------------------------------------------------
def test_list_is_paginated_with_total_and_pages(client, db):
    headers = bearer(db)
    for n in range(5):
        make_record(db, title=f"Métier {n}", isbn=None)

    first = client.get("/api/v1/records?page=1&size=2", headers=headers).get_json()
    assert (first["total"], first["page"], first["size"], first["pages"]) == (5, 1, 2, 3)
    assert len(first["items"]) == 2
    last = client.get("/api/v1/records?page=3&size=2", headers=headers).get_json()
    assert len(last["items"]) == 1
    beyond = client.get("/api/v1/records?page=4&size=2", headers=headers).get_json()
    assert beyond["items"] == [] and beyond["total"] == 5

    seen = [r["title"] for p in (1, 2, 3)
            for r in client.get(f"/api/v1/records?page={p}&size=2", headers=headers).get_json()["items"]]
    assert sorted(seen) == [f"Métier {n}" for n in range(5)]
    # Most recently changed first.
    assert seen[0] == "Métier 4"


def test_list_defaults_and_empty_catalogue(client, db):
    body = client.get("/api/v1/records", headers=bearer(db)).get_json()
    assert body == {"items": [], "total": 0, "page": 1, "size": 20, "pages": 0}


def test_list_filters_by_text_document_type_and_pole(client, db):
    headers = bearer(db)
    make_record(db, title="Créer son entreprise", isbn=None, poles=["business_creation"],
                call_number="CRE 1")
    make_record(db, title="Devenir infirmier", isbn="9782070360246", poles=["orientation"],
                document_type="job_sheet")
    make_record(db, title="Le CV qui marche", isbn=None, poles=["job_search", "orientation"])

    def titles(query: str) -> list[str]:
        response = client.get(f"/api/v1/records?{query}", headers=headers)
        assert response.status_code == 200, response.get_data(as_text=True)
        body = response.get_json()
        assert body["total"] == len(body["items"])
        return sorted(r["title"] for r in body["items"])

    assert titles("q=entreprise") == ["Créer son entreprise"]
    assert titles("q=ENTREPRISE") == ["Créer son entreprise"]
    assert titles("q=978-2070") == ["Devenir infirmier"]
    assert titles("q=cre 1") == ["Créer son entreprise"]
    assert titles("document_type=job_sheet") == ["Devenir infirmier"]
    assert titles("pole=orientation") == ["Devenir infirmier", "Le CV qui marche"]
    assert titles("pole=orientation&document_type=book") == ["Le CV qui marche"]
    assert titles("pole=pathway") == []


@pytest.mark.parametrize("query, field", [
    ("page=0", "page"), ("size=500", "size"), ("size=abc", "size"),
    ("pole=nowhere", "pole"), ("document_type=scroll", "document_type"),
])
def test_bad_list_arguments_are_422(client, db, query, field):
    error = assert_error(client.get(f"/api/v1/records?{query}", headers=bearer(db)), 422, "validation_failed")
    assert field in error["fields"]


def test_unknown_list_arguments_are_ignored(client, db):
    # Query strings carry things such as ?lang=en; only the body is strict.
    response = client.get("/api/v1/records?lang=en&colour=red", headers=bearer(db))
    assert response.status_code == 200


def test_record_items_list(client, db):
    headers = bearer(db)
    record = make_record(db)
    other = make_record(db, title="Autre", isbn=None)
    make_item(db, record.id, "CM1")
    make_item(db, other.id, "CM2")
    body = client.get(f"/api/v1/records/{record.id}/items", headers=headers).get_json()
    assert body["total"] == 1
    assert [i["barcode"] for i in body["items"]] == ["CM1"]


# Update ----------------------------------------------------------------------
def test_update_with_the_version_read_saves_and_audits(client, db):
    headers = bearer(db)
    record = create(client, headers)
    sent = {**editable(record), "title": "Réussir son entretien", "year": 2024,
            "poles": ["job_search", "career_change"], "contributors": [{"name": "Martin, Léa", "role": "edt"}],
            "version": record["version"]}

    response = client.put(f"/api/v1/records/{record['id']}", json=sent, headers=headers)

    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert body["version"] == record["version"] + 1
    assert body["title"] == "Réussir son entretien"
    assert body["year"] == 2024
    assert sorted(body["poles"]) == ["career_change", "job_search"]
    assert body["contributors"] == [{"name": "Martin, Léa", "role": "edt"}]
    assert client.get(f"/api/v1/records/{record['id']}", headers=headers).get_json() == body

    [event] = audit_events(db, record["id"], "update")
    assert event.entity_type == "record" and event.entity_id == record["id"]
    assert event.actor.username == "doc"
    assert event.changes["title"] == [record["title"], "Réussir son entretien"]
    assert event.changes["year"] == [2023, 2024]
    assert event.changes["poles"] == [["job_search"], ["career_change", "job_search"]]
    assert "publisher" not in event.changes

    history = client.get(f"/api/v1/records/{record['id']}/history", headers=headers).get_json()
    assert history["total"] == 2
    assert [e["action"] for e in history["items"]] == ["update", "create"]


def test_update_without_changes_keeps_the_version(client, db):
    headers = bearer(db)
    record = create(client, headers)
    response = client.put(f"/api/v1/records/{record['id']}", headers=headers,
                          json={**editable(record), "version": record["version"]})
    assert response.status_code == 200
    assert response.get_json()["version"] == record["version"]
    assert audit_events(db, record["id"], "update") == []


def test_update_with_a_stale_version_is_409_and_changes_nothing(client, db):
    headers = bearer(db)
    record = create(client, headers)
    first = client.put(f"/api/v1/records/{record['id']}", headers=headers,
                       json={**editable(record), "title": "Première version", "version": 1})
    assert first.status_code == 200

    stale = {**editable(record), "title": "Seconde version", "year": 2020, "version": 1}
    response = client.put(f"/api/v1/records/{record['id']}", headers=headers, json=stale)

    error = assert_error(response, 409, "version_conflict")
    assert error["current"]["title"] == "Première version"
    assert error["current"]["version"] == 2
    assert error["current"]["id"] == record["id"]
    assert error["submitted"]["title"] == "Seconde version"
    assert error["submitted"]["year"] == 2020
    after = client.get(f"/api/v1/records/{record['id']}", headers=headers).get_json()
    assert after["title"] == "Première version" and after["year"] == 2023 and after["version"] == 2
    assert len(audit_events(db, record["id"], "update")) == 1


def test_update_needs_a_version(client, db):
    headers = bearer(db)
    record = create(client, headers)
    error = assert_error(client.put(f"/api/v1/records/{record['id']}", headers=headers, json=editable(record)),
                         422, "validation_failed")
    assert "version" in error["fields"]


def test_invalid_update_is_422_and_changes_nothing(client, db):
    headers = bearer(db)
    record = create(client, headers)
    error = assert_error(client.put(f"/api/v1/records/{record['id']}", headers=headers,
                                    json={**editable(record), "title": "", "version": 1}),
                         422, "validation_failed")
    assert set(error["fields"]) == {"title"}
    assert stored(db, record["id"]).title == record["title"]


# Delete ----------------------------------------------------------------------
def test_delete_answers_204_and_audits(client, db):
    headers = bearer(db)
    record = create(client, headers)
    response = client.delete(f"/api/v1/records/{record['id']}", headers=headers)
    assert response.status_code == 204
    assert response.get_data() == b""
    assert stored(db, record["id"]) is None
    assert_error(client.get(f"/api/v1/records/{record['id']}", headers=headers), 404, "not_found")
    [event] = audit_events(db, record["id"], "delete")
    assert event.changes["title"] == [record["title"], None]


def test_delete_with_a_stale_version_is_409(client, db):
    headers = bearer(db)
    record = create(client, headers)
    client.put(f"/api/v1/records/{record['id']}", headers=headers,
               json={**editable(record), "title": "Changé", "version": 1})
    error = assert_error(client.delete(f"/api/v1/records/{record['id']}?version=1", headers=headers),
                         409, "version_conflict")
    assert error["current"]["version"] == 2
    assert stored(db, record["id"]) is not None
    assert client.delete(f"/api/v1/records/{record['id']}?version=2", headers=headers).status_code == 204


def test_delete_a_record_with_items_is_409_conflict(client, db):
    headers = bearer(db)
    record = make_record(db)
    make_item(db, record.id, "CM1")
    error = assert_error(client.delete(f"/api/v1/records/{record.id}", headers=headers), 409, "conflict")
    assert "fields" not in error and "current" not in error
    assert stored(db, record.id) is not None
    assert audit_events(db, record.id, "delete") == []


# Validation ------------------------------------------------------------------
@pytest.mark.parametrize("overrides, field", [
    ({"title": None}, "title"),
    ({"title": "   "}, "title"),
    ({"year": dt.date.today().year + 1}, "year"),
    ({"year": 1200}, "year"),
    ({"isbn": "9782070360247"}, "isbn"),
    ({"isbn": "12345"}, "isbn"),
    ({"issn": "0317-8472"}, "issn"),
    ({"issn": "abc"}, "issn"),
    ({"url": "ftp://example.org/file"}, "url"),
    ({"url": "www.example.org"}, "url"),
    ({"languages": ["french"]}, "languages"),
    ({"document_type": "website", "url": None}, "url"),
    ({"contributors": [{"name": "", "role": "edt"}]}, "contributors.0.name"),
    ({"title": "x" * 501}, "title"),
])
def test_invalid_fields_are_422_with_fields(client, db, overrides, field):
    response = client.post("/api/v1/records", json=record_data(**overrides), headers=bearer(db))
    error = assert_error(response, 422, "validation_failed")
    assert set(error["fields"]) == {field}
    assert all(isinstance(m, str) and m for m in error["fields"][field])
    assert stored(db, 1) is None


def test_every_invalid_field_is_reported_at_once(client, db):
    response = client.post("/api/v1/records", headers=bearer(db), json=record_data(
        title="", year=dt.date.today().year + 5, isbn="9782070360247", issn="0317-8472",
        url="not a url"))
    error = assert_error(response, 422, "validation_failed")
    assert set(error["fields"]) == {"title", "year", "isbn", "issn", "url"}


@pytest.mark.parametrize("overrides, field", [
    ({"poles": ["nowhere"]}, "poles"),
    ({"audiences": ["martians"]}, "audiences"),
    ({"document_type": "scroll"}, "document_type"),
    ({"contributors": [{"name": "Martin", "role": "boss"}]}, "contributors.0.role"),
    ({"subscription_status": "forever", "document_type": "periodical"}, "subscription_status"),
])
def test_unknown_codes_are_422(client, db, overrides, field):
    response = client.post("/api/v1/records", json=record_data(**overrides), headers=bearer(db))
    error = assert_error(response, 422, "validation_failed")
    assert [name for name in error["fields"] if name == field or name.startswith(field + ".")], error


@pytest.mark.parametrize("overrides, field", [
    ({"year": "abc"}, "year"),
    ({"year": "2020"}, "year"),
    ({"year": 2020.5}, "year"),
    ({"title": 12}, "title"),
    ({"poles": "job_search"}, "poles"),
    ({"contributors": ["Martin"]}, "contributors.0"),
    ({"contributors": [{"role": "aut"}]}, "contributors.0.name"),
    ({"colour": "red"}, "colour"),
    ({"id": 5}, "id"),
    ({"version": 1}, "version"),
])
def test_wrong_json_types_and_unknown_fields_are_422(client, db, overrides, field):
    response = client.post("/api/v1/records", json=record_data(**overrides), headers=bearer(db))
    error = assert_error(response, 422, "validation_failed")
    assert field in error["fields"], error
    assert all(isinstance(v, list) and all(isinstance(m, str) for m in v) for v in error["fields"].values())


def test_type_errors_and_unknown_fields_are_reported_together(client, db):
    response = client.post("/api/v1/records", json=record_data(year="abc", colour="red"), headers=bearer(db))
    error = assert_error(response, 422, "validation_failed")
    assert set(error["fields"]) == {"year", "colour"}


@pytest.mark.parametrize("field, value", [
    ("frequency", "Mensuel"), ("subscription_status", "active"), ("holdings_statement", "2019-"),
])
def test_periodical_fields_on_a_book_are_422(client, db, field, value):
    response = client.post("/api/v1/records", json=record_data(**{field: value}), headers=bearer(db))
    error = assert_error(response, 422, "validation_failed")
    assert set(error["fields"]) == {field}


def test_periodical_fields_on_a_book_update_are_422(client, db):
    headers = bearer(db)
    record = create(client, headers)
    response = client.put(f"/api/v1/records/{record['id']}", headers=headers,
                          json={**editable(record), "frequency": "Mensuel", "version": 1})
    error = assert_error(response, 422, "validation_failed")
    assert set(error["fields"]) == {"frequency"}
    assert stored(db, record["id"]).frequency is None


def test_malformed_json_is_a_json_error(client, db):
    response = client.post("/api/v1/records", data="{not json", headers={
        **bearer(db), "Content-Type": "application/json"})
    assert response.status_code in (400, 422)
    assert_error(response, response.status_code, response.get_json()["error"]["code"])
    assert stored(db, 1) is None


def test_validation_messages_follow_the_language(client, db):
    headers = {**bearer(db), "Accept-Language": "en"}
    response = client.post("/api/v1/records", json=record_data(title=""), headers=headers)
    error = assert_error(response, 422, "validation_failed")
    assert error["message"] == "Some fields are invalid."
    assert error["fields"]["title"] == ["A work needs a title."]
