"""Use statistics: scans folded into monthly tallies exactly once, counted
per month, pole, document type and portal; the age profile of the copies
the centre holds; the page, its CSV and the API, with bad input refused."""
from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import func, select, update

from catalogue.models import Item, ItemUse
from catalogue.vocab import DocumentType, ItemStatus
from core import jobs
from search.models import Portal
from tests.support.api import assert_error, bearer
from tests.support.factories import login, make_item, make_record, make_user
from weeding.jobs import scheduled_tally
from weeding.models import UseTally
from weeding.services.statistics import age_profile, consultations, fold_tallies, pending

UTC = dt.timezone.utc
JAN, FEB, MAR = dt.date(2024, 1, 1), dt.date(2024, 2, 1), dt.date(2024, 3, 1)


def at(year: int, month: int, day: int = 10, hour: int = 12) -> dt.datetime:
    return dt.datetime(year, month, day, hour, tzinfo=UTC)


@pytest.fixture
def collection(db):
    """Three works, their copies and portals, and scans in early 2024:
    the two-pole book 4 times (the last on 31 January at 23:30 UTC), the
    periodical 3 times, the job sheet of no pole once."""
    book = make_record(db, title="Changer de métier", isbn=None, year=2021, languages=["fre"],
                       poles=["job_search", "career_change"], document_type="book", audiences=["job_seeker"])
    periodical = make_record(db, title="Revue de l'orientation", isbn=None, year=1985, languages=["fre"],
                             poles=["orientation"], document_type="periodical", audiences=["pupil"])
    sheet = make_record(db, title="Fiche métier : boulanger", isbn=None, year=None, languages=["fre"],
                        poles=[], document_type="job_sheet", audiences=[])
    items = {"book": make_item(db, book.id, "CM1").id, "periodical": make_item(db, periodical.id, "CM2").id,
             "sheet": make_item(db, sheet.id, "CM3").id}
    make_item(db, sheet.id, "BM1", library="main")  # the main library holds the sheet too
    with db.transaction() as session:
        recent_books = {"document_type": ["book"], "year_range": ["2020-2029"]}
        for slug, base_filter in [("tout", {}), ("emploi", {"pole": ["job_search"]}),
                                  ("livres-recents", recent_books),
                                  ("anglais", {"language": ["eng"]}), ("scolaires", {"audience": ["pupil"]}),
                                  ("bibliotheque", {"library": ["main"]}),
                                  ("disponibles", {"availability": ["available"]})]:
            session.add(Portal(slug=slug, title_fr=f"Portail {slug}", title_en=f"Portal {slug}",
                               base_filter=base_filter, boost={}))
        scans = [("book", at(2024, 1, 3)), ("book", at(2024, 1, 20)), ("book", at(2024, 1, 31, 23)),
                 ("book", at(2024, 2, 2)), ("periodical", at(2024, 2, 5)), ("periodical", at(2024, 2, 6)),
                 ("periodical", at(2024, 2, 7)), ("sheet", at(2024, 3, 1, 0))]
        session.add_all(ItemUse(item_id=items[name], used_at=when) for name, when in scans)
    return items


def tallies(db) -> dict:
    with db.transaction() as session:
        return {(m, d, v): n for m, d, v, n in session.execute(
            select(UseTally.month, UseTally.dimension, UseTally.value, UseTally.uses))}


def test_a_fold_counts_each_scan_once_per_dimension(db, collection):
    with db.transaction() as session:
        assert pending(session)
        assert fold_tallies(session) == 8
    assert tallies(db) == {
        (JAN, "total", ""): 3, (FEB, "total", ""): 4, (MAR, "total", ""): 1,
        # The two-pole book counts in both poles; the sheet of no pole under "".
        (JAN, "pole", "job_search"): 3, (JAN, "pole", "career_change"): 3,
        (FEB, "pole", "job_search"): 1, (FEB, "pole", "career_change"): 1, (FEB, "pole", "orientation"): 3,
        (MAR, "pole", ""): 1,
        (JAN, "document_type", "book"): 3, (FEB, "document_type", "book"): 1,
        (FEB, "document_type", "periodical"): 3, (MAR, "document_type", "job_sheet"): 1,
        # An empty filter, or one on availability alone, admits every work.
        (JAN, "portal", "tout"): 3, (FEB, "portal", "tout"): 4, (MAR, "portal", "tout"): 1,
        (JAN, "portal", "disponibles"): 3, (FEB, "portal", "disponibles"): 4,
        (MAR, "portal", "disponibles"): 1,
        (JAN, "portal", "emploi"): 3, (FEB, "portal", "emploi"): 1,
        (JAN, "portal", "livres-recents"): 3, (FEB, "portal", "livres-recents"): 1,
        (FEB, "portal", "scolaires"): 3,
        (MAR, "portal", "bibliotheque"): 1,
    }
    with db.transaction() as session:
        assert not pending(session)
        assert fold_tallies(session) == 0  # folding again counts nothing twice
    assert sum(n for (_, d, _), n in tallies(db).items() if d == "total") == 8


