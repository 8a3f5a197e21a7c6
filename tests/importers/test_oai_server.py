"""The OAI-PMH repository at /oai, through the Flask test client, on both
databases: every verb, every error, resumption, deletions, sets, dates."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from lxml import etree

from catalogue.services import ItemService, RecordService
from core import config as settings
from importers.oai import MARC_NS, OAI_NS
from tests.support.factories import record_data

NS = {"o": OAI_NS, "m": MARC_NS, "dc": "http://purl.org/dc/elements/1.1/",
      "oai_dc": "http://www.openarchives.org/OAI/2.0/oai_dc/"}
PREFIX = "oai:cite-des-metiers:record/"
SECOND = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.timezone.utc)


def create(db, when: str, **fields):
    with db.transaction() as session:
        return RecordService(session, clock=lambda: at(when)).create(record_data(**fields))


def delete(db, record_id: int, when: str):
    with db.transaction() as session:
        RecordService(session, clock=lambda: at(when)).delete(record_id)


def oai(client, method: str = "get", **params):
    """One request; checks the envelope every response must have."""
    params = {k.rstrip("_"): v for k, v in params.items()}
    response = client.post("/oai", data=params) if method == "post" else client.get("/oai", query_string=params)
    assert response.status_code == 200
    assert response.content_type == "application/xml; charset=utf-8"
    root = etree.fromstring(response.data)
    assert root.tag == f"{{{OAI_NS}}}OAI-PMH"
    assert root.get("{http://www.w3.org/2001/XMLSchema-instance}schemaLocation") == (
        f"{OAI_NS} http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd")
    children = [etree.QName(c).localname for c in root]
    assert children[:2] == ["responseDate", "request"] and len(children) >= 3
    assert SECOND.match(root.findtext("o:responseDate", namespaces=NS))
    assert root.findtext("o:request", namespaces=NS) == "http://localhost/oai"
    return root


def error_code(root) -> str | None:
    error = root.find("o:error", NS)
    return error.get("code") if error is not None else None


def identifiers(root) -> list[str]:
    return root.xpath("//o:header/o:identifier/text()", namespaces=NS)


@pytest.fixture
def catalogue(db):
    """Three works at known times, one with an item, and one deleted work."""
    first = create(db, "2024-01-10T09:00:00", title="Réussir son entretien d'embauche",
                   poles=["job_search"], local_notes="NOTE INTERNE à ne pas publier",
                   subtitle="Méthodes et mises en situation")
    second = create(db, "2024-02-10T09:00:00", title="Créer son entreprise", isbn="9782212567892",
                    poles=["business_creation"], document_type="book",
                    contributors=[{"name": "Durand, Élise", "role": "aut"},
                                  {"name": "Petit, Marc", "role": "edt"}])
    third = create(db, "2024-03-10T09:00:00", title="L'Étudiant", isbn=None, issn="0153-4335",
                   document_type="periodical", poles=["orientation", "pathway"])
    gone = create(db, "2024-01-20T09:00:00", title="Un guide périmé", isbn=None)
    delete(db, gone.id, "2024-04-01T12:00:00")
    with db.transaction() as session:
        ItemService(session, clock=lambda: at("2024-01-10T09:00:00")).create(
            first.id, {"barcode": "CM0000042", "library": "cite", "location": "Espace emploi",
                       "status": "available"})
    return {"first": first.id, "second": second.id, "third": third.id, "gone": gone.id}


def test_identify_describes_the_repository(client, app, catalogue):
    app.config["OAI_ADMIN_EMAIL"] = "doc@cite.example.org"
    root = oai(client, verb="Identify")
    assert root.find("o:request", NS).attrib == {"verb": "Identify"}
    identify = root.find("o:Identify", NS)
    assert [etree.QName(c).localname for c in identify][:7] == [
        "repositoryName", "baseURL", "protocolVersion", "adminEmail", "earliestDatestamp",
        "deletedRecord", "granularity"]
    assert identify.findtext("o:baseURL", namespaces=NS) == "http://localhost/oai"
    assert identify.findtext("o:protocolVersion", namespaces=NS) == "2.0"
    assert identify.findtext("o:adminEmail", namespaces=NS) == "doc@cite.example.org"
    assert identify.findtext("o:earliestDatestamp", namespaces=NS) == "2024-01-10T09:00:00Z"
    assert identify.findtext("o:deletedRecord", namespaces=NS) == "persistent"
    assert identify.findtext("o:granularity", namespaces=NS) == "YYYY-MM-DDThh:mm:ssZ"


def test_settings_name_the_repository(tmp_path):
    loaded = settings.load({"CATALOGUE_INSTANCE_DIR": str(tmp_path), "CATALOGUE_OAI_ADMIN_EMAIL": "a@b.fr",
                            "CATALOGUE_OAI_PAGE_SIZE": "25"})
    assert (loaded["OAI_ADMIN_EMAIL"], loaded["OAI_PAGE_SIZE"], loaded["OAI_REPOSITORY_ID"]) == (
        "a@b.fr", 25, "cite-des-metiers")


def test_identify_describes_identifiers_when_the_repository_id_is_a_domain(client, app):
    app.config["OAI_REPOSITORY_ID"] = "catalogue.cite-des-metiers.fr"
    root = oai(client, verb="Identify")
    sample = root.xpath("//i:sampleIdentifier/text()",
                        namespaces={"i": "http://www.openarchives.org/OAI/2.0/oai-identifier"})
    assert sample == ["oai:catalogue.cite-des-metiers.fr:record/1"]


def test_metadata_formats(client, catalogue):
    root = oai(client, verb="ListMetadataFormats")
    formats = {f.findtext("o:metadataPrefix", namespaces=NS): (f.findtext("o:schema", namespaces=NS),
                                                              f.findtext("o:metadataNamespace", namespaces=NS))
               for f in root.iterfind(".//o:metadataFormat", NS)}
    assert formats == {
        "marc21": ("http://www.loc.gov/standards/marcxml/schema/MARC21slim.xsd", "http://www.loc.gov/MARC21/slim"),
        "oai_dc": ("http://www.openarchives.org/OAI/2.0/oai_dc.xsd", "http://www.openarchives.org/OAI/2.0/oai_dc/"),
    }
    one = oai(client, verb="ListMetadataFormats", identifier=f"{PREFIX}{catalogue['first']}")
    assert len(one.findall(".//o:metadataFormat", NS)) == 2
    assert error_code(oai(client, verb="ListMetadataFormats", identifier=f"{PREFIX}999")) == "idDoesNotExist"


def test_sets_are_the_poles_and_document_types_in_french(client):
    root = oai(client, verb="ListSets")
    names = {s.findtext("o:setSpec", namespaces=NS): s.findtext("o:setName", namespaces=NS)
             for s in root.iterfind(".//o:set", NS)}
    assert names["pole:job_search"] == "Trouver un emploi"
    assert names["type:book"] == "Livre"
    assert {s for s in names if s.startswith("pole:")} == {
        "pole:orientation", "pole:pathway", "pole:job_search", "pole:career_change", "pole:business_creation"}
    assert "type:periodical" in names and "pole" in names and "type" in names


def test_list_records_in_marc21_never_shows_internal_notes(client, catalogue):
    root = oai(client, verb="ListRecords", metadataPrefix="marc21")
    assert root.find("o:request", NS).attrib == {"verb": "ListRecords", "metadataPrefix": "marc21"}
    records = root.findall(".//o:record", NS)
    assert len(records) == 4  # three works and one deletion, oldest first
    assert identifiers(root) == [f"{PREFIX}{catalogue[k]}" for k in ("first", "second", "third", "gone")]
    marc = records[0].find("o:metadata/m:record", NS)
    assert marc.xpath("m:datafield[@tag='245']/m:subfield[@code='a']/text()", namespaces=NS)[0].startswith(
        "Réussir son entretien d'embauche")
    assert marc.xpath("m:datafield[@tag='852']/m:subfield[@code='p']/text()", namespaces=NS) == ["CM0000042"]
    assert records[0].xpath("o:header/o:setSpec/text()", namespaces=NS) == ["pole:job_search", "type:book"]
    assert records[0].findtext("o:header/o:datestamp", namespaces=NS) == "2024-01-10T09:00:00Z"
    assert "NOTE INTERNE" not in etree.tostring(root, encoding="unicode")
    assert root.find("o:ListRecords/o:resumptionToken", NS) is None  # one page only


def test_oai_dc_describes_the_work(client, catalogue):
    root = oai(client, verb="GetRecord", metadataPrefix="oai_dc", identifier=f"{PREFIX}{catalogue['second']}")
    dc = root.find(".//oai_dc:dc", NS)
    values = {}
    for element in dc:
        values.setdefault(etree.QName(element).localname, []).append(element.text)
    assert values["title"] == ["Créer son entreprise : Méthodes et mises en situation"]
    assert values["creator"] == ["Durand, Élise"] and values["contributor"] == ["Petit, Marc"]
    assert "URN:ISBN:9782212567892" in values["identifier"]
    assert values["language"] == ["fre"] and values["date"] == ["2023"]
    assert values["type"] == ["Text", "Livre"]
    assert values["publisher"] == ["Éditions du Parcours"]
    assert values["description"] == ["Préparer un entretien pas à pas."]


def test_deleted_records_are_reported_persistently(client, catalogue):
    identifier = f"{PREFIX}{catalogue['gone']}"
    root = oai(client, verb="GetRecord", metadataPrefix="marc21", identifier=identifier)
    header = root.find(".//o:header", NS)
    assert header.get("status") == "deleted"
    assert header.findtext("o:datestamp", namespaces=NS) == "2024-04-01T12:00:00Z"
    assert root.find(".//o:metadata", NS) is None
    listed = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", from_="2024-03-15")
    assert [(h.findtext("o:identifier", namespaces=NS), h.get("status"))
            for h in listed.iterfind(".//o:header", NS)] == [(identifier, "deleted")]


def test_sets_and_dates_select_records(client, catalogue):
    def listed(**params):
        root = oai(client, verb="ListIdentifiers", metadataPrefix="marc21", **params)
        return identifiers(root) if error_code(root) is None else error_code(root)

    live = [f"{PREFIX}{catalogue[k]}" for k in ("first", "second", "third")]
    gone = f"{PREFIX}{catalogue['gone']}"
    # Tombstones do not remember their sets: they are listed in every set.
    assert listed(set="pole:business_creation") == [live[1], gone]
    assert listed(set="type:periodical") == [live[2], gone]
    assert listed(set="pole") == live + [gone]
    assert listed(from_="2024-02-10T09:00:00Z", until="2024-03-10T09:00:00Z") == live[1:]
    assert listed(until="2024-02-10") == live[:2]
    assert listed(from_="2024-02-11", until="2024-03-31") == [live[2]]
    assert listed(from_="2030-01-01") == "noRecordsMatch"
    assert listed(set="pole:astronautics") == "noRecordsMatch"


def test_resumption_walks_a_list_larger_than_a_page(client, app, db):
    app.config["OAI_PAGE_SIZE"] = 3
    ids = [create(db, f"2024-05-01T10:00:{n:02d}", title=f"Fiche métier {n}", isbn=None).id for n in range(8)]
    delete(db, ids[7], "2024-05-02T00:00:00")
    seen, cursors, sizes, token = [], [], set(), None
    pages = 0
    while True:
        params = {"resumptionToken": token} if token else {"metadataPrefix": "oai_dc"}
        root = oai(client, verb="ListRecords", **params)
        assert error_code(root) is None
        pages += 1
        seen += identifiers(root)
        element = root.find("o:ListRecords/o:resumptionToken", NS)
        cursors.append(int(element.get("cursor")))
        sizes.add(int(element.get("completeListSize")))
        token = element.text
        if pages == 1:  # a work saved mid-harvest moves to the end and is not skipped
            with db.transaction() as session:
                record = RecordService(session, clock=lambda: at("2024-06-01T00:00:00")).get(ids[0])
                RecordService(session, clock=lambda: at("2024-06-01T00:00:00")).update(
                    ids[0], record_data(title="Fiche métier 0, revue", isbn=None), expected_version=record.version)
        if not token:
            break
    assert seen == [f"{PREFIX}{i}" for i in ids[:7]] + [f"{PREFIX}{ids[7]}", f"{PREFIX}{ids[0]}"]
    # 9 headers for 8 items: completeListSize is approximate, as the spec allows,
    # and grows to stay at least what was sent.
    assert pages == 3 and cursors == [0, 3, 6] and sizes == {8, 9}


def test_tokens_are_signed_and_bound_to_their_verb(client, app, db):
    app.config["OAI_PAGE_SIZE"] = 1
    create(db, "2024-01-01T00:00:00", title="Un", isbn=None)
    create(db, "2024-01-02T00:00:00", title="Deux", isbn=None)
    root = oai(client, verb="ListIdentifiers", metadataPrefix="marc21")
    token = root.find(".//o:resumptionToken", NS).text
    assert token
    next_page = oai(client, verb="ListIdentifiers", resumptionToken=token)
    assert len(identifiers(next_page)) == 1 and error_code(next_page) is None
    tampered = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    for verb, value in (("ListIdentifiers", tampered), ("ListRecords", token), ("ListIdentifiers", "x")):
        root = oai(client, verb=verb, resumptionToken=value)
        assert error_code(root) == "badResumptionToken"
        assert root.find("o:request", NS).get("verb") == verb  # attributes are echoed for this error
    assert error_code(oai(client, verb="ListSets", resumptionToken="x")) == "badResumptionToken"
    assert error_code(oai(client, verb="ListIdentifiers", resumptionToken=token, metadataPrefix="marc21")) == \
        "badArgument"


@pytest.mark.parametrize("query, code", [
    ("", "badVerb"),
    ("verb=Explode", "badVerb"),
    ("verb=Identify&verb=Identify", "badVerb"),
    ("verb=Identify&metadataPrefix=marc21", "badArgument"),
    ("verb=ListRecords", "badArgument"),
    ("verb=ListRecords&metadataPrefix=marc21&metadataPrefix=oai_dc", "badArgument"),
    ("verb=ListRecords&metadataPrefix=marc21&from=yesterday", "badArgument"),
    ("verb=ListRecords&metadataPrefix=marc21&from=2024-01-01&until=2024-02-01T00:00:00Z", "badArgument"),
    ("verb=ListRecords&metadataPrefix=marc21&from=2024-02-01&until=2024-01-01", "badArgument"),
    ("verb=ListRecords&metadataPrefix=marc21&from=2024-01-01T00:00:00", "badArgument"),
    ("verb=ListRecords&metadataPrefix=marc21&set=", "badArgument"),
    ("verb=GetRecord&identifier=oai:cite-des-metiers:record/1", "badArgument"),
    ("verb=ListRecords&metadataPrefix=mods", "cannotDisseminateFormat"),
    ("verb=GetRecord&metadataPrefix=mods&identifier=oai:cite-des-metiers:record/1", "cannotDisseminateFormat"),
    ("verb=GetRecord&metadataPrefix=marc21&identifier=oai:cite-des-metiers:record/424242", "idDoesNotExist"),
    ("verb=GetRecord&metadataPrefix=marc21&identifier=oai:elsewhere:record/1", "idDoesNotExist"),
    ("verb=GetRecord&metadataPrefix=marc21&identifier=oai:cite-des-metiers:record/1%27%22", "idDoesNotExist"),
    ("verb=ListIdentifiers&metadataPrefix=marc21", "noRecordsMatch"),
])
def test_errors(client, query, code):
    response = client.get(f"/oai?{query}")
    root = etree.fromstring(response.data)
    assert response.status_code == 200 and error_code(root) == code
    request = root.find("o:request", NS)
    if code in ("badVerb", "badArgument"):
        assert request.attrib == {}  # the spec: no attributes when the request is not legal
    else:
        assert request.get("verb")


def test_post_needs_no_login_and_no_csrf_token(client, catalogue):
    root = oai(client, "post", verb="GetRecord", metadataPrefix="oai_dc", identifier=f"{PREFIX}{catalogue['first']}")
    assert error_code(root) is None
    assert root.findtext(".//dc:title", namespaces=NS).startswith("Réussir son entretien")
