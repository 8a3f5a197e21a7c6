"""Records indexed with concepts through the JSON API, on both databases."""
from __future__ import annotations

from sqlalchemy import select

from core.audit import AuditEvent
from core.outbox import ReindexRequest
from tests.support.api import assert_error, bearer
from tests.support.factories import record_data
from tests.thesaurus.support import edit, make_concept


def queued(db) -> set[int]:
    with db.session() as session:
        return set(session.scalars(select(ReindexRequest.record_id)))


def found(client, q: str) -> set[int]:
    """The works the public search finds: the request that saved a work
    drained the outbox into the index right after its commit."""
    return {hit["id"] for hit in client.get("/api/v1/search", query_string={"q": q}).get_json()["hits"]}


def test_create_and_read_a_record_with_descriptors(client, db):
    headers = bearer(db)
    vae = make_concept(db, "Validation des acquis de l'expérience", alt=["VAE"])
    emploi = make_concept(db, "Emploi")
    response = client.post("/api/v1/records", headers=headers,
                           json=record_data(descriptors=[vae, emploi, vae]))
    assert response.status_code == 201, response.get_data(as_text=True)
    body = response.get_json()
    assert [(d["id"], d["label"]) for d in body["descriptors"]] == sorted(
        [(vae, "Validation des acquis de l'expérience"), (emploi, "Emploi")])
    assert all(d["uri"].startswith("https://") for d in body["descriptors"])
    assert client.get(f"/api/v1/records/{body['id']}", headers=headers).get_json() == body
    listed = client.get("/api/v1/records", headers=headers).get_json()["items"]
    assert listed[0]["descriptors"] == body["descriptors"]
    assert queued(db) == set() and found(client, "VAE") == {body["id"]}  # queued, then indexed at once
    with db.session() as session:
        event = session.scalars(select(AuditEvent).where(AuditEvent.record_id == body["id"])).one()
        assert event.changes["descriptors"] == [None, sorted([vae, emploi])]


def test_update_changes_descriptors_only_when_given(client, db):
    headers = bearer(db)
    emploi, travail = make_concept(db, "Emploi"), make_concept(db, "Travail")
    body = client.post("/api/v1/records", headers=headers, json=record_data(descriptors=[emploi])).get_json()
    # Left out: the record keeps its descriptors.
    kept = client.put(f"/api/v1/records/{body['id']}", headers=headers,
                      json={**record_data(title="Autre titre"), "version": body["version"]}).get_json()
    assert [d["id"] for d in kept["descriptors"]] == [emploi]
    assert found(client, "Emploi") == {body["id"]}
    changed = client.put(f"/api/v1/records/{body['id']}", headers=headers,
                         json={**record_data(title="Autre titre"), "descriptors": [travail],
                               "version": kept["version"]}).get_json()
    assert [d["id"] for d in changed["descriptors"]] == [travail]
    assert changed["version"] == kept["version"] + 1
    assert queued(db) == set() and found(client, "Travail") == {body["id"]} and found(client, "Emploi") == set()
    with db.session() as session:
        event = session.scalars(select(AuditEvent).where(AuditEvent.record_id == body["id"])
                                .order_by(AuditEvent.id.desc())).first()
        assert event.changes == {"descriptors": [[emploi], [travail]]}
    emptied = client.put(f"/api/v1/records/{body['id']}", headers=headers,
                         json={**record_data(title="Autre titre"), "descriptors": [],
                               "version": changed["version"]}).get_json()
    assert emptied["descriptors"] == []


def test_unknown_and_deprecated_concepts_are_field_errors(client, db):
    headers = bearer(db)
    old, new = make_concept(db, "Chômeur"), make_concept(db, "Demandeur d'emploi")
    error = assert_error(client.post("/api/v1/records", headers=headers, json=record_data(descriptors=[999])),
                         422, "validation_failed")
    assert list(error["fields"]) == ["descriptors"]
    error = assert_error(client.post("/api/v1/records", headers=headers,
                                     json=record_data(descriptors=["x"])), 422, "validation_failed")
    assert list(error["fields"]) == ["descriptors.0"]  # the API's types
    body = client.post("/api/v1/records", headers=headers, json=record_data(descriptors=[old])).get_json()
    edit(db, "deprecate", old, new)
    error = assert_error(client.post("/api/v1/records", headers=headers, json=record_data(
        title="", descriptors=[old])), 422, "validation_failed")
    assert set(error["fields"]) == {"title", "descriptors"}  # all problems at once
    assert "remplace" in error["fields"]["descriptors"][0]
    # A record keeps a descriptor deprecated since it was given.
    kept = client.put(f"/api/v1/records/{body['id']}", headers=headers,
                      json={**record_data(title="Nouveau"), "descriptors": [old], "version": body["version"]})
    assert kept.status_code == 200, kept.get_data(as_text=True)


def test_a_stale_version_shows_descriptors_in_both_versions(client, db):
    headers = bearer(db)
    emploi, travail = make_concept(db, "Emploi"), make_concept(db, "Travail")
    body = client.post("/api/v1/records", headers=headers, json=record_data(descriptors=[emploi])).get_json()
    client.put(f"/api/v1/records/{body['id']}", headers=headers,
               json={**record_data(), "descriptors": [travail], "version": body["version"]})
    error = assert_error(client.put(f"/api/v1/records/{body['id']}", headers=headers, json={
        **record_data(), "descriptors": [emploi, travail], "version": body["version"]}), 409, "version_conflict")
    assert error["current"]["descriptors"] == [travail]
    assert error["submitted"]["descriptors"] == sorted([emploi, travail])


def test_clean_record_takes_descriptors_only_when_given():
    import datetime as dt

    import pytest

    from catalogue.services.validation import clean_record
    from core.errors import ValidationFailed

    today = dt.date(2026, 11, 21)
    assert "descriptors" not in clean_record(record_data(), today=today)
    assert clean_record(record_data(descriptors=["3", 3, 4]), today=today)["descriptors"] == [3, 4]
    with pytest.raises(ValidationFailed) as caught:
        clean_record(record_data(title="", descriptors=[1, "x", True]), today=today)
    assert set(caught.value.fields) == {"title", "descriptors"}
    with pytest.raises(ValidationFailed) as caught:
        clean_record(record_data(descriptors=[1]), today=today, check_descriptors=lambda ids: ["Nope."])
    assert caught.value.fields == {"descriptors": ["Nope."]}
