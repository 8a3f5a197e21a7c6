"""POST /api/v1/proposals: what a proposal answers, the duplicate checks
against the catalogue and the open proposals, field rules and exact money,
on both databases."""
from __future__ import annotations

from decimal import Decimal
from urllib.parse import urlparse

import pytest
from sqlalchemy import func, select

from acquisitions.models import Proposal, ProposalEvent
from tests.acquisitions.support import moved, proposal_data, propose
from tests.support.api import assert_error
from tests.support.factories import make_record

ISBN = "9782070360246"  # the catalogue record's (tests.support.factories.record_data)


def count_proposals(db) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(Proposal))


def test_a_counsellor_proposes_a_work_and_reads_it_back(client, db, staff):
    """201 with the documented fields: ``proposed``, version 1, the
    proposer's pole by default, the ISBN normalised, money as a decimal
    string, and a first event in its history."""
    headers = staff.headers("claire")
    response = client.post("/api/v1/proposals", headers=headers, json=proposal_data(
        isbn="978-2-35030-001-6", audiences=["job_seeker"], queries=["Bilan de Compétences "]))

    assert response.status_code == 201, response.get_data(as_text=True)
    body = response.get_json()
    assert isinstance(body["id"], int) and body["status"] == "proposed" and body["version"] == 1
    assert urlparse(response.headers["Location"]).path == f"/api/v1/proposals/{body['id']}"
    assert (body["isbn"], body["pole"], body["proposed_by"]) == ("9782350300016", "job_search", "claire")
    assert (body["estimated_price"], body["quantity"], body["duplicate_confirmed"]) == ("24.50", 1, False)
    assert body["queries"] == ["bilan de competences"]  # the observatory's form
    assert body["support"] == {"total": 1, "by_pole": {"job_search": 1}}
    assert body["moves"] == ["withdrawn"]  # a counsellor may only withdraw her own

    detail = client.get(f"/api/v1/proposals/{body['id']}", headers=headers).get_json()
    [event] = detail["events"]
    assert (event["from_status"], event["to_status"], event["actor"]) == (None, "proposed", "claire")


def test_visitors_without_a_token_cannot_propose_or_read(client, db, staff):
    """401 without a token: nothing is saved."""
    assert_error(client.post("/api/v1/proposals", json=proposal_data()), 401, "unauthorized")
    assert_error(client.get("/api/v1/proposals"), 401, "unauthorized")
    assert count_proposals(db) == 0


@pytest.mark.parametrize("isbn", ["978-2-07-036024-6", "9782070360246", "2-07-036024-5", "2070360245"])
def test_an_isbn_the_catalogue_holds_in_any_layout_is_already_in_catalogue(client, db, staff, isbn):
    """The same ISBN, hyphenated or not, or as its ISBN-10: 409 with the matching work."""
    record = make_record(db)
    response = client.post("/api/v1/proposals", headers=staff.headers("claire"),
                           json=proposal_data(title="Un tout autre titre", isbn=isbn))
    error = assert_error(response, 409, "already_in_catalogue")
    assert [match["id"] for match in error["matches"]] == [record.id]
    assert error["matches"][0]["isbn"] == ISBN and error["matches"][0]["title"] == record.title
    assert count_proposals(db) == 0


def test_the_same_issn_is_already_in_catalogue(client, db, staff):
    record = make_record(db, title="Informations sociales", isbn=None, issn="0378-5955", document_type="periodical",
                         contributors=[])
    response = client.post("/api/v1/proposals", headers=staff.headers("claire"), json=proposal_data(
        title="Info sociales (abonnement)", isbn=None, issn="03785955", document_type="periodical"))
    assert [m["id"] for m in assert_error(response, 409, "already_in_catalogue")["matches"]] == [record.id]


def test_the_same_match_key_is_already_in_catalogue(client, db, staff):
    """No identifier, but the same normalised title, first author's surname
    and year: accents, case, punctuation and the author's first name aside."""
    record = make_record(db, isbn=None)  # "Réussir son entretien d'embauche", Martin, Léa, 2023
    response = client.post("/api/v1/proposals", headers=staff.headers("claire"), json=proposal_data(
        title="REUSSIR son entretien d’embauche !", authors="Martin, L.", year=2023, isbn=None))
    assert [m["id"] for m in assert_error(response, 409, "already_in_catalogue")["matches"]] == [record.id]

    other_year = client.post("/api/v1/proposals", headers=staff.headers("claire"), json=proposal_data(
        title="Réussir son entretien d'embauche", authors="Martin, Léa", year=2019, isbn=None))
    assert other_year.status_code == 201, "another year is another work"


def test_confirming_the_duplicate_proposes_it_anyway(client, db, staff):
    make_record(db)
    body = propose(client, staff.headers("claire"), isbn=ISBN, confirm_duplicate=True)
    assert (body["status"], body["duplicate_confirmed"]) == ("proposed", True)
    with db.session() as session:
        [event] = session.scalars(select(ProposalEvent).where(ProposalEvent.proposal_id == body["id"])).all()
        assert event.details == {"duplicate_confirmed": True}


