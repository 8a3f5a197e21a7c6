"""The demo's goals (cite.demo.goals), tried as a new visitor would: a parent
picks "Je suis parent" → "s'informer sur les études, les diplômes et les
métiers" and lands on the right works; a job seeker finds the exam guides;
every goal of the centre's table finds works; a second load changes nothing."""
from __future__ import annotations

import datetime as dt
import html as htmllib
import re

import pytest

from cite.demo.goals import GOALS, load_goals
from search.goals import GoalService, count_works
from search.indexer import drain
from search.services import SearchService
from tests.search.test_views import text_of

TODAY = dt.date(2026, 12, 1)


def indexed(app, db):
    drain(db, app.extensions["catalogue.search"])


def follow(client, html: str, pattern: str):
    """Follow the first link whose address matches ``pattern``."""
    found = re.search(rf'href="({pattern}[^"]*)"', html)
    assert found, pattern
    return client.get(htmllib.unescape(found.group(1)))


def every_page(client, address: str) -> str:
    """The text of every page of results at ``address``."""
    first = text_of(client.get(address))
    total = int(re.search(r"(\d+) (?:documents? trouvés?|works? found)", first).group(1))
    return " ".join([first] + [text_of(client.get(f"{address}&page={n}")) for n in range(2, total // 20 + 2)])


@pytest.mark.demo(today=TODAY)  # a copy of the demo's database (tests/support/demo_copy.py)
def test_the_demo_goals_as_a_new_visitor_tries_them(app, client, db):
    """One copy of the demo for the three stories."""
    indexed(app, db)
    home = client.get("/").get_data(as_text=True)
    offered = follow(client, home, "/je-suis/parent")
    page = offered.get_data(as_text=True)
    assert "s'informer sur les études, les diplômes et les métiers" in htmllib.unescape(page)
    assert "concours" not in page  # the other group's goals
    entry = follow(client, page, "/buts/etudes-diplomes-metiers")
    assert entry.status_code == 303
    results = client.get(entry.headers["Location"])
    text = text_of(results)
    total = int(re.search(r"(\d+) (?:documents trouvés|works found)", text).group(1))
    assert total >= 30
    # Works on studies after the baccalauréat, on choosing an occupation, job sheets: and no exam annals.
    every = every_page(client, entry.headers["Location"])
    for title in ("Quelles études après le bac ?", "Réussir sa première année à l'université"):
        assert title in every, title
    assert "Annales des concours de catégorie C" not in every
    assert "Set-Cookie" not in results.headers

    # A job seeker finds the exam guides through "préparer les concours administratifs".
    page = client.get("/je-suis/job_seeker").get_data(as_text=True)
    entry = follow(client, page, "/buts/concours-preparer")
    text = every_page(client, entry.headers["Location"])
    assert "Annales des concours de catégorie C" in text and "Contrôleur des douanes" in text

    # Every goal of the centre's table finds works; a second load changes nothing.
    with db.transaction() as session:
        goals = GoalService(session).list()
        assert [g.slug for g in goals] == [slug for slug, *_rest in GOALS]
        counts = count_works(goals, SearchService(session, app.extensions["catalogue.search"]))
        assert all(counts.values()), {g.slug: counts[g.id] for g in goals}
        versions = {g.slug: g.version for g in goals}
    with db.transaction() as session:
        assert load_goals(session) == 0
        assert {g.slug: g.version for g in GoalService(session).list()} == versions
