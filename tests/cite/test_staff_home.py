"""The staff home (/staff/): what waits for each staff member, by role and
pole, counted from real proposals, campaigns, votes, report runs and imports;
the empty state; login lands on it; visitors are sent to log in."""
from __future__ import annotations

import re

import pytest

from core import reporting
from tests.acquisitions.support import move, propose
from tests.importers.test_held import ISBN, run
from tests.importers.test_import_service import book
from tests.support.factories import PASSWORD, csrf_token, login
from tests.weeding.support import Shelf, rule
from tests.weeding.support import staff as make_staff
from tests.weeding.test_pages import opened, vote

HOME = "/staff/?lang=en"


@pytest.fixture
def staff(db):
    return make_staff(db)


@pytest.fixture
def shelf(db):
    return Shelf(db)


def count(page: str, block: str) -> int | None:
    """The count a block shows, or None when the block is not shown."""
    found = re.search(rf'id="home-{block}".*?<span class="count">(\d+)</span>', page, re.S)
    return int(found.group(1)) if found else None


def home_of(client, staff, username: str) -> str:
    staff.create(username)
    login(client, username, PASSWORD)
    response = client.get(HOME)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_each_role_sees_what_waits_for_it(client, db, staff, shelf):
    rule(db, max_age_years=5)
    first = shelf.copy(title="Guide des formations 2012", year=2012)
    shelf.copy(title="Annuaire des CFA", year=2010)
    shelf.copy(year=2000, poles=["job_search"])
    pathway = opened(client, staff)
    job_search = opened(client, staff, scope={"pole": "job_search"})
    vote(client, staff, pathway, first.id, "keep", who="marc")
    claire = staff.headers("claire")
    taken = propose(client, claire, title="Réussir son entretien d'embauche")["id"]
    propose(client, claire, title="Le guide du bilan de compétences", isbn=ISBN)
    move(db, staff, "lise", taken, "under_review")
    with db.transaction() as session:
        done = reporting.run(session, "stale-items")
    run(db, book("A1", "Créer son entreprise", isbn="9782350300016"), source="library-a")
    _, held = run(db, book("B7", "Manuel de chimie organique", isbn="9782350300016"), source="library-b")

    librarian = home_of(client, staff, "lise")
    assert (count(librarian, "proposals"), count(librarian, "votes")) == (2, None)
    assert (count(librarian, "imports"), count(librarian, "reports")) == (1, 1)
    assert 'href="/staff/acquisitions/review"' in librarian
    assert f'href="/staff/imports/{held.id}#held"' in librarian and "library-b" in librarian
    assert f'href="/staff/reports/runs/{done.id}"' in librarian and "Stale items" in librarian
    assert "Nothing waits for you." not in librarian

    documentalist = home_of(client, staff, "doc")  # takes proposals into review, decides none
    assert (count(documentalist, "proposals"), count(documentalist, "votes")) == (1, None)
    assert count(documentalist, "imports") == 1

    sophie = home_of(client, staff, "sophie")  # pathway: two candidates, none voted yet
    assert (count(sophie, "votes"), count(sophie, "proposals"), count(sophie, "imports")) == (2, None, None)
    assert f'href="/staff/weeding/campaigns/{pathway}/review"' in sophie
    assert f"/staff/weeding/campaigns/{job_search}/review" not in sophie
    assert count(sophie, "reports") == 1  # every staff member reads the reports

    marc = home_of(client, staff, "marc")  # has voted on one of the two
    assert count(marc, "votes") == 1
    claire_home = home_of(client, staff, "claire")  # job_search: only her pole's campaign
    assert count(claire_home, "votes") == 1
    assert f"/staff/weeding/campaigns/{job_search}/review" in claire_home
    assert f"/staff/weeding/campaigns/{pathway}/review" not in claire_home


def test_nothing_waiting_is_said_in_words(client, db, staff):
    for username in ("doc", "sophie"):
        page = home_of(client, staff, username)
        assert "Nothing waits for you." in page and "No report has run yet." in page
    assert "No vote is due from you." in page and count(page, "votes") == 0
    librarian = home_of(client, staff, "lise")
    assert "No proposal waits for you." in librarian and "No import update is held for review." in librarian


def test_login_lands_on_the_home_and_next_still_leads_on(client, db, staff):
    staff.create("doc")
    assert login(client, "doc", PASSWORD).headers["Location"] == "/staff/"
    client.post("/logout", data={"csrf_token": csrf_token(client, HOME)})
    token = csrf_token(client, "/login")
    response = client.post("/login", data={"csrf_token": token, "username": "doc", "password": PASSWORD,
                                           "next": "/staff/records"})
    assert response.headers["Location"] == "/staff/records"


def test_visitors_are_sent_to_log_in(client, db):
    response = client.get("/staff/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
