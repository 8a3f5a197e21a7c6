"""Input no user should send, answered with a clear 4xx and never a 500
(issue 14, findings 1 to 3): numbers beyond what a row id can be, JSON
nested thousands deep, bodies beyond the limit, and control characters in
OAI-PMH arguments. On SQLite and on PostgreSQL."""
from __future__ import annotations

import json

import pytest
from lxml import etree

from tests.support.api import assert_error
from tests.support.factories import login, make_item, make_record, make_user, record_data
from thesaurus.models import Concept

HUGE = "99999999999999999999"
OAI = "{http://www.openarchives.org/OAI/2.0/}"


@pytest.fixture
def doc(db):
    from tests.support.api import bearer
    return bearer(db, "doc", "documentalist")


@pytest.fixture
def work(db):
    record = make_record(db)
    make_item(db, record.id, "CM1")
    with db.transaction() as session:
        concept = Concept(uri="http://example.org/c/1", pref_label_fr="Travail")
        session.add(concept)
        session.flush()
        return {"record": record.id, "concept": concept.id}


def test_a_number_no_row_can_have_in_an_address_is_not_found(client, doc, work):
    for url in (f"/notices/{HUGE}", f"/thesaurus/concepts/{HUGE}"):
        assert client.get(url).status_code == 404, url
    for url in (f"/api/v1/records/{HUGE}", f"/api/v1/items/{HUGE}", f"/api/v1/concepts/{HUGE}",
                f"/api/v1/records/{HUGE}/history", f"/api/v1/weeding/campaigns/{HUGE}"):
        assert_error(client.get(url, headers=doc), 404, "not_found")


def test_a_page_beyond_any_list_is_refused_by_the_api_and_clamped_by_the_pages(client, db, doc, work):
    for url in ("/api/v1/records", "/api/v1/items", "/api/v1/concepts", "/api/v1/headings", "/api/v1/audit",
                f"/api/v1/records/{work['record']}/history", "/api/v1/proposals", "/api/v1/search"):
        assert_error(client.get(url, query_string={"page": HUGE}, headers=doc), 422, "validation_failed")
    make_user(db, "lise", "librarian")
    login(client, "lise")
    for url in ("/staff/audit", "/staff/records", "/staff/acquisitions", "/recherche?q=travail"):
        separator = "&" if "?" in url else "?"
        assert client.get(f"{url}{separator}page={HUGE}").status_code == 200, url


def test_ids_and_versions_beyond_any_row_in_bodies_are_refused(client, doc, work):
    big = int(HUGE) * 10000
    answers = {
        "version": client.put(f"/api/v1/records/{work['record']}", headers=doc,
                              json={**record_data(), "version": big}),
        "descriptors": client.post("/api/v1/records", headers=doc, json=record_data(isbn=None, descriptors=[big])),
        "broader": client.post("/api/v1/concepts", headers=doc, json={"pref_labels": {"fr": "Emploi"},
                                                                       "broader": [big]}),
        "into": client.post(f"/api/v1/concepts/{work['concept']}/merge", headers=doc, json={"into": big}),
        "replaced_by": client.post(f"/api/v1/concepts/{work['concept']}/deprecate", headers=doc,
                                   json={"replaced_by": big}),
        "item version": client.put("/api/v1/items/1", headers=doc, json={"barcode": "CM1", "version": big}),
    }
    for name, response in answers.items():
        assert 400 <= response.status_code < 500, (name, response.status_code, response.get_data(as_text=True))
        assert response.get_json()["error"]["code"], name


def test_json_nested_thousands_deep_is_a_bad_request(client, doc):
    assert_error(client.post("/api/v1/records", data='{"a":' * 10000, headers={
        **doc, "Content-Type": "application/json"}), 400, "bad_request")
    assert_error(client.post("/api/v1/uses", data="[" * 3000, headers={
        **doc, "Content-Type": "application/json"}), 400, "bad_request")


def test_a_body_beyond_the_limit_is_refused_before_it_is_read(client, doc):
    body = json.dumps({**record_data(), "summary": "x" * (3 * 1024 * 1024)})
    assert_error(client.post("/api/v1/records", data=body, headers={**doc, "Content-Type": "application/json"}),
                 413, "too_large")


@pytest.mark.parametrize(("query", "code"), [
    ("verb=GetRecord&identifier=%00", "badArgument"),
    ("verb=GetRecord&metadataPrefix=oai_dc&identifier=%00", "idDoesNotExist"),
    (f"verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:cite-des-metiers:record/{HUGE}", "idDoesNotExist"),
    ("verb=ListRecords&resumptionToken=%00%C3%BF", "badResumptionToken"),
    ("verb=ListRecords&metadataPrefix=%EF%BF%BE", "cannotDisseminateFormat"),
    ("verb=ListIdentifiers&metadataPrefix=%01oai_dc", "cannotDisseminateFormat"),
    ("verb=Identify&x%00y=1", "badArgument"),
    ("verb=%00", "badVerb"),
])
def test_control_characters_in_oai_arguments_get_the_protocol_error(client, work, query, code):
    response = client.get(f"/oai?{query}")
    assert response.status_code == 200
    root = etree.fromstring(response.data)
    assert root.find(f"{OAI}error").get("code") == code
    echoed = root.find(f"{OAI}request").attrib
    assert all("\x00" not in value and "\ufffe" not in value for value in echoed.values())


def test_a_method_not_allowed_says_which_are(client, doc):
    api = client.open("/api/v1/records", method="TRACE", headers=doc)
    assert_error(api, 405, "method_not_allowed")
    assert {"GET", "POST"} <= {m.strip() for m in api.headers["Allow"].split(",")}
    page = client.open("/recherche", method="TRACE")
    assert page.status_code == 405 and "GET" in page.headers["Allow"]