def test_reading_gives_months_and_values_over_the_period(db, collection):
    with db.transaction() as session:
        by_month = consultations(session, by="month", start=dt.date(2023, 12, 15), end=dt.date(2024, 4, 2))
        by_pole = consultations(session, by="pole", start=JAN, end=FEB)
        by_type = consultations(session, by="document_type", start=FEB, end=MAR)
        by_portal = consultations(session, by="portal", start=JAN, end=MAR)
    assert by_month.rows == [(dt.date(2023, 12, 1), 0), (JAN, 3), (FEB, 4), (MAR, 1),
                             (dt.date(2024, 4, 1), 0)]
    assert (by_month.start, by_month.end, by_month.total) == (dt.date(2023, 12, 1), dt.date(2024, 4, 1), 8)
    assert by_pole.total == 7
    assert by_pole.rows == [("career_change", 4), ("job_search", 4), ("orientation", 3),
                            ("business_creation", 0), ("pathway", 0)]
    assert by_type.rows[:3] == [("periodical", 3), ("book", 1), ("job_sheet", 1)]
    assert {value for value, uses in by_type.rows[3:]} == set(DocumentType.values()) - {
        "periodical", "book", "job_sheet"}  # every type, used or not
    assert dict(by_portal.rows) == {"tout": 8, "disponibles": 8, "emploi": 4, "livres-recents": 4,
                                    "scolaires": 3, "bibliotheque": 1, "anglais": 0}


def test_scans_after_a_fold_count_at_the_next_read(db, client, collection):
    headers = bearer(db, "doc", "documentalist")
    first = client.get("/api/v1/statistics/consultations?by=pole&from=2024-01&to=2030-12", headers=headers)
    assert first.status_code == 200, first.get_data(as_text=True)
    assert dict((r["value"], r["uses"]) for r in first.get_json()["rows"])["job_search"] == 4
    # Scanned now, through the real path; the next read folds them in.
    scanned = client.post("/api/v1/uses", json={"barcodes": ["CM1", "CM1", "CM2"]}, headers=headers)
    assert scanned.get_json()["recorded"] == 3
    answer = client.get("/api/v1/statistics/consultations?by=pole&from=2024-01&to=2030-12", headers=headers)
    rows = dict((r["value"], r["uses"]) for r in answer.get_json()["rows"])
    assert (rows["job_search"], rows["career_change"], rows["orientation"]) == (6, 6, 4)
    assert answer.get_json()["total"] == 11
    with db.transaction() as session:
        assert not pending(session)
        assert session.scalar(select(func.sum(UseTally.uses)).where(UseTally.dimension == "total")) == 11


def test_two_folds_at_once_count_every_scan_once(db, collection):
    with db.transaction() as session:
        session.add_all(ItemUse(item_id=collection["book"], used_at=at(2023, 1 + n % 12, 1 + n % 28))
                        for n in range(3000))
    folded, errors = [], []

    def fold():
        try:
            with db.transaction() as session:
                folded.append(fold_tallies(session, batch=200))
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=fold) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors and sum(folded) == 3008
    with db.transaction() as session:
        assert session.scalar(select(func.sum(UseTally.uses)).where(UseTally.dimension == "total")) == 3008
        assert not pending(session)


def test_the_age_profile_counts_the_copies_the_centre_holds(db):
    old = make_record(db, title="Guide ancien", isbn=None, year=1998)
    new = make_record(db, title="Guide récent", isbn=None, year=2023)
    undated = make_record(db, title="Sans date", isbn=None, year=None)
    held = [make_item(db, old.id, "A1", acquired_on="2001-05-02").id, make_item(db, new.id, "A2").id,
            make_item(db, new.id, "A3", acquired_on="2024-01-15").id, make_item(db, undated.id, "A4").id]
    withdrawn = make_item(db, old.id, "A5", acquired_on="2001-05-02").id
    make_item(db, new.id, "B1", library="main", acquired_on="2024-01-15")
    with db.transaction() as session:
        session.execute(update(Item).where(Item.id == withdrawn).values(status=ItemStatus.WITHDRAWN)
                        .execution_options(synchronize_session=False))
        session.execute(update(Item).where(Item.id == held[1]).values(status=ItemStatus.PROCESSING)
                        .execution_options(synchronize_session=False))
        assert age_profile(session, by="publication") == [(1998, 1), (2023, 2), (None, 1)]
        assert age_profile(session, by="acquisition") == [(2001, 1), (2024, 1), (None, 2)]
        scope = select(Item.id).where(Item.record_id == new.id)
        assert age_profile(session, by="publication", items=scope) == [(2023, 2)]
        assert age_profile(session, by="acquisition", items=scope) == [(2024, 1), (None, 1)]


