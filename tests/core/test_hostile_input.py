"""Input no user should send, answered with a clear 4xx and never a 500
(issue 14, findings 1 to 3): numbers beyond what a row id can be, JSON
nested thousands deep, bodies beyond the limit, and control characters in
OAI-PMH arguments. And where the OpenAPI document and the server disagreed
(finding 8): a 405 without Allow, an over-long address answered by
gunicorn's page, nulls and wrongly typed values the document allowed or the
server took. On SQLite and on PostgreSQL."""
from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest
from lxml import etree

from core.web.limits import MAX_URL_BYTES
from tests.support.api import assert_error
from tests.support.factories import login, make_item, make_record, make_user, record_data
from tests.support.live import live_server
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
    item = make_item(db, record.id, "CM1")
    with db.transaction() as session:
        concept = Concept(uri="http://example.org/c/1", pref_label_fr="Travail")
        session.add(concept)
        session.flush()
        return {"record": record.id, "item": item.id, "concept": concept.id}


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


# Finding 8: the OpenAPI document and the server agree ------------------------
LONG = "x" * (MAX_URL_BYTES + 1)


def spec_schema(client, name: str) -> dict:
    return client.get("/api/openapi.json").get_json()["components"]["schemas"][name]


def test_an_address_too_long_is_414_in_the_api_shape_and_a_page_elsewhere(client, doc):
    assert_error(client.get(f"/api/v1/records?q={LONG}", headers=doc), 414, "uri_too_long")
    assert_error(client.get(f"/api/v1/search?q={LONG}"), 414, "uri_too_long")  # before any token is asked for
    page = client.get(f"/recherche?q={LONG}")
    assert page.status_code == 414 and page.mimetype == "text/html"
    assert client.get(f"/api/v1/records?q={'x' * (MAX_URL_BYTES - 100)}", headers=doc).status_code == 200


def test_a_real_server_lets_the_application_answer_a_long_address(backend, database_url, tmp_path):
    if backend != "sqlite":
        pytest.skip("gunicorn reads the request line before any database is used")
    with live_server(database_url, tmp_path / "server") as base_url:
        for path in ("/api/v1/search", "/api/v1/records"):  # public, and one that wants a token
            with pytest.raises(urllib.error.HTTPError) as answer:
                urllib.request.urlopen(f"{base_url}{path}?q={'x' * 6000}", timeout=10)
            assert answer.value.code == 414
            assert answer.value.headers.get_content_type() == "application/json"
            assert json.loads(answer.value.read())["error"]["code"] == "uri_too_long"
        with pytest.raises(urllib.error.HTTPError) as answer:
            urllib.request.urlopen(f"{base_url}/recherche?q={'x' * 6000}", timeout=10)
        assert answer.value.code == 414 and answer.value.headers.get_content_type() == "text/html"
        # Beyond gunicorn's largest bounded request line, gunicorn refuses it itself: still a 414.
        with pytest.raises(urllib.error.HTTPError) as answer:
            urllib.request.urlopen(f"{base_url}/api/v1/search?q={'x' * 9000}", timeout=10)
        assert answer.value.code == 414


def test_the_document_refuses_the_nulls_the_server_refuses(client, doc, work):
    record, item = spec_schema(client, "RecordFields"), spec_schema(client, "ItemFields")
    assert "title" in record["required"] and not record["properties"]["title"].get("nullable")
    assert "barcode" in item["required"] and not item["properties"]["barcode"].get("nullable")
    fund = spec_schema(client, "FundIn")["properties"]["allocated"]
    assert not fund.get("nullable") and fund["anyOf"]  # typed: an untyped field allows null
    error = assert_error(client.post("/api/v1/records", headers=doc, json=record_data(title=None)),
                         422, "validation_failed")
    assert list(error["fields"]) == ["title"]
    error = assert_error(client.post(f"/api/v1/records/{work['record']}/items", headers=doc,
                                     json={"barcode": None}), 422, "validation_failed")
    assert list(error["fields"]) == ["barcode"]


