"""The outbox keeps the index true: a change is queued in its own
transaction, drained right after commit, and a change made while a drain
runs is never lost."""
from __future__ import annotations

from sqlalchemy import select, update

from core.outbox import ReindexRequest, mark_record_ids, waiting
from search.indexer import _forget, drain, drain_quietly, rebuild
from tests.support.api import bearer
from tests.support.factories import make_record, record_data
from tests.support.search import app_config, elasticsearch_url, search_app  # noqa: F401  (fixtures)


def hits(client, q: str) -> list[str]:
    body = client.get("/api/v1/search", query_string={"q": q}).get_json()
    return [hit["title"] for hit in body["hits"]]


def test_edits_through_the_api_are_searchable_at_once(search_app):
    client, database = search_app.test_client(), search_app.extensions["catalogue.db"]
    headers = bearer(database)
    created = client.post("/api/v1/records", json=record_data(title="Devenir boulanger", isbn=None),
                          headers=headers).get_json()
    assert hits(client, "boulanger") == ["Devenir boulanger"]

    data = record_data(title="Devenir pâtissier", isbn=None, version=created["version"])
    assert client.put(f"/api/v1/records/{created['id']}", json=data, headers=headers).status_code == 200
    assert hits(client, "boulanger") == []
    assert hits(client, "patissier") == ["Devenir pâtissier"]

    item = client.post(f"/api/v1/records/{created['id']}/items", headers=headers,
                       json={"barcode": "CM9", "library": "main", "status": "available"}).get_json()
    facets = client.get("/api/v1/search?q=patissier").get_json()["facets"]
    assert facets["library"] == [{"value": "main", "count": 1}]
    assert client.delete(f"/api/v1/items/{item['id']}", headers=headers).status_code == 204

    assert client.delete(f"/api/v1/records/{created['id']}", headers=headers).status_code == 204
    assert hits(client, "patissier") == []
    assert waiting(database) == 0


def test_an_entry_term_added_to_a_concept_finds_its_works(search_app):
    client, database = search_app.test_client(), search_app.extensions["catalogue.db"]
    headers = bearer(database)
    concept = client.post("/api/v1/concepts", headers=headers,
                          json={"pref_labels": {"fr": "Bilan de compétences"}}).get_json()
    make_record(database, title="Faire le point sur sa carrière", isbn=None, descriptors=[concept["id"]])
    drain(database, search_app.extensions["catalogue.search"])
    assert hits(client, "BDC") == []
    response = client.post(f"/api/v1/concepts/{concept['id']}/labels", headers=headers, json={"text": "BDC"})
    assert response.status_code in (200, 201), response.get_data(as_text=True)
    assert hits(client, "BDC") == ["Faire le point sur sa carrière"]


def test_a_row_marked_again_while_draining_stays_queued(app):
    database = app.extensions["catalogue.db"]
    record = make_record(database, title="Premier titre", isbn=None)
    with database.session() as session:
        rows = session.execute(select(ReindexRequest.record_id, ReindexRequest.requested_at)).all()
    with database.transaction() as session:  # another writer, after the drain read the row
        session.execute(update(ReindexRequest).values(requested_at=rows[0].requested_at.replace(year=2099)))
    _forget(database, rows)
    assert waiting(database) == 1
    assert drain(database, app.extensions["catalogue.search"]) == 1
    assert waiting(database) == 0
    assert record.id


def test_a_drain_reads_the_outbox_a_batch_at_a_time(app):
    database, engine = app.extensions["catalogue.db"], app.extensions["catalogue.search"]
    records = [make_record(database, title=f"Métier numéro {n}", isbn=None) for n in range(5)]
    with database.transaction() as session:  # one more, queued at the same instant as the others
        mark_record_ids(session, [r.id for r in records] + [999], "test", now=records[0].created_at)
    assert drain(database, engine, batch=2) == 6
    assert waiting(database) == 0 and engine.count() == 5


def test_marking_flags_the_session_for_the_edge(app):
    with app.extensions["catalogue.db"].transaction() as session:
        assert "reindex" not in session.info
        mark_record_ids(session, [], "nothing")
        assert "reindex" not in session.info
        mark_record_ids(session, [12345], "test")
        assert session.info["reindex"] is True


def test_an_unreachable_cluster_never_loses_a_change(database_url, tmp_path):
    from cite import create_app

    app = create_app(app_config(database_url, tmp_path, SEARCH_ENGINE="elasticsearch",
                                SEARCH_URL="http://127.0.0.1:9", SEARCH_INDEX="nowhere"))
    try:
        database = app.extensions["catalogue.db"]
        client = app.test_client()
        response = client.post("/api/v1/records", json=record_data(isbn=None), headers=bearer(database))
        assert response.status_code == 201  # saved: the index is a copy, the database the truth
        assert waiting(database) == 1       # and queued for the next drain
        assert drain_quietly(database, app.extensions["catalogue.search"]) is None
        assert waiting(database) == 1
    finally:
        app.extensions["catalogue.db"].dispose()


def test_reindex_rebuilds_everything_and_forgets_older_rows(search_app):
    database, engine = search_app.extensions["catalogue.db"], search_app.extensions["catalogue.search"]
    for n in range(3):
        make_record(database, title=f"Métier numéro {n}", isbn=None)
    assert waiting(database) == 3
    assert rebuild(database, engine) == 3
    assert waiting(database) == 0
    assert engine.count() == 3
