"""The goals' pages on both databases with the embedded engine: "Je suis…"
→ "je veux…" → the goal's results on the web and on a kiosk (no cookie,
the entry counted and nothing else), and the staff pages (count of works,
CSRF, field-by-field errors, 409 on a stale version, the role check)."""
from __future__ import annotations

import html as htmllib
import re

from sqlalchemy import select

from search.models import Goal, GoalEntryDay
from search.portals import PortalService
from tests.search.goals_support import catalogue, make_goal
from tests.search.test_views import text_of
from tests.support.factories import csrf_token, login, make_user


def goals(app, db) -> dict:
    found = catalogue(app, db)
    make_goal(db, concept_ids=[found["studies"], found["diplomas"], found["jobs"]])
    make_goal(db, slug="concours", label_fr="s'informer sur les concours administratifs",
              label_en="find out about civil-service exams", publics=["job_seeker", "employee"],
              concept_ids=[found["exams"]], document_types=["exam_guide"])
    make_goal(db, slug="cache", label_fr="un but caché", publics=["parent"], text="cv", published=False)
    return found


def test_a_parent_goes_from_i_am_to_the_works_of_a_goal(app, client, db):
    found = goals(app, db)
    home = client.get("/")
    assert 'href="/je-suis/parent"' in home.get_data(as_text=True)
    offered = client.get("/je-suis/parent")
    page = offered.get_data(as_text=True)
    assert 'href="/buts/etudes-diplomes-metiers"' in page
    assert "cache" not in page and "concours" not in page  # hidden, and offered to others
    entry = client.get("/buts/etudes-diplomes-metiers")
    assert entry.status_code == 303 and entry.headers["Location"].endswith("/recherche?but=etudes-diplomes-metiers")
    results = client.get(entry.headers["Location"])
    text = text_of(results)
    assert "s'informer sur les études, les diplômes et les métiers" in text, text
    for title in ("Après le bac : les BTS", "Réussir sa licence", "Répertoire des certifications",
                  "Fiche métier : boulanger"):
        assert title in text, title
    assert "Annales du concours" not in text and "Le CV" not in text
    # Facets work within the goal: a type narrows it, and the link keeps the goal.
    html = results.get_data(as_text=True)
    sheet = re.search(r'href="([^"]*document_type=job_sheet[^"]*)"', html).group(1).replace("&amp;", "&")
    assert "but=etudes-diplomes-metiers" in sheet
    assert '<input type="hidden" name="but" value="etudes-diplomes-metiers">' in html  # sorting keeps the goal
    assert '<option value="date" selected>' in html  # no words: the newest first
    narrowed = text_of(client.get(sheet))
    assert "Fiche métier : boulanger" in narrowed and "Réussir sa licence" not in narrowed
    for response in (home, offered, entry, results):
        assert "Set-Cookie" not in response.headers
    with db.transaction() as session:
        counted = [(row.portal, row.entries) for row in session.scalars(select(GoalEntryDay))]
    assert counted == [("", 1)], "the entry only; the results, pages and facets count nothing"
    assert found


def test_a_goals_types_hold_within_it(app, client, db):
    goals(app, db)
    text = text_of(client.get("/recherche?but=concours"))
    assert "Annales du concours de rédacteur" in text
    assert client.get("/recherche?but=cache").status_code == 404
    assert client.get("/recherche?but=nowhere").status_code == 404
    assert client.get("/buts/nowhere").status_code == 404
    assert client.get("/je-suis/pirate").status_code == 404


def test_a_kiosk_offers_i_am_and_keeps_its_state_to_the_results(app, client, db):
    goals(app, db)
    with db.transaction() as session:
        PortalService(session).create({"slug": "orientation", "title_fr": "S'orienter", "pole": "orientation",
                                       "base_filter": {"pole": ["orientation"]}})
    kiosk = client.get("/kiosque/orientation")
    html = kiosk.get_data(as_text=True)
    link = re.search(r'href="(/je-suis/parent\?[^"]+)"', html).group(1).replace("&amp;", "&")
    assert "kiosk=1" in link and "portail=orientation" in link
    offered = client.get(link).get_data(as_text=True)
    entry_link = re.search(r'href="(/buts/etudes-diplomes-metiers\?[^"]+)"', offered).group(1).replace("&amp;", "&")
    entry = client.get(entry_link)
    assert entry.status_code == 303 and "kiosk=1" in entry.headers["Location"]
    results = client.get(entry.headers["Location"])
    assert 'class="kiosk"' in results.get_data(as_text=True)
    assert "Réussir sa licence" in text_of(results)
    for response in (kiosk, entry, results):
        assert "Set-Cookie" not in response.headers
    with db.transaction() as session:
        assert [(r.portal, r.entries) for r in session.scalars(select(GoalEntryDay))] == [("orientation", 1)]
    # The kiosk's own search page offers "Je suis…" too.
    assert 'href="/je-suis/parent?kiosk=1"' in client.get("/recherche?kiosk=1").get_data(as_text=True)


