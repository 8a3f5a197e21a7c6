"""A search that finds nothing, on both databases with the embedded engine:
the thesaurus's neighbouring concepts that have works, the matching goals,
and the anonymous "signaler ce manque" (no cookie, a signed token instead
of a session's, hostile input refused with a 4xx), which the observatory
shows and which reaches acquisitions' unmet demand, marked as reported."""
from __future__ import annotations

import html as htmllib
import re

from sqlalchemy import select

from search.gaps import read_report_token, report_token, words_of
from search.models import QueryCount
from tests.search.goals_support import catalogue, make_goal
from tests.search.test_views import text_of
from tests.support.factories import login, make_token, make_user
from tests.thesaurus.support import make_concept

NOTHING = "/recherche?q=diplomes+etrangers"


def report_form(html: str) -> tuple[str, str]:
    form = re.search(r'<form class="report-gap" method="post" action="([^"]+)">.*?name="token" value="([^"]+)"',
                     html, re.S)
    assert form, "no report form"
    return htmllib.unescape(form.group(1)), form.group(2)


def test_nothing_found_offers_neighbours_with_works_and_matching_goals(app, client, db):
    found = catalogue(app, db)
    make_concept(db, "Diplômes étrangers", broader=[found["diplomas"]])  # no work: not offered
    make_goal(db, concept_ids=[found["studies"], found["diplomas"]])
    make_goal(db, slug="concours", label_fr="s'informer sur les concours", publics=["job_seeker"],
              concept_ids=[found["exams"]])
    response = client.get(NOTHING)
    assert response.status_code == 200 and "Set-Cookie" not in response.headers
    html = response.get_data(as_text=True)
    assert 'name="csrf_token"' not in html
    neighbours = html.split('id="neighbours-title"')[1].split("</section>")[0]
    assert "Diplômes" in neighbours and "Métiers" in neighbours  # Métiers: related to Diplômes
    assert "Diplômes étrangers" not in neighbours
    assert 'href="/recherche?q=Dipl%C3%B4mes"' in neighbours
    goals = html.split('id="goals-title"')[1].split("</section>")[0]
    assert 'href="/buts/etudes-diplomes-metiers"' in goals and "concours" not in goals
    # A neighbour leads to works.
    assert "Répertoire des certifications" in text_of(client.get("/recherche?q=Dipl%C3%B4mes"))


def test_the_page_follows_goal_edits_at_once(app, client, db):
    catalogue(app, db)
    assert 'id="goals-title"' not in client.get(NOTHING).get_data(as_text=True)
    make_goal(db, text="diplômes étrangers", label_fr="faire reconnaître un diplôme étranger")
    assert 'href="/buts/etudes-diplomes-metiers"' in client.get(NOTHING).get_data(as_text=True)


def test_a_visitor_reports_the_gap_without_a_cookie(app, client, db):
    catalogue(app, db)
    action, token = report_form(client.get(NOTHING + "&kiosk=1").get_data(as_text=True))
    assert action == "/signaler-un-manque?kiosk=1"
    thanks = client.post(action, data={"token": token})
    assert thanks.status_code == 200 and "Set-Cookie" not in thanks.headers
    assert "diplomes etrangers" in text_of(thanks) and 'class="kiosk"' in thanks.get_data(as_text=True)
    client.post(action, data={"token": token})
    app.extensions["catalogue.search.recorder"].flush()
    with db.transaction() as session:
        rows = [(r.query, r.portal, r.pole, r.searches, r.zero_results, r.reports)
                for r in session.scalars(select(QueryCount).where(QueryCount.query == "diplomes etrangers"))]
    assert rows == [("diplomes etrangers", "", "", 1, 1, 2)]


def test_hostile_reports_are_refused_and_count_nothing(app, client, db):
    catalogue(app, db)
    _action, token = report_form(client.get(NOTHING).get_data(as_text=True))
    forged = report_token("another secret", "diplomes etrangers", "", "")
    for data in ({}, {"token": ""}, {"token": token[:-2] + "xx"}, {"token": forged}, {"token": "x" * 5000},
                 {"token": "<script>alert(1)</script>"}):
        response = client.post("/signaler-un-manque", data=data)
        assert response.status_code == 400, data
        assert "Set-Cookie" not in response.headers
    assert client.get("/signaler-un-manque").status_code == 405
    with db.transaction() as session:
        assert session.scalar(select(QueryCount.reports).where(QueryCount.reports > 0)) is None


def test_tokens_name_only_the_query_and_expire():
    token = report_token("secret", "  Diplômes   ÉTRANGERS ", "kiosque", "orientation")
    assert read_report_token("secret", token) == ("diplomes etrangers", "kiosque", "orientation")
    assert read_report_token("secret", token, max_age=-1) is None
    assert read_report_token("secret", report_token("secret", "", "", "")) is None
    assert words_of("Les diplômes d'État à l'étranger") == ["diplome", "etat", "etranger"]


def test_reports_show_in_the_observatory_and_reach_acquisitions(app, client, db):
    catalogue(app, db)
    _action, token = report_form(client.get(NOTHING).get_data(as_text=True))
    client.post("/signaler-un-manque", data={"token": token})
    app.extensions["catalogue.search.recorder"].flush()  # the search's count, written every few seconds
    make_user(db)
    headers = {"Authorization": f"Bearer {make_token(db, 'doc')}"}
    items = client.get("/api/v1/unmet-demand", headers=headers).get_json()["items"]
    assert [(i["query"], i["zero_results"], i["reports"]) for i in items] == [("diplomes etrangers", 1, 1)]
    login(client)
    observatory = client.get("/staff/observatory").get_data(as_text=True)
    reported = observatory.split('id="reported"')[1].split("</table>")[0]
    assert "diplomes etrangers" in reported
    unmet = client.get("/staff/acquisitions/unmet").get_data(as_text=True)
    assert re.search(r"diplomes etrangers\s*<span class=\"tag\">", unmet)


def test_a_concept_naming_more_of_the_words_comes_first(app, client, db):
    catalogue(app, db)
    html = client.get("/recherche?q=etudes+superieures+a+distance").get_data(as_text=True)
    neighbours = re.findall(r'<li><a href="[^"]+">([^<]+)</a> <span class="count">',
                            html.split('id="neighbours-title"')[1].split("</section>")[0])
    # "Études supérieures" holds two of the words (one work); "Études" one (two works, with its narrower).
    assert neighbours[:2] == ["Études supérieures", "Études"]