@pytest.mark.parametrize(("body", "field"), [
    ({"top_concept": "yes"}, "top_concept"),
    ({"top_concept": 1}, "top_concept"),
    ({"top_concept": "true"}, "top_concept"),
    ({"notation": 12}, "notation"),
    ({"broader": ["1"]}, "broader.0"),
    ({"version": "1"}, "version"),
    ({"version": 1.5}, "version"),
    ({"version": True}, "version"),
])
def test_a_wrongly_typed_concept_field_is_refused_and_named(client, doc, work, body, field):
    url = f"/api/v1/concepts/{work['concept']}"
    error = assert_error(client.patch(url, headers=doc, json={"version": 1, **body}), 422, "validation_failed")
    assert list(error["fields"]) == [field]
    concept = client.get(url, headers=doc).get_json()
    assert concept["version"] == 1 and concept["top_concept"] is False


def test_json_types_are_json_s_own_in_every_body(client, doc, work):
    answers = {
        "version": client.put(f"/api/v1/items/{work['item']}", headers=doc, json={"barcode": "CM1", "version": "1"}),
        "year": client.post("/api/v1/records", headers=doc, json=record_data(year=2020.0)),
        "quantity": client.post("/api/v1/proposals", headers=doc, json={"title": "Un guide", "quantity": "2"}),
        "confirm_duplicate": client.post("/api/v1/proposals", headers=doc,
                                         json={"title": "Un guide", "confirm_duplicate": "no"}),
        "contributors.0.name": client.post("/api/v1/records", headers=doc, json=record_data(
            contributors=[{"name": 7}])),
    }
    for field, response in answers.items():
        error = assert_error(response, 422, "validation_failed")
        assert list(error["fields"]) == [field], error
    made = client.post("/api/v1/concepts", headers=doc, json={"pref_labels": {"fr": "Emploi"}}).get_json()
    accepted = client.patch(f"/api/v1/concepts/{made['id']}", headers=doc,
                            json={"version": made["version"], "top_concept": not made["top_concept"]})
    assert accepted.status_code == 200, accepted.get_data(as_text=True)
    assert accepted.get_json()["top_concept"] is not made["top_concept"]


def test_a_body_is_required_where_something_in_it_is(client, doc, work):
    paths = client.get("/api/openapi.json").get_json()["paths"]
    assert paths["/api/v1/records"]["post"]["requestBody"]["required"] is True
    deprecate = paths["/api/v1/concepts/{concept_id}/deprecate"]["post"]
    assert deprecate["requestBody"]["required"] is False
    answer = client.post(f"/api/v1/concepts/{work['concept']}/deprecate", headers=doc)
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert_error(client.post("/api/v1/records", headers=doc), 422, "validation_failed")


@pytest.mark.parametrize("price", [1e64, -1.6e64, "1e300", "-" + "9" * 40])
def test_an_amount_with_more_digits_than_any_is_refused_on_its_field(client, doc, work, price):
    answer = client.post(f"/api/v1/records/{work['record']}/items", headers=doc,
                         json={"barcode": "CM2", "price": price})
    assert list(assert_error(answer, 422, "validation_failed")["fields"]) == ["price"]
    answer = client.post("/api/v1/proposals", headers=doc, json={"title": "Un guide", "estimated_price": price})
    assert list(assert_error(answer, 422, "validation_failed")["fields"]) == ["estimated_price"]


def test_every_body_field_says_its_json_type(client):
    """An untyped field (marshmallow's Raw) allows anything, null included, in
    the document, whatever the server then refuses: each says its types."""
    spec = client.get("/api/openapi.json").get_json()

    def untyped(node: dict, where: str):
        if "$ref" in node:
            node = spec["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
        if not ({"type", "anyOf", "oneOf", "allOf"} & set(node)):
            yield where
        for name, child in node.get("properties", {}).items():
            yield from untyped(child, f"{where}.{name}")
        for key in ("items", "additionalProperties"):
            if isinstance(node.get(key), dict):
                yield from untyped(node[key], f"{where}[]")

    found = [place for path, item in spec["paths"].items() for method, operation in item.items()
             if "requestBody" in operation
             for place in untyped(operation["requestBody"]["content"]["application/json"]["schema"],
                                  f"{method.upper()} {path}")]
    assert found == []