def test_a_goals_page_follows_the_documentalists_edits_at_once(app, client, db):
    goals(app, db)
    assert "Réussir sa licence" in text_of(client.get("/recherche?but=etudes-diplomes-metiers"))
    with db.transaction() as session:
        goal = session.scalar(select(Goal).where(Goal.slug == "etudes-diplomes-metiers"))
        goal.document_types = ["job_sheet"]
    assert "Réussir sa licence" not in text_of(client.get("/recherche?but=etudes-diplomes-metiers"))


# Staff ---------------------------------------------------------------------
def form_data(client, url, **overrides) -> dict:
    data = {"csrf_token": csrf_token(client, url), "label_fr": "consulter des offres d'emploi",
            "label_en": "look at job offers", "slug": "offres-emploi", "publics": ["job_seeker"],
            "document_types": ["job_board"], "position": "3", "published": "y"}
    data.update(overrides)
    return data


def test_staff_list_goals_with_their_count_of_works_and_create_one(app, client, db):
    found = goals(app, db)
    make_user(db)
    login(client)
    listing = text_of(client.get("/staff/goals"))
    assert "s'informer sur les études, les diplômes et les métiers" in listing and "4 documents" in listing
    data = form_data(client, "/staff/goals/new", concept_ids=[str(found["exams"])], document_types=[])
    created = client.post("/staff/goals/new", data=data)
    assert created.status_code == 302, created.get_data(as_text=True)
    with db.transaction() as session:
        goal = session.scalar(select(Goal).where(Goal.slug == "offres-emploi"))
        assert [c.id for c in goal.concepts] == [found["exams"]] and goal.position == 3
    # A concept typed without the autocomplete (no JavaScript) is found by its term.
    edit_url = f"/staff/goals/{goal.id}"
    typed = client.post(edit_url, data=form_data(client, edit_url, version=str(goal.version),
                                                  concept_ids=[str(found["exams"])], concepts_query="métiers"))
    assert typed.status_code == 302
    with db.transaction() as session:
        assert sorted(c.id for c in session.get(Goal, goal.id).concepts) == sorted([found["exams"], found["jobs"]])
    # The audit trail names the fields and gives labels, not codes or ids.
    audit = text_of(client.get("/staff/audit"))
    assert "Concours administratifs" in audit and "Métiers" in audit and "job_seeker" not in audit


def test_staff_form_errors_are_field_by_field_and_csrf_is_checked(client, db):
    make_user(db)
    login(client)
    bad = client.post("/staff/goals/new", data=form_data(client, "/staff/goals/new", slug="Offres d'emploi",
                                                          publics=[], label_fr=""))
    assert bad.status_code == 422
    html = bad.get_data(as_text=True)
    assert html.count('class="errors"') >= 3 and 'id="error-summary"' in html
    unknown = client.post("/staff/goals/new", data=form_data(client, "/staff/goals/new", concepts_query="zzzz"))
    assert unknown.status_code == 422
    no_token = form_data(client, "/staff/goals/new")
    del no_token["csrf_token"]
    assert client.post("/staff/goals/new", data=no_token).status_code == 400
    with db.transaction() as session:
        assert session.scalar(select(Goal.id)) is None


def test_a_stale_edit_is_a_409_and_a_stale_delete_deletes_nothing(client, db):
    make_user(db)
    login(client)
    client.post("/staff/goals/new", data=form_data(client, "/staff/goals/new"))
    with db.transaction() as session:
        goal = session.scalar(select(Goal))
        goal_id, version = goal.id, goal.version
    url = f"/staff/goals/{goal_id}"
    assert client.post(url, data=form_data(client, url, version=str(version), text="offres")).status_code == 302
    stale = client.post(url, data=form_data(client, url, version=str(version), text="emplois"))
    assert stale.status_code == 409 and 'id="conflict"' in stale.get_data(as_text=True)
    token = csrf_token(client, url)
    assert client.post(f"{url}/delete", data={"csrf_token": token, "version": str(version)}).status_code == 409
    assert client.post(f"{url}/delete", data={"csrf_token": token, "version": str(version + 1)}).status_code == 302
    with db.transaction() as session:
        assert session.get(Goal, goal_id) is None


def test_counsellors_see_goals_but_cannot_change_them(client, db):
    make_user(db, "conseil", role="counsellor", pole="job_search")
    login(client, "conseil")
    assert client.get("/staff/goals").status_code == 200
    assert client.get("/staff/goals/new").status_code == 403
    assert client.post("/staff/goals/new", data={}).status_code in (400, 403)


def test_the_observatory_counts_goal_entries_and_shows_goals_with_few_works(app, client, db):
    goals(app, db)
    for _ in range(3):
        client.get("/buts/etudes-diplomes-metiers")
    client.get("/buts/concours")
    make_user(db)
    login(client)
    html = client.get("/staff/observatory").get_data(as_text=True)
    section = htmllib.unescape(html.split('id="goals"')[1])
    entries, few = section.split("</table>")[:2]
    rows = re.findall(r"<tr><td>([^<]+)</td><td>(\d+)</td></tr>", entries)
    assert rows[:2] == [("s'informer sur les études, les diplômes et les métiers", "3"),
                        ("s'informer sur les concours administratifs", "1")]
    # The concours goal finds one work; the studies goal four: both fewer than five.
    assert "s'informer sur les concours administratifs" in few and "un but caché" not in few
