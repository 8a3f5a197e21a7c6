"""Bearer tokens and roles on the JSON API, on both databases."""
from __future__ import annotations

import pytest

from accounts.models import ApiToken
from accounts.services import AccountService
from catalogue.models import Record
from tests.support.api import assert_error
from tests.support.factories import login, make_item, make_record, make_token, make_user, record_data


# Helpers ---------------------------------------------------------------------
def token_for(db, username="doc", role="documentalist", pole=None) -> str:
    make_user(db, username, role, pole=pole)
    return make_token(db, username)


def auth(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def assert_unauthorized(response) -> dict:
    error = assert_error(response, 401, "unauthorized")
    assert response.headers["WWW-Authenticate"].lower().startswith("bearer")
    assert set(error) == {"status", "code", "message"}
    return error


# Anonymous and invalid tokens ------------------------------------------------
@pytest.mark.parametrize("method, url, body", [
    ("get", "/api/v1/records", None),
    ("get", "/api/v1/records/1", None),
    ("post", "/api/v1/records", record_data()),
    ("put", "/api/v1/records/1", {**record_data(), "version": 1}),
    ("delete", "/api/v1/records/1", None),
    ("get", "/api/v1/records/1/items", None),
    ("post", "/api/v1/records/1/items", {"barcode": "CM1"}),
    ("get", "/api/v1/records/1/history", None),
    ("get", "/api/v1/items", None),
    ("get", "/api/v1/items/1", None),
    ("put", "/api/v1/items/1", {"barcode": "CM1", "version": 1}),
    ("delete", "/api/v1/items/1", None),
    ("post", "/api/v1/uses", {"barcodes": ["CM1"]}),
    ("get", "/api/v1/audit", None),
])
def test_no_token_is_401_everywhere(client, db, method, url, body):
    record = make_record(db)
    make_item(db, record.id, "CM1")
    response = getattr(client, method)(url, json=body) if body is not None else getattr(client, method)(url)
    assert_unauthorized(response)


def test_no_token_is_401_even_with_an_invalid_body_or_query(client, db):
    # Authentication comes first: anonymous callers learn nothing about validation.
    assert_unauthorized(client.post("/api/v1/records", json={"year": "abc", "colour": "red"}))
    assert_unauthorized(client.post("/api/v1/uses", json={}))
    assert_unauthorized(client.get("/api/v1/records?page=0"))
    assert_unauthorized(client.put("/api/v1/items/1", json={}))


@pytest.mark.parametrize("header", [
    "Bearer cdm_not-a-real-token",
    "Bearer ",
    "Bearer",
    "Basic ZG9jOmNvcnJlY3QgaG9yc2UgYmF0dGVyeQ==",
    "cdm_without_scheme",
])
def test_invalid_authorization_headers_are_401(client, db, header):
    token_for(db)
    assert_unauthorized(client.get("/api/v1/records", headers={"Authorization": header}))


def test_token_scheme_is_case_insensitive(client, db):
    token = token_for(db)
    assert client.get("/api/v1/records", headers={"Authorization": f"bearer {token}"}).status_code == 200


def test_revoked_token_is_401(client, db):
    token = token_for(db)
    assert client.get("/api/v1/records", headers=auth(token)).status_code == 200
    with db.transaction() as session:
        AccountService(session).revoke_token(token[:12])
    assert_unauthorized(client.get("/api/v1/records", headers=auth(token)))
    assert_unauthorized(client.post("/api/v1/records", json=record_data(), headers=auth(token)))


def test_other_tokens_of_the_user_survive_a_revocation(client, db):
    first = token_for(db)
    second = make_token(db, "doc")
    with db.transaction() as session:
        AccountService(session).revoke_token(first[:12])
    assert client.get("/api/v1/records", headers=auth(second)).status_code == 200


def test_disabled_users_token_is_401_until_enabled_again(client, db):
    token = token_for(db)
    with db.transaction() as session:
        AccountService(session).set_active("doc", False)
    assert_unauthorized(client.get("/api/v1/records", headers=auth(token)))
    with db.transaction() as session:
        AccountService(session).set_active("doc", True)
    assert client.get("/api/v1/records", headers=auth(token)).status_code == 200


def test_using_a_token_stamps_its_last_use(client, db):
    token = token_for(db)
    with db.session() as session:
        assert session.query(ApiToken).one().last_used_at is None
    assert client.get("/api/v1/records", headers=auth(token)).status_code == 200
    with db.session() as session:
        assert session.query(ApiToken).one().last_used_at is not None


def test_session_cookie_alone_does_not_authenticate_the_api(client, db):
    make_user(db)
    login(client)
    assert client.get("/staff/records").status_code == 200  # the cookie works for HTML pages
    assert_unauthorized(client.get("/api/v1/records"))
    assert_unauthorized(client.post("/api/v1/records", json=record_data()))
    with db.session() as session:
        assert session.query(Record).count() == 0


# Roles -----------------------------------------------------------------------
def test_counsellor_reads_but_does_not_edit(client, db):
    headers = auth(token_for(db, "conseil", "counsellor", pole="orientation"))
    record = make_record(db)
    item = make_item(db, record.id, "CM1")

    for url in ("/api/v1/records", f"/api/v1/records/{record.id}", f"/api/v1/records/{record.id}/items",
                f"/api/v1/records/{record.id}/history", "/api/v1/items", f"/api/v1/items/{item.id}",
                "/api/v1/audit"):
        assert client.get(url, headers=headers).status_code == 200, url

    forbidden = [
        client.post("/api/v1/records", json=record_data(), headers=headers),
        client.put(f"/api/v1/records/{record.id}", json={**record_data(title="Non"), "version": 1}, headers=headers),
        client.delete(f"/api/v1/records/{record.id}", headers=headers),
        client.post(f"/api/v1/records/{record.id}/items", json={"barcode": "CM2"}, headers=headers),
        client.put(f"/api/v1/items/{item.id}", json={"barcode": "CM1", "version": 1}, headers=headers),
        client.delete(f"/api/v1/items/{item.id}", headers=headers),
        # Refused before the body is even looked at.
        client.post("/api/v1/records", json={"year": "abc"}, headers=headers),
    ]
    for response in forbidden:
        error = assert_error(response, 403, "forbidden")
        assert set(error) == {"status", "code", "message"}
        assert "WWW-Authenticate" not in response.headers

    assert client.get(f"/api/v1/records/{record.id}", headers=headers).get_json()["title"] == record.title
    assert client.get("/api/v1/records", headers=headers).get_json()["total"] == 1
    assert client.get("/api/v1/items", headers=headers).get_json()["total"] == 1


def test_counsellor_counts_uses(client, db):
    headers = auth(token_for(db, "conseil", "counsellor", pole="job_search"))
    record = make_record(db)
    make_item(db, record.id, "CM1")
    response = client.post("/api/v1/uses", json={"barcodes": ["CM1"]}, headers=headers)
    assert response.status_code == 200 and response.get_json()["recorded"] == 1


@pytest.mark.parametrize("role", ["documentalist", "librarian", "administrator"])
def test_cataloguing_roles_create_edit_and_delete(client, db, role):
    headers = auth(token_for(db, "staff", role))
    created = client.post("/api/v1/records", json=record_data(), headers=headers)
    assert created.status_code == 201, created.get_data(as_text=True)
    record = created.get_json()
    assert record["created_by"] is not None
    item = client.post(f"/api/v1/records/{record['id']}/items", json={"barcode": "CM1"}, headers=headers)
    assert item.status_code == 201
    assert client.delete(f"/api/v1/items/{item.get_json()['id']}", headers=headers).status_code == 204
    assert client.delete(f"/api/v1/records/{record['id']}", headers=headers).status_code == 204


def test_the_audit_names_the_tokens_user(client, db):
    headers = auth(token_for(db, "lea", "documentalist"))
    record = client.post("/api/v1/records", json=record_data(), headers=headers).get_json()
    history = client.get(f"/api/v1/records/{record['id']}/history", headers=headers).get_json()
    assert [(e["action"], e["actor"]) for e in history["items"]] == [("create", "lea")]


def test_vocabularies_are_public(client, db):
    response = client.get("/api/v1/vocabularies")
    assert response.status_code == 200
    assert "job_search" in [p["code"] for p in response.get_json()["pole"]]
