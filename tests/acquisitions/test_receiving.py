"""Receiving and shelving: the catalogue record made from the proposal (or
the one already held), one item per copy in processing at its price, a
partial receipt and the rest, then the copies on the shelf and the work
found by visitors, on both databases."""
from __future__ import annotations

from sqlalchemy import func, select

from catalogue.models import Record
from core.db import utcnow
from tests.acquisitions.support import (
    moved,
    open_fund,
    propose,
    read,
    transition,
)
from tests.support.api import assert_error
from tests.support.factories import make_item, make_record

TITLE = "Créer son entreprise en dix étapes"


def ordered(client, db, staff, **overrides) -> dict:
    """A proposal of 2 copies at 18.50 €, accepted and ordered at 17.90 €."""
    fund_id = open_fund(db, 2026, "business_creation", "2000")
    proposal = propose(client, staff.headers("claire"), **{
        "title": TITLE, "authors": "Lefèvre, Anne; Garnier, Paul", "publisher": "Éditions Entreprendre",
        "year": 2025, "edition": "2e édition", "isbn": "9782215123453", "quantity": 2, "estimated_price": "18.50",
        "poles": ["business_creation"], "audiences": ["business_creator"], **overrides})
    moved(client, staff.headers("doc"), proposal["id"], "under_review")
    moved(client, staff.headers("lise"), proposal["id"], "accepted", fund_id=fund_id)
    return moved(client, staff.headers("lise"), proposal["id"], "ordered", unit_price="17.90")


def items_of(client, headers, record_id: int) -> list[dict]:
    response = client.get(f"/api/v1/records/{record_id}/items", headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["items"]


def count_records(db) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(Record))


def search(client, query: str) -> dict:
    response = client.get("/api/v1/search", query_string={"q": query})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def test_receiving_makes_the_record_from_the_proposal_and_an_item_per_copy_in_processing(client, db, staff):
    proposal = ordered(client, db, staff)
    doc = staff.headers("doc")
    body = moved(client, doc, proposal["id"], "received")
    record_id = body["received_record_id"]

    record = client.get(f"/api/v1/records/{record_id}", headers=doc).get_json()
    assert (record["title"], record["isbn"], record["year"], record["publisher"], record["edition"]) == (
        TITLE, "9782215123453", 2025, "Éditions Entreprendre", "2e édition")
    assert record["contributors"] == [{"name": "Lefèvre, Anne", "role": "aut"},
                                      {"name": "Garnier, Paul", "role": "aut"}]
    assert (record["poles"], record["audiences"]) == (["business_creation"], ["business_creator"])

    items = items_of(client, doc, record_id)
    assert [item["barcode"] for item in items] == [f"ACQ{proposal['id']}-1", f"ACQ{proposal['id']}-2"]
    today = utcnow().date().isoformat()
    assert {(i["status"], i["acquired_on"], i["price"], i["library"]) for i in items} == {
        ("processing", today, "17.90", "cite")}
    details = read(client, doc, proposal["id"])["events"][-1]["details"]
    assert (details["quantity"], details["record_id"], details["items"]) == (2, record_id, [i["id"] for i in items])
    assert body["moves"] == ["catalogued"], "nothing is outstanding"


def test_a_partial_receipt_keeps_the_rest_expected_and_received_again_receives_it(client, db, staff):
    proposal = ordered(client, db, staff)
    doc = staff.headers("doc")
    first = moved(client, doc, proposal["id"], "received", quantity=1, unit_price="16,00",
                  barcodes=["CM0042001"])
    assert first["moves"] == ["received", "catalogued"]
    record_id = first["received_record_id"]
    assert [(i["barcode"], i["price"]) for i in items_of(client, doc, record_id)] == [("CM0042001", "16.00")]
    [order] = client.get("/api/v1/orders", headers=doc).get_json()["items"]
    [line] = order["lines"]
    assert (order["status"], line["quantity"], line["received_quantity"]) == ("sent", 2, 1)

    error = assert_error(transition(client, doc, proposal["id"], "received", quantity=2), 422, "validation_failed")
    assert list(error["fields"]) == ["quantity"], "only one copy is still expected"
    rest = moved(client, doc, proposal["id"], "received")
    assert rest["received_record_id"] == record_id, "the rest goes to the same work"
    assert [(i["barcode"], i["price"]) for i in items_of(client, doc, record_id)] == [
        ("CM0042001", "16.00"), (f"ACQ{proposal['id']}-1", "17.90")]
    assert count_records(db) == 1
    assert client.get("/api/v1/orders", headers=doc).get_json()["items"][0]["status"] == "closed"
    error = assert_error(transition(client, doc, proposal["id"], "received"), 409, "transition_not_allowed")
    assert error["allowed"] == ["catalogued"]


