"""The demand observatory: counts only, nothing about visitors, and a staff
page with a chart and its table."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from search.indexer import drain
from search.models import QueryCount, SearchDay
from search.stats import SearchEvent, normalise, observatory, record_search
from tests.support.factories import login, make_record, make_user


def test_what_is_kept_cannot_tell_one_visitor_from_another(app, client):
    # The tables hold a day, an entry point, a pole, a normalised query and counts: no more.
    assert {c.name for c in SearchDay.__table__.columns} == {"day", "portal", "searches", "zero_results"}
    assert {c.name for c in QueryCount.__table__.columns} == {"day", "portal", "pole", "query", "searches",
                                                              "zero_results", "reports"}
    database = app.extensions["catalogue.db"]
    make_record(database, title="Guide des formations", isbn=None)
    drain(database, app.extensions["catalogue.search"])
    headers = {"User-Agent": "Secret browser 1.0", "X-Forwarded-For": "203.0.113.7"}
    client.get("/api/v1/search?q=Formations%20%20", headers=headers)
    client.get("/api/v1/search?q=formations", headers=headers)
    client.get("/api/v1/search?q=Plombier", headers=headers)
    app.extensions["catalogue.search.recorder"].flush()  # counts are written summed, every few seconds
    with database.session() as session:
        rows = [(q.day, q.portal, q.pole, q.query, q.searches, q.zero_results)
                for q in session.scalars(select(QueryCount).order_by(QueryCount.query))]
        stored = repr([tuple(row) for row in session.execute(select(QueryCount.__table__))]) + repr(
            [tuple(row) for row in session.execute(select(SearchDay.__table__))])
    today = dt.datetime.now(dt.timezone.utc).date()
    assert rows == [(today, "", "", "formations", 2, 0), (today, "", "", "plombier", 1, 1)]
    assert "203.0.113" not in stored and "Secret" not in stored


def test_queries_are_folded_and_cut():
    assert normalise("  Création   d’Entreprise ") == "creation d'entreprise"
    assert len(normalise("x" * 500)) == 100
    assert normalise(None) == ""


def test_the_figures_of_a_period(app):
    database = app.extensions["catalogue.db"]
    day = dt.date(2026, 3, 2)
    with database.transaction() as session:
        for query, pole, found in (("cv", "job_search", True), ("cv", "job_search", True),
                                   ("micro entreprise", "business_creation", False), ("vae", "", True)):
            record_search(session, SearchEvent(day, "", pole, query, found))
        record_search(session, SearchEvent(day - dt.timedelta(days=1), "kiosque", "job_search", "cv", False))
        record_search(session, SearchEvent(day - dt.timedelta(days=10), "", "", "old", True))
    with database.session() as session:
        figures = observatory(session, day - dt.timedelta(days=6), day)
    assert [(d.day.day, d.searches, d.zero_results) for d in figures.days][-2:] == [(1, 1, 1), (2, 4, 1)]
    assert len(figures.days) == 7 and figures.searches == 5 and figures.zero_results == 2
    assert [(q.query, q.searches, q.zero_results) for q in figures.top["job_search"]] == [("cv", 3, 1)]
    assert [q.query for q in figures.top_zero["business_creation"]] == ["micro entreprise"]
    assert "" not in figures.top_zero  # "vae" always found something


def test_the_staff_page_shows_a_chart_and_its_table(app, client):
    database = app.extensions["catalogue.db"]
    with database.transaction() as session:
        record_search(session, SearchEvent(dt.datetime.now(dt.timezone.utc).date(), "", "job_search",
                                           "lettre de motivation", False))
    assert client.get("/staff/observatory").status_code == 302  # staff only
    make_user(database, "conseil", "counsellor", pole="job_search")
    login(client, "conseil")
    page = client.get("/staff/observatory?days=7")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<svg" in html and 'role="img"' in html and "<table" in html
    assert html.count("<rect") == 7 * 2  # one bar and its zero-result part per day
    assert "lettre de motivation" in html
    assert client.get("/staff/observatory?days=oops").status_code == 200


def test_counts_are_summed_in_memory_and_written_together(app):
    from search.stats import BufferedRecorder

    database = app.extensions["catalogue.db"]
    now = [0.0]
    recorder = BufferedRecorder(database, interval=10, clock=lambda: now[0])
    day = dt.date(2026, 3, 2)
    for found in (True, True, False):
        recorder(SearchEvent(day, "", "job_search", "cv", found))
    with database.session() as session:
        assert session.scalars(select(QueryCount)).all() == []  # not yet: less than 10 s
    now[0] = 11.0
    recorder(SearchEvent(day, "", "job_search", "cv", True))  # due: everything is written
    with database.session() as session:
        row = session.scalars(select(QueryCount)).one()
        assert (row.searches, row.zero_results) == (4, 1)
        assert session.get(SearchDay, (day, "")).searches == 4
    recorder.close()


def test_an_idle_process_writes_its_counts_without_waiting_for_a_search(app):
    """With several server processes, the one that served the last searches
    may get no other: its timer writes them."""
    import time

    from search.stats import BufferedRecorder

    database = app.extensions["catalogue.db"]
    recorder = BufferedRecorder(database, interval=0.2)
    day = dt.date(2026, 3, 3)
    recorder(SearchEvent(day, "", "", "vae", True))
    deadline = time.monotonic() + 30
    written = None
    while written is None and time.monotonic() < deadline:
        time.sleep(0.1)
        with database.session() as session:
            written = session.get(SearchDay, (day, ""))
            searches = written.searches if written is not None else None
    assert searches == 1
    recorder.close()
    recorder(SearchEvent(day, "", "", "vae", True))  # after close: still counted, written at the next flush
    recorder.flush()
    with database.session() as session:
        assert session.get(SearchDay, (day, "")).searches == 2
