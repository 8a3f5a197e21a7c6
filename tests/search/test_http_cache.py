"""Visitors' search answers kept as bytes (search.answers): the same bytes
as a computed answer, never stale after an edit, one per language, page
and filter, still counted by the observatory, no cookie, and no database
session or transaction for a kept answer."""
from __future__ import annotations

import contextlib

import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from catalogue.services import RecordService
from cite import create_app
from search.indexer import drain
from search.models import QueryCount
from search.web import flush_observatory
from tests.support.api import bearer
from tests.support.factories import login, make_item, make_record, make_user, record_data
from tests.thesaurus.support import make_concept
from thesaurus.models import ChangeToken
from thesaurus.services import changes

API = "/api/v1/search?q=metiers"
PAGE = "/recherche?q=metiers"


@pytest.fixture(autouse=True)
def names_token(db):
    """The concepts' names token, as `catalogue init` leaves it: the tests
    empty every PostgreSQL table between tests, this one's row too, and
    without it no answer may be kept."""
    with db.transaction() as session:
        if changes.names_token(session) is None:
            session.add(ChangeToken(name=changes.NAMES, token="tests"))


def index(app):
    drain(app.extensions["catalogue.db"], app.extensions["catalogue.search"])


def works(app, count=3):
    database = app.extensions["catalogue.db"]
    made = [make_record(database, title=f"Les métiers de la mer, tome {n}", isbn=None, year=1990 + n,
                        document_type="book" if n % 2 else "periodical") for n in range(1, count + 1)]
    make_item(database, made[0].id, "CM1", call_number="MER 1")
    index(app)
    return made


@contextlib.contextmanager
def database_work(app):
    """Counts, on the app's real engine, the transactions begun (engine and
    ORM sessions) and the pooled connections taken."""
    engine = app.extensions["catalogue.db"].engine
    counts = {"begin": 0, "session": 0, "checkout": 0}

    def begun(*_):
        counts["begin"] += 1

    def session_begun(*_):
        counts["session"] += 1

    def checked_out(*_):
        counts["checkout"] += 1

    listeners = [(engine, "begin", begun), (Session, "after_begin", session_begun),
                 (engine.pool, "checkout", checked_out)]
    for target, name, listener in listeners:
        event.listen(target, name, listener)
    try:
        yield counts
    finally:
        for target, name, listener in listeners:
            event.remove(target, name, listener)


@contextlib.contextmanager
def computing_app(app):
    """A second app on the same database and index that keeps no answer."""
    other = create_app({**{k: app.config[k] for k in ("TESTING", "DATABASE_URL", "SECRET_KEY", "INSTANCE_DIR",
                                                      "SEARCH_PATH", "SESSION_COOKIE_SECURE")},
                        "SEARCH_CACHE_SIZE": 0})
    try:
        yield other.test_client()
    finally:
        flush_observatory(other)
        other.extensions["catalogue.search"].close()
        other.extensions["catalogue.db"].dispose()


def test_a_kept_answer_is_the_computed_answer_byte_for_byte(app, client):
    works(app)
    with computing_app(app) as computing:
        for address in (API, PAGE, PAGE + "&page=2", "/api/v1/search?q=zzzz", "/recherche?q=&document_type=book"):
            first = client.get(address)
            with database_work(app) as work:
                again = client.get(address)
            assert first.status_code == again.status_code == 200
            assert work["begin"] == work["session"] == 0, (address, work)  # kept: nothing was computed
            assert again.get_data() == first.get_data() == computing.get(address).get_data(), address
            assert again.content_type == first.content_type


def test_an_edit_is_seen_at_once(app, client, db):
    record, *_ = works(app)
    assert "tome 1" in client.get(PAGE).get_data(as_text=True)
    assert "tome 1" in client.get(API).get_data(as_text=True)
    # The work retitled as a request does it: the service, then the drain.
    with db.transaction() as session:
        service = RecordService(session, None)
        service.update(record.id, record_data(title="Les métiers du large", isbn=None, year=1991),
                       expected_version=service.get(record.id).version)
    index(app)
    assert "<mark>métiers</mark> du large" in client.get(PAGE).get_data(as_text=True)
    assert "Les métiers du large" in {hit["title"] for hit in client.get(API).get_json()["hits"]}
    # A thesaurus concept named by the query: its works are included, and the answer says so.
    assert client.get(API).get_json()["concepts"] == []
    concept_id = make_concept(db, "Métiers")
    assert client.get(API).get_json()["concepts"] == [{"id": concept_id, "label": "Métiers"}]
    # Its copy reported missing through the staff API: the holdings the page shows follow at once.
    headers = bearer(db, "staff")
    assert client.get(PAGE).get_data(as_text=True).count('class="availability available"') == 1
    item = client.get(f"/api/v1/records/{record.id}/items", headers=headers).get_json()["items"][0]
    sent = {key: item[key] for key in ("barcode", "library", "location", "call_number", "acquired_on", "price",
                                       "condition", "public_note", "version")}
    response = client.put(f"/api/v1/items/{item['id']}", json={**sent, "status": "missing"}, headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    page = client.get(PAGE).get_data(as_text=True)
    assert 'class="availability available"' not in page and 'class="availability unavailable"' in page
    assert client.get(f"{API}&availability=available").get_json()["total"] == 0


def test_another_language_page_or_filter_is_another_answer(app, client):
    works(app, count=25)
    french = client.get(PAGE, headers={"Accept-Language": "fr"}).get_data(as_text=True)
    english = client.get(PAGE, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert 'lang="fr"' in french and 'lang="en"' in english
    assert client.get(PAGE, headers={"Accept-Language": "fr"}).get_data(as_text=True) == french
    assert client.get(PAGE + "&lang=en").get_data(as_text=True).count('lang="en"') >= 1
    first, second = (client.get(f"{API}&page={n}").get_json() for n in (1, 2))
    assert {h["id"] for h in first["hits"]}.isdisjoint(h["id"] for h in second["hits"])
    books = client.get(f"{API}&document_type=book").get_json()
    assert books["total"] == 13 and first["total"] == 25


def test_kept_answers_still_count_in_the_observatory(app, client):
    works(app)
    for _ in range(3):
        client.get(API)
    for _ in range(2):
        client.get(PAGE)
    client.get("/api/v1/search?q=zzzz")
    client.get("/api/v1/search?q=zzzz")
    app.extensions["catalogue.search.recorder"].flush()
    with app.extensions["catalogue.db"].transaction() as session:
        counts = {row.query: (row.searches, row.zero_results) for row in session.scalars(select(QueryCount))}
    assert counts == {"metiers": (5, 0), "zzzz": (2, 2)}


def test_visitors_get_no_cookie_and_staff_never_get_a_visitors_page(app, client, db):
    works(app)
    for address in (API, PAGE, API, PAGE):
        assert "Set-Cookie" not in client.get(address).headers
    make_user(db, "doc")
    staff = app.test_client()
    login(staff)
    page = staff.get(PAGE).get_data(as_text=True)
    assert 'action="/logout"' in page and 'action="/logout"' not in client.get(PAGE).get_data(as_text=True)


def test_a_kept_answer_opens_no_session_and_no_transaction(app, client):
    works(app)
    for address in (API, PAGE):
        client.get(address)
        with database_work(app) as work:
            assert client.get(address).status_code == 200
        # One pooled connection, for the concepts' names token; no transaction on it.
        assert work == {"begin": 0, "session": 0, "checkout": 1}, (address, work)
