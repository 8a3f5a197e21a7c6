"""The concept API on both databases: reads, edits, refusals with findings,
version conflicts, autocomplete, checks and heading alignment."""
from __future__ import annotations

import pytest

from tests.support.api import bearer
from tests.support.factories import make_record
from tests.thesaurus.support import edit, index_record, make_concept

EN = {"Accept-Language": "en"}
VAE = "Validation des acquis de l'expérience"


def add_heading(db, record_id: int, heading: str) -> None:
    """A subject heading as an import leaves it."""
    from catalogue.models import RecordSubject

    with db.transaction() as session:
        session.add(RecordSubject(record_id=record_id, heading=heading, vocabulary="rameau"))


def error_of(response, status: int, code: str) -> dict:
    """The documented error shape (plus ``findings`` for thesaurus rules)."""
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.get_json()
    assert set(body) == {"error"}
    error = body["error"]
    assert (error["status"], error["code"]) == (status, code)
    assert error["message"]
    assert set(error) <= {"status", "code", "message", "fields", "current", "submitted", "findings"}
    return error


@pytest.fixture
def headers(db):
    return bearer(db)


def test_reads_need_a_token_and_writes_the_role(client, db):
    concept = make_concept(db, "Emploi")
    assert error_of(client.get(f"/api/v1/concepts/{concept}"), 401, "unauthorized")
    counsellor = bearer(db, "conseil", role="counsellor", pole="job_search")
    assert client.get(f"/api/v1/concepts/{concept}", headers=counsellor).status_code == 200
    error_of(client.post("/api/v1/concepts", json={"pref_labels": {"fr": "Travail"}}, headers=counsellor),
             403, "forbidden")


def test_create_read_and_list(client, headers):
    response = client.post("/api/v1/concepts", headers=headers, json={
        "pref_labels": {"fr": VAE, "en": "Accreditation of prior learning"},
        "alt_labels": [{"language": "fr", "text": "VAE"}],
        "notes": [{"kind": "definition", "language": "fr", "text": "Obtenir un diplôme par l'expérience."}]})
    assert response.status_code == 201, response.get_data(as_text=True)
    concept = response.get_json()
    assert response.headers["Location"].endswith(f"/api/v1/concepts/{concept['id']}")
    assert concept["pref_labels"] == {"fr": VAE, "en": "Accreditation of prior learning"}
    assert [(a["language"], a["text"]) for a in concept["alt_labels"]] == [("fr", "VAE")]
    assert concept["notes"][0]["kind"] == "definition" and concept["top_concept"] is True
    child = client.post("/api/v1/concepts", headers=headers, json={
        "pref_labels": {"fr": "VAE sanitaire"}, "broader": [concept["id"]]}).get_json()
    assert child["broader"] == [{"id": concept["id"], "uri": concept["uri"], "label": VAE}]
    parent = client.get(f"/api/v1/concepts/{concept['id']}", headers=headers).get_json()
    assert [c["id"] for c in parent["narrower"]] == [child["id"]]

    listed = client.get("/api/v1/concepts?q=vae&size=10", headers=headers).get_json()
    assert listed["total"] == 2 and {c["label"] for c in listed["items"]} == {VAE, "VAE sanitaire"}
    error_of(client.get("/api/v1/concepts/999999", headers=headers), 404, "not_found")
    error_of(client.post("/api/v1/concepts", json={"pref_labels": "VAE"}, headers=headers), 422, "validation_failed")


def test_patch_requires_the_version_and_answers_409_when_stale(client, db, headers):
    concept = client.post("/api/v1/concepts", headers=headers, json={"pref_labels": {"fr": "Emploi"}}).get_json()
    error = error_of(client.patch(f"/api/v1/concepts/{concept['id']}", json={"notation": "E1"}, headers=headers),
                     422, "validation_failed")
    assert "version" in error["fields"]
    renamed = client.patch(f"/api/v1/concepts/{concept['id']}", headers=headers,
                           json={"pref_labels": {"fr": "Emploi salarié"}, "version": concept["version"]})
    assert renamed.status_code == 200 and renamed.get_json()["pref_labels"] == {"fr": "Emploi salarié"}
    assert renamed.get_json()["version"] > concept["version"]
    stale = client.patch(f"/api/v1/concepts/{concept['id']}", headers=headers,
                         json={"notation": "E2", "version": concept["version"]})
    error = error_of(stale, 409, "version_conflict")
    assert error["current"] and error["submitted"]


