"""Pins the JSON error shape of the API, as documented in README.md:

    {"error": {"status", "code", "message", "fields"?, "current"?, "submitted"?}}

and checks that the README's table of error codes is what the API answers.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from acquisitions.services.budgets import BudgetService, fiscal_year
from core.db import utcnow
from tests.support.factories import make_item, make_record, make_token, make_user, record_data
from weeding.services.rules import RuleService

README = Path(__file__).resolve().parents[2] / "README.md"
REQUIRED = {"status", "code", "message"}
OPTIONAL = {"fields", "current", "submitted", "findings", "matches", "proposal_id", "allowed", "allowed_roles",
            "remaining", "needed", "poles", "decision"}

# What each error case must answer, and which optional keys it carries.
EXPECTED = {
    "no token": (401, "unauthorized", set()),
    "unknown token": (401, "unauthorized", set()),
    "counsellor creates": (403, "forbidden", set()),
    "counsellor deletes": (403, "forbidden", set()),
    "unknown record": (404, "not_found", set()),
    "unknown item": (404, "not_found", set()),
    "duplicate barcode": (409, "duplicate_barcode", {"fields"}),
    "stale record version": (409, "version_conflict", {"current", "submitted"}),
    "stale item version": (409, "version_conflict", {"current", "submitted"}),
    "work with items": (409, "conflict", set()),
    "invalid isbn": (422, "validation_failed", {"fields"}),
    "thesaurus cycle": (422, "thesaurus_rule", {"findings"}),
    "wrong json type": (422, "validation_failed", {"fields"}),
    "bad query argument": (422, "validation_failed", {"fields"}),
    "malformed json": (400, "bad_request", set()),
    "method not allowed": (405, "method_not_allowed", set()),
    "body too large": (413, "too_large", set()),
    "address too long": (414, "uri_too_long", set()),
    "held work proposed": (409, "already_in_catalogue", {"matches"}),
    "work proposed twice": (409, "already_proposed", {"proposal_id"}),
    "second support": (409, "already_supported", set()),
    "move outside the graph": (409, "transition_not_allowed", {"allowed"}),
    "move by the wrong role": (403, "forbidden", {"allowed_roles"}),
    "over budget": (409, "over_budget", {"remaining", "needed"}),
    "vote from another pole": (403, "forbidden", {"poles"}),
    "decision outside the campaign": (422, "not_in_campaign", {"fields"}),
    "another decision": (409, "already_decided", {"decision"}),
    "decision in a closed campaign": (409, "campaign_closed", set()),
}


# Helpers ---------------------------------------------------------------------
def readme_error_table() -> list[tuple[int, str]]:
    """(status, code) rows of the error table in the README's JSON API section."""
    text = README.read_text(encoding="utf-8")
    section = text.split("## JSON API", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\|\s*(\d{3})\s*\|\s*`([a-z_]+)`\s*\|", section, flags=re.MULTILINE)
    return [(int(status), code) for status, code in rows]


def readme_error_example() -> dict:
    text = README.read_text(encoding="utf-8")
    section = text.split("## JSON API", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```json\n(.*?)```", section, flags=re.DOTALL)
    assert block, "the README's JSON API section shows no error example"
    return json.loads(block.group(1))


def auth(db, username, role, pole=None) -> dict:
    make_user(db, username, role, pole=pole)
    return {"Authorization": f"Bearer {make_token(db, username)}"}


def error_cases(client, db) -> dict:
    """One response per error case of EXPECTED, all on one database."""
    doc = auth(db, "doc", "documentalist")
    counsellor = auth(db, "conseil", "counsellor", pole="orientation")
    record = make_record(db)
    item = make_item(db, record.id, "CM1")
    edited = client.put(f"/api/v1/records/{record.id}", headers=doc,
                        json={**record_data(title="Nouveau titre"), "version": 1})
    assert edited.status_code == 200
    moved = client.put(f"/api/v1/items/{item.id}", headers=doc,
                       json={"barcode": "CM1", "location": "Salle 2", "version": 1})
    assert moved.status_code == 200
    work = client.post("/api/v1/concepts", headers=doc, json={"pref_labels": {"fr": "Travail"}}).get_json()
    job = client.post("/api/v1/concepts", headers=doc,
                      json={"pref_labels": {"fr": "Emploi"}, "broader": [work["id"]]}).get_json()
    proposals = acquisition_cases(client, db, doc, counsellor, record)
    weeding = weeding_cases(client, db, counsellor)

    return {
        "no token": client.get("/api/v1/records"),
        "unknown token": client.get("/api/v1/records", headers={"Authorization": "Bearer cdm_nope"}),
        "counsellor creates": client.post("/api/v1/records", json=record_data(), headers=counsellor),
        "counsellor deletes": client.delete(f"/api/v1/records/{record.id}", headers=counsellor),
        "unknown record": client.get("/api/v1/records/999999", headers=doc),
        "unknown item": client.get("/api/v1/items/999999", headers=doc),
        "duplicate barcode": client.post(f"/api/v1/records/{record.id}/items", json={"barcode": "CM1"},
                                         headers=doc),
        "stale record version": client.put(f"/api/v1/records/{record.id}", headers=doc,
                                           json={**record_data(title="Autre titre"), "version": 1}),
        "stale item version": client.put(f"/api/v1/items/{item.id}", headers=doc,
                                         json={"barcode": "CM1", "location": "Salle 3", "version": 1}),
        "work with items": client.delete(f"/api/v1/records/{record.id}", headers=doc),
        "thesaurus cycle": client.post(f"/api/v1/concepts/{work['id']}/move", json={"broader": [job["id"]]},
                                       headers=doc),
        "invalid isbn": client.post("/api/v1/records", json=record_data(isbn="9782070360247"), headers=doc),
        "wrong json type": client.post("/api/v1/records", json=record_data(year="abc"), headers=doc),
        "bad query argument": client.get("/api/v1/records?size=0", headers=doc),
        "malformed json": client.post("/api/v1/records", data="{oops", headers={
            **doc, "Content-Type": "application/json"}),
        "method not allowed": client.patch("/api/v1/records", headers=doc),
        "body too large": client.post("/api/v1/records", headers={**doc, "Content-Type": "application/json"},
                                      data=b'{"title": "' + b"x" * (client.application.config[
                                          "MAX_CONTENT_LENGTH"] + 1) + b'"}'),
        "address too long": client.get("/api/v1/records?q=" + "x" * 5000, headers=doc),
        **proposals,
        **weeding,
    }


def acquisition_cases(client, db, doc, counsellor, record) -> dict:
    """The acquisitions' own refusals (a held work, a proposal twice, a second
    support, moves the graph or the role refuses, a fund that cannot pay)."""
    librarian = auth(db, "biblio", "librarian")
    with db.transaction() as session:
        BudgetService(session).create(fiscal_year(utcnow().date(), 1), "orientation", {"allocated": "10.00"})
    held = client.post("/api/v1/proposals", headers=counsellor, json={"title": record.title, "isbn": record.isbn})
    made = client.post("/api/v1/proposals", headers=counsellor,
                       json={"title": "Les métiers de demain", "estimated_price": "25.00"}).get_json()
    twice = client.post("/api/v1/proposals", headers=doc, json={"title": "Les métiers de demain"})
    client.post(f"/api/v1/proposals/{made['id']}/supports", headers=doc, json={})
    second = client.post(f"/api/v1/proposals/{made['id']}/supports", headers=doc, json={})
    outside = client.post(f"/api/v1/proposals/{made['id']}/transitions", headers=doc,
                          json={"to": "ordered", "version": made["version"]})
    reviewed = client.post(f"/api/v1/proposals/{made['id']}/transitions", headers=doc,
                           json={"to": "under_review", "version": made["version"]}).get_json()
    wrong_role = client.post(f"/api/v1/proposals/{made['id']}/transitions", headers=doc,
                             json={"to": "accepted", "version": reviewed["version"]})
    over = client.post(f"/api/v1/proposals/{made['id']}/transitions", headers=librarian,
                       json={"to": "accepted", "version": reviewed["version"]})
    return {"held work proposed": held, "work proposed twice": twice, "second support": second,
            "move outside the graph": outside, "move by the wrong role": wrong_role, "over budget": over}


def weeding_cases(client, db, counsellor) -> dict:
    """Weeding's own refusals: a vote from outside the campaign's poles, a
    decision on an item it does not hold, a second decision, a closed campaign."""
    librarian = auth(db, "biblio-w", "librarian")
    with db.transaction() as session:
        RuleService(session).create({"name": "Fonds général", "max_age_years": 5})
    old = make_record(db, title="Un guide d'un autre temps", year=2001, isbn=None, poles=["pathway"])
    copy = make_item(db, old.id, "CMW1")
    elsewhere = make_item(db, make_record(db, title="Ailleurs", isbn=None, poles=["orientation"]).id, "CMW2")
    campaign = client.post("/api/v1/weeding/campaigns", headers=librarian,
                           json={"name": "Parcours", "scope": {"pole": "pathway"}}).get_json()
    url = f"/api/v1/weeding/campaigns/{campaign['id']}"
    other_pole = client.post(f"{url}/votes", headers=counsellor, json={"item_id": copy.id, "vote": "keep"})
    outside = client.post(f"{url}/decisions", headers=librarian, json={"item_id": elsewhere.id, "decision": "keep"})
    client.post(f"{url}/decisions", headers=librarian, json={"item_id": copy.id, "decision": "keep"})
    another = client.post(f"{url}/decisions", headers=librarian, json={"item_id": copy.id, "decision": "repair"})
    client.post(f"{url}/close", headers=librarian, json={})
    closed = client.post(f"{url}/decisions", headers=librarian, json={"item_id": copy.id, "decision": "keep"})
    return {"vote from another pole": other_pole, "decision outside the campaign": outside,
            "another decision": another, "decision in a closed campaign": closed}


def check_shape(name: str, response) -> dict:
    assert response.mimetype == "application/json", name
    body = response.get_json()
    assert isinstance(body, dict) and set(body) == {"error"}, (name, body)
    error = body["error"]
    assert REQUIRED <= set(error) <= REQUIRED | OPTIONAL, (name, error)
    assert error["status"] == response.status_code, name
    assert isinstance(error["code"], str) and re.fullmatch(r"[a-z_]+", error["code"]), name
    assert isinstance(error["message"], str) and error["message"].strip(), name
    if "fields" in error:
        assert isinstance(error["fields"], dict) and error["fields"], name
        for field, messages in error["fields"].items():
            assert isinstance(field, str) and field, name
            assert isinstance(messages, list) and messages, (name, field)
            assert all(isinstance(m, str) and m for m in messages), (name, field)
    for key in ("current", "submitted"):
        if key in error:
            assert isinstance(error[key], dict), (name, key)
    for finding in error.get("findings", []):
        assert set(finding) == {"code", "severity", "concepts", "message"}, (name, finding)
        assert set(finding["message"]) == {"fr", "en"}, (name, finding)
    return error


# Tests -----------------------------------------------------------------------
def test_every_error_case_has_the_documented_shape(client, db):
    responses = error_cases(client, db)
    assert set(responses) == set(EXPECTED)
    for name, response in responses.items():
        status, code, optional = EXPECTED[name]
        assert response.status_code == status, (name, response.get_data(as_text=True))
        error = check_shape(name, response)
        assert error["code"] == code, name
        assert set(error) - REQUIRED == optional, (name, error)
        if status == 401:
            assert response.headers["WWW-Authenticate"].lower().startswith("bearer"), name
        else:
            assert "WWW-Authenticate" not in response.headers, name


def test_conflict_details(client, db):
    responses = error_cases(client, db)
    duplicate = responses["duplicate barcode"].get_json()["error"]
    assert list(duplicate["fields"]) == ["barcode"]

    record_conflict = responses["stale record version"].get_json()["error"]
    assert record_conflict["current"]["title"] == "Nouveau titre"
    assert record_conflict["current"]["version"] == 2
    assert record_conflict["submitted"]["title"] == "Autre titre"

    item_conflict = responses["stale item version"].get_json()["error"]
    assert item_conflict["current"]["location"] == "Salle 2"
    assert item_conflict["submitted"]["location"] == "Salle 3"

    assert list(responses["invalid isbn"].get_json()["error"]["fields"]) == ["isbn"]
    assert list(responses["wrong json type"].get_json()["error"]["fields"]) == ["year"]
    assert list(responses["bad query argument"].get_json()["error"]["fields"]) == ["size"]


def test_readme_error_table_matches_the_api(client, db):
    table = readme_error_table()
    assert len(table) >= 7, table
    documented = set(table)
    produced = {(r.status_code, r.get_json()["error"]["code"]) for r in error_cases(client, db).values()}
    assert documented - produced == set(), "README codes never produced by the API"
    assert produced - documented == set(), "API codes missing from the README table"


def test_readme_example_has_the_same_shape():
    example = readme_error_example()
    assert set(example) == {"error"}
    error = example["error"]
    assert REQUIRED <= set(error) <= REQUIRED | OPTIONAL
    assert (error["status"], error["code"]) in set(readme_error_table())


def test_other_http_errors_keep_the_shape(client, db):
    headers = auth(db, "doc", "documentalist")
    cases = {
        "unknown address": (client.get("/api/v1/nowhere", headers=headers), 404),
        "method not allowed": (client.patch("/api/v1/records", headers=headers), 405),
        "malformed json": (client.post("/api/v1/records", data="{oops", headers={
            **headers, "Content-Type": "application/json"}), 400),
    }
    for name, (response, status) in cases.items():
        assert response.status_code == status, (name, response.get_data(as_text=True))
        check_shape(name, response)


def test_codes_do_not_depend_on_the_language(client, db):
    headers = auth(db, "doc", "documentalist")
    answers = {}
    for language in ("en", "fr"):
        response = client.post("/api/v1/records", json=record_data(title="", isbn="123"),
                               headers={**headers, "Accept-Language": language})
        error = check_shape(language, response)
        answers[language] = (error["status"], error["code"], sorted(error["fields"]))
    assert answers["en"] == answers["fr"] == (422, "validation_failed", ["isbn", "title"])
    english = client.get("/api/v1/records/999999", headers={**headers, "Accept-Language": "en"})
    assert english.get_json()["error"]["message"] == "There is no work number 999999."


def test_error_schema_in_openapi_lists_exactly_these_keys(client):
    spec = client.get("/api/openapi.json").get_json()
    detail = spec["components"]["schemas"]["ErrorDetail"]
    assert set(detail["properties"]) == REQUIRED | OPTIONAL
    assert set(detail["required"]) == REQUIRED
