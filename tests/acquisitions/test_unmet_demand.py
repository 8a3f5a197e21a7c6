"""GET /api/v1/unmet-demand: the month's searches that found nothing, per
pole, most asked first, but those a proposal answers; and the demand a
proposal shows, read from the observatory's counts, on both databases."""
from __future__ import annotations

import datetime as dt

from search.stats import SearchEvent, normalise, record_search
from tests.acquisitions.support import moved, propose, read
from tests.support.api import assert_error


def searched(db, day: str, query: str, *, times: int, zero: int | None = None, pole: str = "job_search",
             portal: str = "rechercher-un-emploi") -> None:
    """``times`` visitors' searches of ``query`` on ``day``, ``zero`` of which found nothing (default: all)."""
    with db.transaction() as session:
        record_search(session, SearchEvent(dt.date.fromisoformat(day), portal, pole, normalise(query), found=False),
                      times=times, zero_times=times if zero is None else zero)


def unmet(client, headers, query: str) -> list[tuple]:
    response = client.get(f"/api/v1/unmet-demand?{query}", headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    return [(i["query"], i["pole"], i["searches"], i["zero_results"], i["last_day"])
            for i in response.get_json()["items"]]


def test_the_months_zero_result_queries_of_a_pole_most_asked_first(client, db, staff):
    searched(db, "2026-03-02", "Entretien d'embauche en visio", times=3)
    searched(db, "2026-03-20", "entretien d'embauche en VISIO ", times=2)  # the same once normalised
    searched(db, "2026-03-05", "Salon de l'emploi Lyon", times=7)
    searched(db, "2026-03-09", "cv video", times=9, zero=1)
    searched(db, "2026-03-10", "CV", times=40, zero=0)  # always found something
    searched(db, "2026-02-27", "offres saisonnières", times=50)  # another month
    searched(db, "2026-04-01", "offres saisonnières", times=50)
    searched(db, "2026-03-11", "bilan de competences", times=30, pole="orientation", portal="s-orienter")

    assert unmet(client, staff.headers("claire"), "month=2026-03&pole=job_search") == [
        ("salon de l'emploi lyon", "job_search", 7, 7, "2026-03-05"),
        ("entretien d'embauche en visio", "job_search", 5, 5, "2026-03-20"),
        ("cv video", "job_search", 9, 1, "2026-03-09"),
    ]
    every_pole = unmet(client, staff.headers("claire"), "month=2026-03")
    assert every_pole[0] == ("bilan de competences", "orientation", 30, 30, "2026-03-11")
    assert len(every_pole) == 4


def test_a_query_a_proposal_answers_is_left_out_and_shows_on_the_proposal(client, db, staff):
    searched(db, "2026-03-05", "Salon de l'emploi Lyon", times=7)
    searched(db, "2026-03-06", "Entretien en visio", times=4)
    searched(db, "2026-02-14", "Entretien en visio", times=6, zero=2)
    proposal = propose(client, staff.headers("claire"), title="Réussir ses entretiens à distance",
                       reason_code="unmet_searches", queries=["ENTRETIEN en Visio"])

    assert [row[0] for row in unmet(client, staff.headers("claire"), "month=2026-03&pole=job_search")] == [
        "salon de l'emploi lyon"]
    assert read(client, staff.headers("claire"), proposal["id"])["demand"] == [
        {"month": "2026-02", "searches": 6, "zero_results": 2},
        {"month": "2026-03", "searches": 4, "zero_results": 4}]


def test_a_query_only_a_withdrawn_or_rejected_proposal_named_is_unmet_again(client, db, staff):
    searched(db, "2026-03-06", "Entretien en visio", times=4)
    withdrawn = propose(client, staff.headers("claire"), title="Entretiens à distance", queries=["entretien en visio"])
    rejected = propose(client, staff.headers("nadia"), title="Le visio-entretien", isbn="9782350300023",
                       queries=["entretien en visio"])
    assert unmet(client, staff.headers("claire"), "month=2026-03") == []
    moved(client, staff.headers("claire"), withdrawn["id"], "withdrawn")
    assert unmet(client, staff.headers("claire"), "month=2026-03") == [], "the other proposal still answers it"
    moved(client, staff.headers("doc"), rejected["id"], "under_review")
    moved(client, staff.headers("lise"), rejected["id"], "rejected", rejection_reason="unavailable")
    assert [row[0] for row in unmet(client, staff.headers("claire"), "month=2026-03")] == ["entretien en visio"]


def test_searches_outside_the_poles_portals_are_asked_for_with_none(client, db, staff):
    searched(db, "2026-03-05", "permis de conduire financement", times=2, pole="", portal="")
    searched(db, "2026-03-05", "Salon de l'emploi Lyon", times=7)
    assert unmet(client, staff.headers("doc"), "month=2026-03&pole=none") == [
        ("permis de conduire financement", "", 2, 2, "2026-03-05")]


def test_the_unmet_demand_is_for_staff_and_wants_a_real_month(client, db, staff):
    assert_error(client.get("/api/v1/unmet-demand?month=2026-03"), 401, "unauthorized")
    error = assert_error(client.get("/api/v1/unmet-demand?month=2026-13", headers=staff.headers("doc")), 422,
                      "validation_failed")
    assert list(error["fields"]) == ["month"]
    assert unmet(client, staff.headers("doc"), "month=2026-03&pole=job_search") == []