def test_a_work_already_in_the_catalogue_gets_the_copies(client, db, staff):
    """A record harvested from the main library with the same ISBN: the
    copies join it, no second record is made."""
    record = make_record(db, title="Créer son entreprise", isbn="9782215123453", contributors=[])
    with db.transaction() as session:
        session.get(Record, record.id).origin = "main_library"
    make_item(db, record.id, "BM0001", library="main")
    proposal = ordered(client, db, staff, confirm_duplicate=True)
    assert proposal["duplicate_confirmed"] is True

    body = moved(client, staff.headers("doc"), proposal["id"], "received")
    assert body["received_record_id"] == record.id
    assert count_records(db) == 1
    items = items_of(client, staff.headers("doc"), record.id)
    assert [(i["library"], i["status"]) for i in items] == [("main", "available"), ("cite", "processing"),
                                                            ("cite", "processing")]
    record_now = client.get(f"/api/v1/records/{record.id}", headers=staff.headers("doc")).get_json()
    assert record_now["title"] == "Créer son entreprise", "the held record is not rewritten"


def test_a_new_edition_replacing_a_held_work_gets_its_own_record(client, db, staff):
    old = make_record(db, title=TITLE, isbn=None, year=2019, contributors=[{"name": "Lefèvre, Anne"}])
    proposal = ordered(client, db, staff, reason_code="newer_edition", record_id=old.id, confirm_duplicate=True)
    assert proposal["record_relation"] == "replaces"
    body = moved(client, staff.headers("doc"), proposal["id"], "received")
    assert body["received_record_id"] != old.id and count_records(db) == 2


def test_catalogued_shelves_the_copies_and_visitors_find_the_work(client, db, staff):
    proposal = ordered(client, db, staff)
    doc = staff.headers("doc")
    record_id = moved(client, doc, proposal["id"], "received")["received_record_id"]
    found = search(client, "entreprise dix etapes")
    assert [hit["id"] for hit in found["hits"]] == [record_id]
    assert found["facets"]["availability"] == [{"value": "unavailable", "count": 1}], "copies in processing"

    body = moved(client, doc, proposal["id"], "catalogued")
    assert body["moves"] == []
    items = items_of(client, doc, record_id)
    assert [i["status"] for i in items] == ["available", "available"]
    assert read(client, doc, proposal["id"])["events"][-1]["details"] == {"items": [i["id"] for i in items]}
    found = search(client, "créer son entreprise")
    assert [hit["id"] for hit in found["hits"]] == [record_id]
    assert found["facets"]["availability"] == [{"value": "available", "count": 1}]
    assert search(client, "isbn:9782215123453")["total"] == 1


def test_receiving_refuses_bad_barcodes_or_an_unknown_work_and_saves_nothing(client, db, staff):
    proposal = ordered(client, db, staff)
    doc = staff.headers("doc")
    error = assert_error(transition(client, doc, proposal["id"], "received", barcodes=["CM 1"]), 422,
                      "validation_failed")
    assert list(error["fields"]) == ["barcodes"]
    error = assert_error(transition(client, doc, proposal["id"], "received", record_id=999999), 422,
                      "validation_failed")
    assert list(error["fields"]) == ["record_id"]
    assert read(client, doc, proposal["id"])["status"] == "ordered"
    assert count_records(db) == 0
