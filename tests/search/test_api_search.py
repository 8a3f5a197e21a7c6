"""GET /api/v1/search and /api/v1/search/complete: public, cookie-free JSON."""
from __future__ import annotations

import pytest

from search.api.schemas import SearchResults
from search.indexer import drain
from tests.support.api import assert_error
from tests.support.factories import make_item, make_record


def indexed(app, **records):
    database = app.extensions["catalogue.db"]
    made = [make_record(database, title=title, isbn=None, **fields) for title, fields in records.items()]
    drain(database, app.extensions["catalogue.search"])
    return made


def test_search_answers_anyone_with_the_documented_shape_and_no_cookie(app, client):
    record, = indexed(app, **{"Les métiers de la mer": {"year": 2015, "summary": "Marins et pêcheurs."}})
    make_item(app.extensions["catalogue.db"], record.id, "CM1")
    drain(app.extensions["catalogue.db"], app.extensions["catalogue.search"])
    response = client.get("/api/v1/search?q=metier")
    assert response.status_code == 200, response.get_data(as_text=True)
    assert "Set-Cookie" not in response.headers
    body = response.get_json()
    assert set(body) == {"total", "page", "size", "hits", "facets", "suggestion", "approximate", "concepts"}
    assert (body["total"], body["page"], body["size"], body["suggestion"]) == (1, 1, 20, None)
    hit, = body["hits"]
    assert hit["id"] == record.id and hit["title"] == "Les métiers de la mer"
    assert "<mark>" in hit["highlight"]["title"]
    assert body["facets"]["year_range"] == [{"value": "2010-2019", "count": 1}]
    assert body["facets"]["availability"] == [{"value": "available", "count": 1}]
    # The view sends its answer without a marshmallow dump: it must still be what the schema documents.
    assert SearchResults().validate(body) == {}


def test_facet_parameters_filter_and_combine(app, client):
    indexed(app, **{"Guide de la formation": {"document_type": "book", "year": 2021},
                    "Formation en ligne": {"document_type": "website", "url": "https://example.org", "year": 2012},
                    "Formation et emploi": {"document_type": "periodical", "year": 2022}})
    def titles(query):
        return sorted(h["title"] for h in client.get(f"/api/v1/search?{query}").get_json()["hits"])
    assert titles("q=formation&document_type=book&document_type=website") == [
        "Formation en ligne", "Guide de la formation"]
    assert titles("q=formation&document_type=book&document_type=website&year_range=2020-2029") == [
        "Guide de la formation"]
    sorted_by_title = client.get("/api/v1/search?q=formation&sort=title&size=2").get_json()
    assert [h["title"] for h in sorted_by_title["hits"]] == ["Formation en ligne", "Formation et emploi"]
    assert sorted_by_title["total"] == 3
    second = client.get("/api/v1/search?q=formation&sort=title&size=2&page=2").get_json()
    assert [h["title"] for h in second["hits"]] == ["Guide de la formation"]


def test_bad_parameters_answer_422_with_the_error_shape(client):
    assert_error(client.get("/api/v1/search?sort=popularity"), 422, "validation_failed")
    assert_error(client.get("/api/v1/search?size=1000"), 422, "validation_failed")


def test_a_typing_mistake_finds_the_work_said_approximate_with_a_suggestion(app, client):
    indexed(app, **{"Le guide de l'apprentissage": {}})
    body = client.get("/api/v1/search?q=aprentissage").get_json()
    assert body["total"] == 1 and body["approximate"] == 1
    assert [(h["title"], h["approximate"]) for h in body["hits"]] == [("Le guide de l'apprentissage", True)]
    assert body["suggestion"] == "apprentissage"
    body = client.get("/api/v1/search?q=apprentissage").get_json()
    assert (body["total"], body["approximate"], body["suggestion"]) == (1, 0, None)
    assert not body["hits"][0]["approximate"]


def test_complete_gives_titles_authors_and_concepts(app, client):
    indexed(app, **{"Le guide de l'apprentissage": {"contributors": [{"name": "Guillaume, Anne", "role": "aut"}]}})
    body = client.get("/api/v1/search/complete?q=gui").get_json()
    kinds = {(entry["kind"], entry["text"]) for entry in body["items"]}
    assert {("author", "Guillaume, Anne"), ("title", "Le guide de l'apprentissage")} <= kinds
    assert client.get("/api/v1/search/complete").get_json() == {"items": []}


def test_the_search_operations_are_documented_as_public(client):
    spec = client.get("/api/openapi.json").get_json()
    for path in ("/api/v1/search", "/api/v1/search/complete"):
        operation = spec["paths"][path]["get"]
        assert operation["security"] == []
        assert "422" in operation["responses"]
    names = {p["name"] for p in spec["paths"]["/api/v1/search"]["get"]["parameters"]}
    assert {"q", "page", "size", "sort", "pole", "document_type", "audience", "language", "year_range",
            "library", "availability"} <= names


@pytest.mark.demo(accounts=False)  # a copy of the demo's database (tests/support/demo_copy.py)
def test_the_concepts_a_query_names_come_with_the_answer(app, client):
    drain(app.extensions["catalogue.db"], app.extensions["catalogue.search"])
    body = client.get("/api/v1/search?q=VAE").get_json()
    assert [c["label"] for c in body["concepts"]] == ["Validation des acquis de l'expérience"]
    assert SearchResults().validate(body) == {}
