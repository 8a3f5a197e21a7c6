"""POST /api/v1/proposals/{id}/transitions: moves through the graph, the
roles that may make them, stale versions, and the budget check with its
librarian's override, on both databases."""
from __future__ import annotations

from acquisitions.services.budgets import fiscal_year
from core.db import utcnow
from tests.acquisitions.support import (
    budget,
    moved,
    open_fund,
    propose,
    read,
    transition,
)
from tests.support.api import assert_error
from tests.support.factories import make_record


def reviewed(client, staff, **overrides) -> dict:
    proposal = propose(client, staff.headers("claire"), **overrides)
    return moved(client, staff.headers("doc"), proposal["id"], "under_review")


def test_a_move_answers_the_proposal_in_its_new_state_with_a_new_version(client, db, staff):
    proposal = propose(client, staff.headers("claire"))
    body = moved(client, staff.headers("doc"), proposal["id"], "under_review", comment="  À étudier en comité. ")
    assert body["version"] == proposal["version"] + 1
    event = read(client, staff.headers("doc"), proposal["id"])["events"][-1]
    assert (event["from_status"], event["to_status"], event["actor"], event["comment"]) == (
        "proposed", "under_review", "doc", "À étudier en comité.")


def test_a_move_outside_the_graph_is_409_listing_the_allowed_ones(client, db, staff):
    proposal = propose(client, staff.headers("claire"))
    error = assert_error(transition(client, staff.headers("admin"), proposal["id"], "ordered"), 409,
                      "transition_not_allowed")
    assert error["allowed"] == ["under_review", "withdrawn"]
    assert read(client, staff.headers("admin"), proposal["id"])["status"] == "proposed"


def test_a_stale_version_is_409_showing_both_sides(client, db, staff):
    proposal = propose(client, staff.headers("claire"))
    moved(client, staff.headers("doc"), proposal["id"], "under_review")
    response = client.post(f"/api/v1/proposals/{proposal['id']}/transitions", headers=staff.headers("lise"),
                           json={"to": "rejected", "version": proposal["version"], "rejection_reason": "other"})
    error = assert_error(response, 409, "version_conflict")
    assert (error["current"]["status"], error["current"]["version"]) == ("under_review", proposal["version"] + 1)
    assert (error["submitted"]["to"], error["submitted"]["rejection_reason"]) == ("rejected", "other")
    assert read(client, staff.headers("lise"), proposal["id"])["status"] == "under_review"


def test_the_wrong_role_is_403_listing_the_roles_that_may(client, db, staff):
    proposal = propose(client, staff.headers("claire"))
    error = assert_error(transition(client, staff.headers("karim"), proposal["id"], "under_review"), 403, "forbidden")
    assert error["allowed_roles"] == ["documentalist", "librarian", "administrator"]
    moved(client, staff.headers("doc"), proposal["id"], "under_review")
    error = assert_error(transition(client, staff.headers("doc"), proposal["id"], "accepted"), 403, "forbidden")
    assert error["allowed_roles"] == ["librarian", "administrator"]
    assert_error(client.post(f"/api/v1/proposals/{proposal['id']}/transitions",
                          json={"to": "accepted", "version": 2}), 401, "unauthorized")


def test_only_the_proposer_may_withdraw(client, db, staff):
    proposal = propose(client, staff.headers("claire"))
    for other in ("nadia", "lise", "admin"):
        assert_error(transition(client, staff.headers(other), proposal["id"], "withdrawn"), 403, "forbidden")
    body = moved(client, staff.headers("claire"), proposal["id"], "withdrawn")
    assert body["moves"] == []


def test_rejecting_needs_a_reason_and_reopening_goes_back_to_review(client, db, staff):
    proposal = reviewed(client, staff)
    lise = staff.headers("lise")
    error = assert_error(transition(client, lise, proposal["id"], "rejected"), 422, "validation_failed")
    assert list(error["fields"]) == ["rejection_reason"]
    assert_error(transition(client, lise, proposal["id"], "rejected", rejection_reason="trop_cher"), 422,
              "validation_failed")

    rejected = moved(client, lise, proposal["id"], "rejected", rejection_reason="out_of_scope",
                     comment="Hors du champ du centre.")
    assert (rejected["rejection_reason"], rejected["moves"]) == ("out_of_scope", ["under_review"])
    assert_error(transition(client, staff.headers("doc"), proposal["id"], "under_review"), 403, "forbidden")
    reopened = moved(client, lise, proposal["id"], "under_review")
    assert reopened["rejection_reason"] is None
    events = read(client, lise, proposal["id"])["events"]
    assert [(e["to_status"], e["reason_code"]) for e in events] == [
        ("proposed", "new_demand"), ("under_review", None), ("rejected", "out_of_scope"), ("under_review", None)]


def test_rejected_as_already_held_names_the_work(client, db, staff):
    record = make_record(db, isbn=None)
    proposal = reviewed(client, staff, title="Réussir son entretien", isbn=None)
    body = moved(client, staff.headers("lise"), proposal["id"], "rejected", rejection_reason="already_held",
                 record_id=record.id)
    assert body["record_id"] == record.id
    assert read(client, staff.headers("lise"), proposal["id"])["events"][-1]["details"] == {"record_id": record.id}