@pytest.mark.parametrize("first, second", [
    ({}, {"isbn": "978-2-35030-001-6", "title": "Bilan de compétences, le guide"}),
    ({"isbn": None, "issn": "1234-5679", "document_type": "periodical"},
     {"isbn": None, "issn": "12345679", "document_type": "periodical", "title": "Autre titre"}),
    ({"isbn": None}, {"isbn": None, "title": "LE GUIDE du bilan de competences", "authors": "Morel, S."}),
], ids=["isbn", "issn", "match_key"])
def test_a_work_an_open_proposal_names_is_already_proposed(client, db, staff, first, second):
    """409 ``already_proposed`` naming the open proposal to support instead;
    even a confirmed duplicate does not make a second proposal."""
    made = propose(client, staff.headers("claire"), **first)
    response = client.post("/api/v1/proposals", headers=staff.headers("karim"),
                           json={**proposal_data(**second), "confirm_duplicate": True})
    assert assert_error(response, 409, "already_proposed")["proposal_id"] == made["id"]
    assert count_proposals(db) == 1


@pytest.mark.parametrize("closed", ["rejected", "withdrawn"])
def test_a_rejected_or_withdrawn_proposal_does_not_block_a_new_one(client, db, staff, closed):
    first = propose(client, staff.headers("claire"))
    if closed == "rejected":
        moved(client, staff.headers("doc"), first["id"], "under_review")
        moved(client, staff.headers("lise"), first["id"], "rejected", rejection_reason="out_of_scope")
    else:
        moved(client, staff.headers("claire"), first["id"], "withdrawn")
    again = propose(client, staff.headers("karim"))
    assert again["id"] != first["id"] and again["status"] == "proposed"


@pytest.mark.parametrize("field, value", [
    ("isbn", "978-2-07-036024-7"),  # wrong check digit
    ("isbn", "12345"),
    ("estimated_price", "-5"),
    ("estimated_price", "vingt euros"),
    ("quantity", 0),
    ("quantity", -1),
    ("quantity", 1000),
    ("fund_id", 999999),  # proposals name no fund: the fund is chosen when accepting
])
def test_invalid_fields_answer_422_naming_the_field(client, db, staff, field, value):
    response = client.post("/api/v1/proposals", headers=staff.headers("claire"),
                           json=proposal_data(**{field: value}))
    error = assert_error(response, 422, "validation_failed")
    assert list(error["fields"]) == [field] and error["fields"][field][0]
    assert count_proposals(db) == 0


def test_every_invalid_field_is_reported_at_once(client, db, staff):
    response = client.post("/api/v1/proposals", headers=staff.headers("claire"), json=proposal_data(
        title="  ", isbn="978-2-07-036024-7", estimated_price="-1", quantity=0))
    error = assert_error(response, 422, "validation_failed")
    assert set(error["fields"]) == {"title", "isbn", "estimated_price", "quantity"}


@pytest.mark.parametrize("given, stored", [
    ("29,90", "29.90"), (29.9, "29.90"), ("29.9", "29.90"), (30, "30.00"),
    ("12.3456", "12.35"), (0.1 + 0.2, "0.30"), ("0", "0.00"),
])
def test_money_is_kept_exactly_to_the_cent(client, db, staff, given, stored):
    """A French comma or a JSON number give the same exact amount, rounded to
    cents and stored as a decimal (not a float): the total is exact too."""
    body = propose(client, staff.headers("claire"), estimated_price=given, quantity=3)
    assert body["estimated_price"] == stored
    with db.session() as session:
        proposal = session.get(Proposal, body["id"])
        assert proposal.estimated_price == Decimal(stored)
        assert proposal.estimated_total == Decimal(stored) * 3


def test_a_counsellor_may_change_her_proposal_until_it_is_decided_with_the_version_she_read(client, db, staff):
    headers = staff.headers("claire")
    body = propose(client, headers)
    changed = client.patch(f"/api/v1/proposals/{body['id']}", headers=headers,
                           json={**proposal_data(quantity=2, estimated_price="22"), "version": body["version"]})
    assert changed.status_code == 200, changed.get_data(as_text=True)
    assert (changed.get_json()["quantity"], changed.get_json()["estimated_price"]) == (2, "22.00")
    stale = client.patch(f"/api/v1/proposals/{body['id']}", headers=headers,
                         json={**proposal_data(quantity=5), "version": body["version"]})
    error = assert_error(stale, 409, "version_conflict")
    assert (error["current"]["quantity"], error["submitted"]["quantity"]) == (2, 5)


def test_the_list_filters_by_state_proposer_and_words(client, db, staff):
    mine = propose(client, staff.headers("claire"))
    theirs = propose(client, staff.headers("karim"), isbn="9782350300023", title="Changer de métier à 40 ans")
    moved(client, staff.headers("doc"), theirs["id"], "under_review")

    def ids(query: str, who: str = "claire") -> list[int]:
        response = client.get(f"/api/v1/proposals?{query}", headers=staff.headers(who))
        assert response.status_code == 200, response.get_data(as_text=True)
        return [item["id"] for item in response.get_json()["items"]]
    assert ids("") == [theirs["id"], mine["id"]], "most recent first"
    assert ids("mine=true") == [mine["id"]]
    assert ids("status=under_review&status=accepted") == [theirs["id"]]
    assert ids("q=MÉTIER") == [theirs["id"]] and ids("q=9782350300016") == [mine["id"]]
    assert ids("pole=career_change") == [theirs["id"]]
