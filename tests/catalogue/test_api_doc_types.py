"""The centre's finer document types (issue 16, item 3) through the JSON
API, on both databases: accepted, filtered on, documented, labelled."""
from __future__ import annotations

import pytest

from tests.support.api import assert_error, bearer
from tests.support.factories import record_data

NEW = ("exam_guide", "directory", "training_database", "job_board")
ONLINE = {"training_database", "job_board"}


def post(client, headers, **overrides):
    return client.post("/api/v1/records", json=record_data(**overrides), headers=headers)


@pytest.mark.parametrize("code", NEW)
def test_the_api_accepts_and_filters_on_the_new_type(client, db, code):
    headers = bearer(db)
    url = f"https://example.org/{code}" if code in ONLINE else None
    created = post(client, headers, isbn=None, document_type=code, url=url, title=f"Un {code}")
    assert created.status_code == 201, created.get_data(as_text=True)
    assert created.get_json()["document_type"] == code
    post(client, headers, isbn=None, title="Un livre")
    listed = client.get(f"/api/v1/records?document_type={code}", headers=headers).get_json()
    assert [r["title"] for r in listed["items"]] == [f"Un {code}"]


@pytest.mark.parametrize("code", sorted(ONLINE))
def test_an_online_type_needs_its_address(client, db, code):
    response = post(client, bearer(db), isbn=None, document_type=code, url=None)
    assert set(assert_error(response, 422, "validation_failed")["fields"]) == {"url"}


def test_the_openapi_document_and_the_vocabularies_list_the_new_types(client):
    spec = client.get("/api/openapi.json").get_data(as_text=True)
    assert all(f'"{code}"' in spec for code in NEW)
    vocabulary = {v["code"]: v["label"] for v in client.get("/api/v1/vocabularies").get_json()["document_type"]}
    assert set(NEW) <= set(vocabulary) and all(vocabulary[code] != code for code in NEW)
