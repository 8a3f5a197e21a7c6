"""The named reports' rows on hand-made shelves and proposals, as each run
stores them; the parameters and the schedules librarians set."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, update

from acquisitions.models import Proposal
from catalogue.models import Item
from core import reporting
from core.errors import NotFound, ValidationFailed, VersionConflict
from core.mail import OutgoingMail
from core.reports import ReportSchedule
from tests.acquisitions.support import moved, propose
from tests.weeding.support import NOW, rule, years_ago


def ran(db, name, **options):
    with db.transaction() as session:
        done = reporting.run(session, name, now=NOW, **options)
        return {"id": done.id, "columns": done.columns, "rows": done.rows, "count": done.row_count,
                "params": done.params, "trigger": done.trigger, "mailed_to": done.mailed_to}


def column(run, key) -> list:
    at = run["columns"].index(key)
    return [row[at] for row in run["rows"]]


def touch(db, model, row_id, **values):
    """History written straight into the table (an old change, an unknown acquisition date)."""
    with db.transaction() as session:
        session.execute(update(model).where(model.id == row_id).values(**values))


def test_stale_items_counts_from_the_last_use_or_else_the_acquisition(db, shelf):
    used_long_ago = shelf.copy(title="Le CV en 10 leçons", uses=[years_ago(5), years_ago(4)],
                               call_number="EMP 2")
    shelf.copy(uses=[years_ago(4), years_ago(0.5)])  # used lately
    never_used = shelf.copy(title="Les métiers du bois", acquired_on=years_ago(6).date(),
                            poles=("pathway", "job_search"))
    shelf.copy(acquired_on=years_ago(1).date())  # too recent to say
    unknown = shelf.copy(title="Sans date d'acquisition")
    touch(db, Item, unknown.id, acquired_on=None, created_at=years_ago(3.5))
    recent_unknown = shelf.copy()
    touch(db, Item, recent_unknown.id, acquired_on=None)
    shelf.copy(uses=[years_ago(8)], status="withdrawn")  # gone already
    shelf.copy(uses=[years_ago(8)], library="main")  # the main library's copy

    run = ran(db, "stale-items")

    assert run["columns"] == ["item_id", "barcode", "title", "call_number", "poles", "last_use", "acquired_on",
                              "uses"]
    assert run["params"] == {"years": 3} and run["trigger"] == "manual" and run["mailed_to"] == []
    # The longest forgotten first: never used since six years ago, last used four years ago, held since 3.5.
    assert column(run, "item_id") == [never_used.id, used_long_ago.id, unknown.id]
    assert run["count"] == 3
    assert dict(zip(run["columns"], run["rows"][1])) == {
        "item_id": used_long_ago.id, "barcode": used_long_ago.barcode, "title": "Le CV en 10 leçons",
        "call_number": "EMP 2", "poles": "pathway", "last_use": years_ago(4).date().isoformat(),
        "acquired_on": dt.date(2020, 6, 1).isoformat(), "uses": 2}
    assert run["rows"][0][4:6] == ["job_search, pathway", None]
    assert column(run, "acquired_on")[2] is None

    assert column(ran(db, "stale-items", params={"years": "5"}), "item_id") == [never_used.id]
    assert ran(db, "stale-items", params={"years": 10})["rows"] == []


def test_missing_and_processing_items(db, shelf):
    missing = shelf.copy(status="missing")
    stuck = shelf.copy(status="processing", title="En reliure")
    touch(db, Item, stuck.id, updated_at=NOW - dt.timedelta(days=45))
    shelf.copy(status="processing")  # came in this week
    shelf.copy(status="missing", library="main")

    assert column(ran(db, "missing-items"), "item_id") == [missing.id]
    processing = ran(db, "items-in-processing")
    assert processing["params"] == {"days": 30}
    assert column(processing, "item_id") == [stuck.id]
    assert column(processing, "days") == [45]
    assert column(processing, "since") == [(NOW - dt.timedelta(days=45)).date().isoformat()]
    assert ran(db, "items-in-processing", params={"days": 60})["rows"] == []


def test_past_age_and_periodicals_come_from_the_weeding_rules(db, shelf):
    rule(db, name="Revues", position=10, document_type="periodical", periodical_keep_years=2)
    rule(db, name="Fonds général", position=20, max_age_years=5)
    old = shelf.copy(title="Guide des concours 2012", year=NOW.year - 14)
    shelf.copy(year=NOW.year - 2)
    issue = shelf.copy(title="Revue Orientations n° 12", document_type="periodical", year=NOW.year - 3,
                       acquired_on=years_ago(3).date())
    shelf.copy(document_type="periodical", acquired_on=years_ago(0.5).date())

    past = ran(db, "past-age")
    assert column(past, "item_id") == [old.id]
    assert dict(zip(past["columns"], past["rows"][0])) | {"item_id": None} == {
        "item_id": None, "barcode": old.barcode, "title": "Guide des concours 2012", "call_number": "PAR 1",
        "poles": "pathway", "year": NOW.year - 14, "age_years": 14, "max_years": 5, "rule": "Fonds général"}
    periodicals = ran(db, "periodicals-beyond-retention")
    assert column(periodicals, "item_id") == [issue.id]
    assert column(periodicals, "received_on") == [years_ago(3).date().isoformat()]
    assert column(periodicals, "keep_years") == [2] and column(periodicals, "rule") == ["Revues"]


def test_proposals_waiting_for_more_than_the_threshold(client, db, staff):
    claire, doc = staff.headers("claire"), staff.headers("doc")
    old = propose(client, claire, title="Le bilan de compétences", isbn=None)
    reviewed = propose(client, claire, title="Créer son entreprise", isbn=None)
    moved(client, doc, reviewed["id"], "under_review")
    fresh = propose(client, claire, title="Nouveaux métiers", isbn=None)
    decided = propose(client, claire, title="Vieux guide", isbn=None)
    moved(client, doc, decided["id"], "under_review")
    moved(client, staff.headers("lise"), decided["id"], "rejected", rejection_reason="out_of_scope")
    for proposal_id, days in ((old["id"], 40), (reviewed["id"], 25), (fresh["id"], 3), (decided["id"], 90)):
        touch(db, Proposal, proposal_id, updated_at=NOW - dt.timedelta(days=days),
              created_at=NOW - dt.timedelta(days=days + 1))
    touch(db, Proposal, fresh["id"], updated_at=None, created_at=NOW - dt.timedelta(days=30))

    run = ran(db, "proposals-waiting")
    assert run["params"] == {"days": 21}
    assert column(run, "proposal_id") == [old["id"], fresh["id"], reviewed["id"]]
    assert column(run, "status") == ["proposed", "proposed", "under_review"]
    assert column(run, "days") == [40, 30, 25]
    assert column(run, "proposed_by") == ["claire"] * 3
    assert column(ran(db, "proposals-waiting", params={"days": 35}), "proposal_id") == [old["id"]]


def test_unknown_reports_and_bad_parameters_are_refused(db):
    with db.transaction() as session:
        with pytest.raises(NotFound) as unknown:
            reporting.run(session, "stale")
        assert "stale-items" in str(unknown.value) and "proposals-waiting" in str(unknown.value)
        with pytest.raises(ValidationFailed) as bad:
            reporting.run(session, "stale-items", params={"years": "three", "colour": "red"})
        assert set(bad.value.fields) == {"params.years", "params.colour"}
        with pytest.raises(ValidationFailed):
            reporting.run(session, "stale-items", params={"years": 0})


def test_a_schedule_starts_from_the_definition_and_is_saved_checked_and_versioned(db):
    with db.transaction() as session:
        report = reporting.get("stale-items")
        assert reporting.schedule_of(session, report).as_dict() == {
            "name": "stale-items", "cron": "0 7 * * 1", "recipients": [], "params": {"years": 3}, "active": True,
            "version": 0}
        with pytest.raises(ValidationFailed) as bad:
            reporting.ScheduleService(session).save("stale-items", {
                "cron": "every monday", "recipients": "lise@cdm.example, not-an-address", "params": {"years": -1}})
        assert set(bad.value.fields) == {"cron", "recipients", "params.years"}
        saved = reporting.ScheduleService(session).save("stale-items", {
            "cron": "30 6 * * 1-5", "recipients": "lise@cdm.example; paul@cdm.example lise@cdm.example",
            "params": {"years": "4"}}, expected_version=0)
        assert (saved.cron, saved.recipients, saved.params, saved.active, saved.version) == (
            "30 6 * * 1-5", ["lise@cdm.example", "paul@cdm.example"], {"years": 4}, True, 1)
    with db.transaction() as session:
        with pytest.raises(VersionConflict) as stale:
            reporting.ScheduleService(session).save("stale-items", {"active": False}, expected_version=0)
        assert stale.value.current["version"] == 1 and stale.value.submitted["active"] is False
        assert reporting.ScheduleService(session).save("stale-items", {"active": False},
                                                       expected_version=1).version == 2
    with db.session() as session:
        assert session.get(ReportSchedule, "stale-items").active is False
    assert ran(db, "stale-items")["mailed_to"] == ["lise@cdm.example", "paul@cdm.example"]


def test_the_mail_writes_out_the_first_twenty_rows(db, shelf):
    for _ in range(reporting.MAIL_ROWS + 1):
        shelf.copy(status="missing")
    with db.transaction() as session:
        reporting.ScheduleService(session).save("missing-items", {"recipients": ["lise@cdm.example"]})
    run = ran(db, "missing-items", site_url="https://cdm.example/")
    with db.session() as session:
        (queued,) = session.scalars(select(OutgoingMail)).all()
    assert (queued.recipient, queued.body, queued.link) == (
        "lise@cdm.example", reporting.BODY_MORE, f"/staff/reports/runs/{run['id']}")
    assert queued.params["count"] == 21 and queued.params["shown"] == 20
    assert len(queued.params["lines"].splitlines()) == 20
    assert queued.params["lines"].splitlines()[0].startswith("W000001 · Ouvrage 1 · PAR 1 · ")
    assert queued.params["csv_url"] == f"https://cdm.example/staff/reports/runs/{run['id']}.csv"
    assert queued.params["title_label"] == "Missing items"