def test_entry_terms_added_and_removed(client, db, headers):
    concept = make_concept(db, VAE)
    added = client.post(f"/api/v1/concepts/{concept}/labels", json={"text": "VAE"}, headers=headers)
    assert added.status_code == 201
    label = added.get_json()["alt_labels"][0]
    assert (label["language"], label["text"]) == ("fr", "VAE")
    matches = client.get("/api/v1/concepts/autocomplete?q=vae", headers=headers).get_json()["items"]
    assert [(m["id"], m["kind"], m["display"]) for m in matches] == [(concept, "alt", f"VAE → {VAE}")]
    removed = client.delete(f"/api/v1/concepts/{concept}/labels/{label['id']}", headers=headers)
    assert removed.status_code == 200 and removed.get_json()["alt_labels"] == []
    error_of(client.delete(f"/api/v1/concepts/{concept}/labels/{label['id']}", headers=headers), 404, "not_found")


def test_a_cycle_is_refused_with_findings_naming_the_chain(client, db, headers):
    work = make_concept(db, "Travail")
    job = make_concept(db, "Emploi", broader=[work])
    error = error_of(client.post(f"/api/v1/concepts/{work}/move", json={"broader": [job]}, headers=EN | headers),
                     422, "thesaurus_rule")
    assert [f["code"] for f in error["findings"]] == ["hierarchy_cycle"]
    finding = error["findings"][0]
    assert finding["severity"] == "error" and len(finding["concepts"]) >= 2
    assert "Travail" in finding["message"]["fr"] and "Emploi" in finding["message"]["en"]
    assert "Travail" in finding["message"]["en"].split("Emploi", 1)[1]  # the chain goes round
    moved = client.post(f"/api/v1/concepts/{job}/move", json={"broader": []}, headers=headers)
    assert moved.status_code == 200 and moved.get_json()["broader"] == [] and moved.get_json()["top_concept"]


def test_merge_and_deprecate(client, db, headers):
    survivor = make_concept(db, VAE)
    loser = make_concept(db, "Validation de l'expérience")
    record = make_record(db)
    index_record(db, record.id, loser)
    merged = client.post(f"/api/v1/concepts/{loser}/merge", json={"into": survivor}, headers=headers)
    assert merged.status_code == 200, merged.get_data(as_text=True)
    body = merged.get_json()
    assert body["id"] == survivor and "Validation de l'expérience" in {a["text"] for a in body["alt_labels"]}
    old = client.get(f"/api/v1/concepts/{loser}", headers=headers).get_json()
    assert old["status"] == "deprecated" and old["replaced_by"]["id"] == survivor

    other = make_concept(db, "Certification")
    gone = client.post(f"/api/v1/concepts/{other}/deprecate", json={"replaced_by": survivor}, headers=headers)
    assert gone.status_code == 200 and gone.get_json()["status"] == "deprecated"
    assert gone.get_json()["replaced_by"]["label"] == VAE


def test_check_reports_findings_of_the_stored_thesaurus(client, db, headers):
    concept = make_concept(db, "Emploi")
    record = make_record(db)
    index_record(db, record.id, concept)
    edit(db, "deprecate", concept)
    report = client.get("/api/v1/thesaurus/check", headers=headers).get_json()
    assert report["errors"] == 0
    assert "deprecated_in_use" in {f["code"] for f in report["findings"]}


def test_headings_queue_and_map(client, db, headers):
    concept = make_concept(db, "Entretien d'embauche")
    add_heading(db, make_record(db).id, "Entretiens d'embauche")
    queue = client.get("/api/v1/headings", headers=headers).get_json()
    assert queue["total"] >= 1
    row = queue["items"][0]
    assert row["records"] == 1
    mapped = client.post("/api/v1/headings/map", json={"heading_key": row["heading_key"], "concept_id": concept},
                         headers=headers)
    assert mapped.status_code == 201, mapped.get_data(as_text=True)
    assert mapped.get_json()["records_indexed"] == 1 and mapped.get_json()["concept"]["id"] == concept
    assert client.get("/api/v1/headings", headers=headers).get_json()["total"] == queue["total"] - 1
