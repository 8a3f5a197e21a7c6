"""Funds and budgets: /api/v1/funds (administrators) and /api/v1/budgets,
whose figures follow a proposal from acceptance to the shelf, exactly, on
both databases."""
from __future__ import annotations

from decimal import Decimal

from acquisitions.services.budgets import BudgetService
from tests.acquisitions.support import budget, moved, open_fund, propose
from tests.support.api import assert_error

FIGURES = ("allocated", "committed", "spent", "remaining")


def figures(item: dict) -> tuple:
    return tuple(item[name] for name in FIGURES)


def test_an_administrator_opens_funds_and_the_budget_lists_them_as_decimal_strings(client, db, staff):
    admin = staff.headers("admin")
    response = client.post("/api/v1/funds", headers=admin, json={"year": 2026, "code": "job_search",
                                                                 "allocated": "1500", "warning_percent": 75})
    assert response.status_code == 201, response.get_data(as_text=True)
    body = response.get_json()
    assert (body["year"], body["code"], body["pole"], body["warning_percent"]) == (2026, "job_search",
                                                                                    "job_search", 75)
    assert figures(body) == ("1500.00", "0.00", "0.00", "1500.00")
    assert client.post("/api/v1/funds", headers=admin, json={"year": 2026, "code": "general",
                                                             "allocated": 800.5}).status_code == 201
    client.post("/api/v1/funds", headers=admin, json={"year": 2027, "code": "general", "allocated": "1"})

    response = client.get("/api/v1/budgets?year=2026", headers=staff.headers("claire"))
    assert response.status_code == 200
    body = response.get_json()
    assert body["year"] == 2026
    assert [(item["code"], item["pole"]) for item in body["items"]] == [("general", None),
                                                                      ("job_search", "job_search")]
    assert figures(body["items"][0]) == ("800.50", "0.00", "0.00", "800.50")


def test_only_administrators_open_funds_and_visitors_see_no_budget(client, db, staff):
    fund = {"year": 2026, "code": "orientation", "allocated": "900"}
    error = assert_error(client.post("/api/v1/funds", headers=staff.headers("lise"), json=fund), 403, "forbidden")
    assert "fields" not in error
    assert_error(client.post("/api/v1/funds", headers=staff.headers("claire"), json=fund), 403, "forbidden")
    assert_error(client.get("/api/v1/budgets?year=2026"), 401, "unauthorized")
    assert budget(client, staff.headers("lise"), 2026) == {}


def test_a_fund_is_opened_once_per_year_and_code_with_a_valid_amount(client, db, staff):
    admin = staff.headers("admin")
    assert client.post("/api/v1/funds", headers=admin,
                       json={"year": 2026, "code": "pathway", "allocated": "300"}).status_code == 201
    again = client.post("/api/v1/funds", headers=admin, json={"year": 2026, "code": "pathway", "allocated": "10"})
    assert list(assert_error(again, 422, "validation_failed")["fields"]) == ["code"]
    bad = client.post("/api/v1/funds", headers=admin, json={"year": 1999, "code": "cuisine", "allocated": "-3",
                                                            "warning_percent": 0})
    assert set(assert_error(bad, 422, "validation_failed")["fields"]) == {"year", "code", "allocated",
                                                                       "warning_percent"}


def test_a_librarian_changes_an_allocation_with_the_version_she_read(client, db, staff):
    fund_id = open_fund(db, 2026, "business_creation", "1000")
    lise = staff.headers("lise")
    changed = client.patch(f"/api/v1/funds/{fund_id}", headers=lise, json={"version": 1, "allocated": "1200,50"})
    assert changed.status_code == 200, changed.get_data(as_text=True)
    assert changed.get_json()["allocated"] == "1200.50"
    assert_error(client.patch(f"/api/v1/funds/{fund_id}", headers=lise, json={"version": 1, "allocated": "5"}), 409,
              "version_conflict")
    assert_error(client.patch(f"/api/v1/funds/{fund_id}", headers=staff.headers("doc"),
                           json={"version": 2, "allocated": "5"}), 403, "forbidden")


def test_the_figures_follow_a_proposal_from_acceptance_to_the_shelf(client, db, staff):
    """1500 € allocated; 2 copies estimated at 24.50 €:
    accepted: 49.00 committed; ordered at 22.90 €: 45.80 committed;
    1 copy received at 21.35 €: 21.35 spent, 22.90 still committed;
    the other at the order's price: 44.25 spent, nothing committed;
    catalogued: nothing changes. remaining = allocated - committed - spent."""
    open_fund(db, 2026, "job_search", "1500")
    lise, doc = staff.headers("lise"), staff.headers("doc")
    proposal = propose(client, staff.headers("claire"), estimated_price="24,50", quantity=2)
    fund_id = budget(client, lise, 2026)["job_search"]["fund_id"]
    moved(client, doc, proposal["id"], "under_review")
    assert figures(budget(client, lise, 2026)["job_search"]) == ("1500.00", "0.00", "0.00", "1500.00")

    steps = [
        (lise, "accepted", {"fund_id": fund_id}, ("1500.00", "49.00", "0.00", "1451.00")),
        (lise, "ordered", {"unit_price": "22.90"}, ("1500.00", "45.80", "0.00", "1454.20")),
        (doc, "received", {"quantity": 1, "unit_price": "21.35"}, ("1500.00", "22.90", "21.35", "1455.75")),
        (doc, "received", {}, ("1500.00", "0.00", "44.25", "1455.75")),
        (doc, "catalogued", {}, ("1500.00", "0.00", "44.25", "1455.75")),
    ]
    for headers, to, data, expected in steps:
        moved(client, headers, proposal["id"], to, **data)
        assert figures(budget(client, lise, 2026)["job_search"]) == expected, to


def test_many_small_amounts_add_up_exactly(client, db, staff):
    """Ten proposals at 0.10 €: 1.00 € committed, not 0.9999999 (SQLite would
    add floating-point numbers)."""
    fund_id = open_fund(db, 2026, "orientation", "10")
    for n in range(10):
        proposal = propose(client, staff.headers("claire"), title=f"Fiche métier numéro {n}", isbn=None,
                           estimated_price="0.10")
        moved(client, staff.headers("doc"), proposal["id"], "under_review")
        moved(client, staff.headers("lise"), proposal["id"], "accepted", fund_id=fund_id)
    assert figures(budget(client, staff.headers("lise"), 2026)["orientation"]) == ("10.00", "1.00", "0.00", "9.00")
    with db.session() as session:
        [found] = BudgetService(session).figures(2026)
        assert found.committed == Decimal("1.00") and isinstance(found.remaining, Decimal)


def test_withdrawn_rejected_and_other_years_proposals_commit_nothing(client, db, staff):
    this_year = open_fund(db, 2026, "job_search", "100")
    next_year = open_fund(db, 2027, "job_search", "100")
    lise, doc = staff.headers("lise"), staff.headers("doc")
    accepted = propose(client, staff.headers("claire"), estimated_price="30")
    moved(client, doc, accepted["id"], "under_review")
    moved(client, lise, accepted["id"], "accepted", fund_id=next_year)
    rejected = propose(client, staff.headers("claire"), isbn="9782350300023", title="Le CV", estimated_price="40")
    moved(client, doc, rejected["id"], "under_review")
    moved(client, lise, rejected["id"], "rejected", rejection_reason="over_budget")
    assert this_year != next_year
    assert figures(budget(client, lise, 2026)["job_search"]) == ("100.00", "0.00", "0.00", "100.00")
    assert figures(budget(client, lise, 2027)["job_search"]) == ("100.00", "30.00", "0.00", "70.00")