def test_accepting_takes_this_years_fund_of_the_pole_by_default_or_the_one_named(client, db, staff, app):
    year = fiscal_year(utcnow().date(), app.config["FISCAL_YEAR_START_MONTH"])
    pole_fund = open_fund(db, year, "job_search", "500")
    general = open_fund(db, year, "general", "500")
    first = reviewed(client, staff)
    assert moved(client, staff.headers("lise"), first["id"], "accepted")["fund_id"] == pole_fund
    second = reviewed(client, staff, isbn="9782350300023", title="Le CV par l'exemple")
    assert moved(client, staff.headers("lise"), second["id"], "accepted", fund_id=general)["fund_id"] == general
    third = reviewed(client, staff, isbn="9782350300030", title="Lettres de motivation")
    error = assert_error(transition(client, staff.headers("lise"), third["id"], "accepted", fund_id=999999), 422,
                      "validation_failed")
    assert list(error["fields"]) == ["fund_id"]


def test_accepting_beyond_what_the_fund_has_left_needs_a_librarians_override(client, db, staff):
    """100 € left, 2 copies at 60 €: 409 ``over_budget`` with ``remaining``;
    a documentalist cannot decide (403); an override needs a comment (422);
    the librarian's override with a comment passes and is in the history."""
    fund = open_fund(db, 2026, "job_search", "100")
    proposal = reviewed(client, staff, estimated_price="60", quantity=2)
    lise = staff.headers("lise")

    error = assert_error(transition(client, lise, proposal["id"], "accepted", fund_id=fund), 409, "over_budget")
    assert (error["remaining"], error["needed"]) == ("100.00", "120.00")
    assert_error(transition(client, staff.headers("doc"), proposal["id"], "accepted", fund_id=fund, override=True,
                         comment="Urgent."), 403, "forbidden")
    error = assert_error(transition(client, lise, proposal["id"], "accepted", fund_id=fund, override=True), 422,
                      "validation_failed")
    assert list(error["fields"]) == ["comment"]
    assert read(client, lise, proposal["id"])["status"] == "under_review"

    moved(client, lise, proposal["id"], "accepted", fund_id=fund, override=True,
          comment="Demande forte des conseillers : dépassement accepté.")
    event = read(client, lise, proposal["id"])["events"][-1]
    assert event["details"]["override"] is True
    assert (event["details"]["remaining"], event["details"]["needed"]) == ("100.00", "120.00")
    assert event["comment"] == "Demande forte des conseillers : dépassement accepté."
    assert budget(client, lise, 2026)["job_search"]["remaining"] == "-20.00"


def test_ordering_beyond_what_the_fund_has_left_needs_a_librarians_override(client, db, staff):
    """Accepted at 2 × 40 € on a 100 € fund (20 € left); ordered at 2 × 70 €
    the order needs 60 € more: refused, then overridden."""
    fund = open_fund(db, 2026, "job_search", "100")
    proposal = reviewed(client, staff, estimated_price="40", quantity=2)
    lise = staff.headers("lise")
    moved(client, lise, proposal["id"], "accepted", fund_id=fund)

    error = assert_error(transition(client, lise, proposal["id"], "ordered", unit_price="70"), 409, "over_budget")
    assert (error["remaining"], error["needed"]) == ("20.00", "60.00")
    assert read(client, lise, proposal["id"])["status"] == "accepted"
    assert client.get("/api/v1/orders", headers=lise).get_json()["items"] == [], "no order line was left behind"

    moved(client, lise, proposal["id"], "ordered", unit_price="70", override=True, comment="Prix éditeur.")
    details = read(client, lise, proposal["id"])["events"][-1]["details"]
    assert (details["override"], details["quantity"], details["unit_price"]) == (True, 2, "70.00")
    assert budget(client, lise, 2026)["job_search"]["committed"] == "140.00"


def test_ordering_within_the_budget_puts_a_line_on_the_suppliers_open_order(client, db, staff):
    fund = open_fund(db, 2026, "job_search", "1000")
    admin = staff.headers("admin")
    supplier = client.post("/api/v1/suppliers", headers=admin, json={"name": "Librairie du Parc"}).get_json()
    lise = staff.headers("lise")
    ids = []
    for isbn, title in (("9782350300047", "Trouver un stage"), ("9782350300054", "Réussir sa reconversion")):
        proposal = reviewed(client, staff, isbn=isbn, title=title)
        moved(client, lise, proposal["id"], "accepted", fund_id=fund)
        moved(client, lise, proposal["id"], "ordered", supplier_id=supplier["id"], unit_price="19,90",
              expected_on="2026-05-04")
        ids.append(proposal["id"])
    [order] = client.get("/api/v1/orders", headers=lise).get_json()["items"]
    assert (order["supplier"]["name"], order["status"], order["total"]) == ("Librairie du Parc", "open", "39.80")
    assert [(line["proposal_id"], line["unit_price"], line["expected_on"]) for line in order["lines"]] == [
        (ids[0], "19.90", "2026-05-04"), (ids[1], "19.90", "2026-05-04")]