def test_the_page_shows_each_chart_with_its_table_and_csv(db, client, collection):
    anonymous = client.get("/staff/statistics")
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    make_user(db, "lise", "librarian")
    login(client, "lise")
    page = client.get("/staff/statistics?from=2024-01&to=2024-03")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for key in ("month", "pole", "document_type", "portal", "publication", "acquisition"):
        section = html[html.index(f'<section class="statistics" id="{key}"'):]
        section = section[:section.index("</section>")]
        assert f'<svg role="img" aria-labelledby="{key}-title {key}-desc"' in section
        assert "<caption>" in section and '<th scope="col">' in section and '<th scope="row">' in section
        assert f"/staff/statistics/{key}.csv" in section
    assert "Portail emploi" in html and "8 consultations" in html
    csv = client.get("/staff/statistics/pole.csv?from=2024-01&to=2024-03")
    assert csv.status_code == 200 and csv.mimetype == "text/csv"
    lines = csv.get_data(as_text=True).splitlines()
    assert lines == ["pole,label,uses", "career_change,Changer sa vie professionnelle,4",
                     "job_search,Trouver un emploi,4", "orientation,Choisir son orientation,3",
                     ",Sans pôle,1",
                     "business_creation,Créer son activité,0",
                     "pathway,Organiser son parcours professionnel et de formation,0"]
    months = client.get("/staff/statistics/month.csv?from=2024-01&to=2024-03").get_data(as_text=True)
    assert months.splitlines() == ["month,uses", "2024-01,3", "2024-02,4", "2024-03,1"]
    profile = client.get("/staff/statistics/publication.csv").get_data(as_text=True).splitlines()
    assert profile == ["year,copies", "1985,1", "2021,1", ",1"]  # the main library's copy left out


@pytest.mark.parametrize("query", ["from=banana", "from=9999999999999-01", "to=2024-13",
                                   "from=2024-05&to=2024-01", "from=1900-01&to=2024-01"])
def test_a_period_that_is_not_one_is_refused_and_the_page_falls_back(db, client, query):
    make_user(db, "lise", "librarian")
    login(client, "lise")
    page = client.get(f"/staff/statistics?{query}")
    assert page.status_code == 422
    html = page.get_data(as_text=True)
    assert 'role="alert"' in html and '<svg role="img"' in html
    assert client.get(f"/staff/statistics/month.csv?{query}").status_code == 422
    headers = bearer(db, "doc", "documentalist")
    answer = client.get(f"/api/v1/statistics/consultations?{query}", headers=headers)
    assert_error(answer, 422, "validation_failed")


def test_the_api_answers_consultations_and_age_profiles(db, client, collection):
    assert client.get("/api/v1/statistics/consultations").status_code == 401
    headers = bearer(db, "claire", "counsellor", pole="job_search")
    months = client.get("/api/v1/statistics/consultations?from=2024-01&to=2024-03", headers=headers)
    assert months.status_code == 200
    assert months.get_json() == {"by": "month", "from": "2024-01", "to": "2024-03", "total": 8, "rows": [
        {"value": "2024-01", "label": "janv. 2024", "uses": 3},
        {"value": "2024-02", "label": "févr. 2024", "uses": 4},
        {"value": "2024-03", "label": "mars 2024", "uses": 1}]}
    portals = client.get("/api/v1/statistics/consultations?by=portal&from=2024-01&to=2024-03&lang=en",
                         headers=headers).get_json()
    assert portals["rows"][0]["uses"] == 8
    assert {"value": "emploi", "label": "Portal emploi", "uses": 4} in portals["rows"]
    default = client.get("/api/v1/statistics/consultations?by=document_type", headers=headers).get_json()
    today = dt.datetime.now(UTC).date()
    assert (default["from"], default["to"]) == (f"{today.year - 3}-{today.month + 1:02d}" if today.month < 12
                                                else f"{today.year - 2}-01", f"{today:%Y-%m}")
    assert len(default["rows"]) == len(DocumentType)
    profile = client.get("/api/v1/statistics/age-profile?by=publication", headers=headers).get_json()
    assert profile == {"by": "publication", "total": 3, "rows": [
        {"year": 1985, "copies": 1}, {"year": 2021, "copies": 1}, {"year": None, "copies": 1}]}
    acquired = client.get("/api/v1/statistics/age-profile?by=acquisition", headers=headers).get_json()
    assert acquired["rows"] == [{"year": None, "copies": 3}]
    for bad in ("consultations?by=colour", "age-profile?by=colour", "consultations?from=2024-1"):
        assert_error(client.get(f"/api/v1/statistics/{bad}", headers=headers), 422, "validation_failed")
    spec = client.get("/api/openapi.json").get_json()
    assert {"/api/v1/statistics/consultations", "/api/v1/statistics/age-profile"} <= set(spec["paths"])


def test_the_scheduled_job_folds_what_is_pending(app, db, collection):
    jobs.bind(app)
    try:
        scheduled_tally()
    finally:
        jobs.bind(None)
    with db.transaction() as session:
        assert not pending(session)
    assert tallies(db)[(FEB, "total", "")] == 4
