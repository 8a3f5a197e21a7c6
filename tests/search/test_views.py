"""The visitors' search pages and the staff portal pages, on both databases
with the embedded engine: no cookie for visitors (kiosk: not even the
language), facets that combine, holdings, portals, and staff forms with
CSRF, field-by-field errors and 409 on a stale version."""
from __future__ import annotations

import html as htmllib
import re

import pytest
from sqlalchemy import select

from search.indexer import drain
from search.models import Portal
from search.portals import PortalService
from tests.support.factories import csrf_token, login, make_item, make_record, make_user
from tests.thesaurus.support import index_record, make_concept


def text_of(response) -> str:
    body = response.get_data(as_text=True)
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def index(app):
    drain(app.extensions["catalogue.db"], app.extensions["catalogue.search"])


@pytest.fixture
def works(app, db):
    """Five works across two poles, with items, descriptors and a portal."""
    creation = make_concept(db, "Création d'entreprise", en="Business creation")
    plan = make_record(db, title="Construire son business plan", isbn=None, poles=["business_creation"],
                       document_type="book", audiences=["business_creator"], year=2024)
    status = make_record(db, title="Choisir son statut d'entreprise", isbn=None, poles=["business_creation"],
                         document_type="book", year=2021)
    guide = make_record(db, title="Le guide de la création", isbn=None, poles=["business_creation"],
                        document_type="periodical", year=2019, summary="Chaque mois, la création d'entreprise.")
    cv = make_record(db, title="Le CV qui décroche l'entretien", isbn=None, poles=["job_search"], year=2023)
    site = make_record(db, title="Démarches en ligne", isbn=None, poles=["business_creation"],
                       document_type="website", url="https://example.org/demarches", year=2022)
    make_item(db, plan.id, "CM1", location="Espace création", call_number="CRE 2 CHA")
    make_item(db, plan.id, "CM2", location="Réserve", status="withdrawn")
    make_item(db, status.id, "CM3", library="main", location="Salle 2", call_number="658 STA", status="missing")
    for record in (plan, status, guide):
        index_record(db, record.id, creation)
    with db.transaction() as session:
        portal = PortalService(session).create({
            "slug": "creer-son-activite", "title_fr": "Créer son activité", "title_en": "Start your own business",
            "description_fr": "De l'idée au premier client.", "pole": "business_creation",
            "base_filter": {"pole": ["business_creation"]}, "kiosk_idle_seconds": 45})
        PortalService(session).add_selection(portal.id, {"work": str(plan.id), "note": "Pour commencer"},
                                             expected_version=portal.version)
        PortalService(session).add_selection(portal.id, {"url": "https://example.org/aides", "title": "Les aides"},
                                             expected_version=portal.version)
    with db.transaction() as session:  # index_record wrote no outbox row: mark them all
        from core.outbox import mark_record_ids
        mark_record_ids(session, [plan.id, status.id, guide.id, cv.id, site.id], "test")
    index(app)
    return {"concept": creation, "plan": plan.id, "status": status.id, "guide": guide.id, "cv": cv.id,
            "site": site.id, "portal": portal.id}


# Visitors ------------------------------------------------------------------
def test_visitor_pages_set_no_cookie_and_hold_no_form_token(client, works):
    urls = ["/", "/recherche", "/recherche?q=entreprise", "/recherche?q=entreprise&document_type=book",
            f"/notices/{works['plan']}", "/portails/", "/portails/creer-son-activite",
            "/portails/creer-son-activite/recherche?q=plan", "/kiosque/creer-son-activite",
            "/kiosque/creer-son-activite?lang=en", "/recherche?q=plan&kiosk=1&lang=en",
            f"/notices/{works['plan']}?kiosk=1&portail=creer-son-activite&lang=en"]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Set-Cookie" not in response.headers, url
        assert 'name="csrf_token"' not in response.get_data(as_text=True), url
    # Asking for English sets no cookie either: the links carry the language on.
    english = client.get("/recherche?q=plan&lang=en")
    assert "Set-Cookie" not in english.headers
    assert re.search(r'href="/notices/\d+\?[^"]*lang=en', english.get_data(as_text=True))


def test_a_visitors_language_travels_in_the_links_and_nothing_remembers_it(client, works):
    home = client.get("/?lang=en").get_data(as_text=True)
    assert '<html lang="en"' in home and 'href="/portails/creer-son-activite?lang=en"' in home
    assert '<html lang="en"' in client.get("/portails/creer-son-activite?lang=en").get_data(as_text=True)
    # Nothing was stored: the next page without it is in the browser's language, or French.
    assert '<html lang="fr"' in client.get("/portails/creer-son-activite").get_data(as_text=True)
    assert '<html lang="en"' in client.get("/portails/creer-son-activite",
                                           headers={"Accept-Language": "en-GB,en;q=0.8"}).get_data(as_text=True)
    assert '<html lang="fr"' in client.get("/kiosque/creer-son-activite").get_data(as_text=True)


def test_home_has_the_search_box_and_leads_each_pole_to_its_portal(client, works):
    html = client.get("/").get_data(as_text=True)
    assert 'action="/recherche"' in html and 'role="search"' in html
    assert 'href="/portails/creer-son-activite"' in html


def test_results_show_facets_with_counts_and_filters_combine(client, works):
    html = client.get("/recherche?q=entreprise").get_data(as_text=True)
    assert re.search(r'<section class="facet" aria-labelledby="facet-document_type">', html)
    facet = html.split('aria-labelledby="facet-document_type"')[1].split("</section>")[0]
    assert re.search(r"Livre</span>\s+<span class=\"count\">\(2", facet) and "Périodique" in facet
    # Choosing a value: the page says so (aria-current) and offers to remove it.
    chosen = client.get("/recherche?q=entreprise&document_type=book")
    text = text_of(chosen)
    assert "2 documents trouvés" in text or "2 works found" in text
    page = chosen.get_data(as_text=True)
    assert 'aria-current="true"' in page
    removal = re.search(r'<a href="([^"]+)" aria-current="true"', page).group(1)
    assert "document_type" not in htmllib.unescape(removal)
    # AND across facets, OR within one.
    both = text_of(client.get("/recherche?q=entreprise&document_type=book&document_type=periodical"))
    assert "Le guide de la création" in both and "Construire son business plan" in both
    none = text_of(client.get("/recherche?q=entreprise&document_type=periodical&year_range=2020-2029"))
    assert "Le guide de la création" not in none


def test_highlight_sort_and_pagination_links_keep_the_search(client, works):
    html = client.get("/recherche?q=business&sort=title").get_data(as_text=True)
    assert "<mark>" in html
    assert '<option value="title" selected>' in html
    assert 'name="q" value="business"' in html


def test_a_misspelt_word_gets_a_suggestion_link(client, works):
    html = client.get("/recherche?q=entreprize").get_data(as_text=True)
    link = re.search(r'<p class="suggestion">.*?<a href="([^"]+)">([^<]+)</a>', html, re.S)
    assert link and "entreprise" in link.group(2)
    assert "entreprise" in text_of(client.get(htmllib.unescape(link.group(1))))


def test_a_typing_mistake_finds_the_works_and_the_page_says_the_spelling_was_close(client, works):
    html = client.get("/recherche?q=entreprize").get_data(as_text=True)
    assert re.search(r'<p class="approximate">[^<]*entreprize', html)  # the page says so (in any language)
    assert "Choisir son statut d&#39;<mark>entreprise</mark>" in html or "<mark>entreprise</mark>" in html
    assert 'class="approximate"' not in client.get("/recherche?q=entreprise").get_data(as_text=True)


def test_record_page_shows_holdings_subjects_and_works_on_the_same_subjects(client, works):
    response = client.get(f"/notices/{works['plan']}")
    text, html = text_of(response), response.get_data(as_text=True)
    assert "Construire son business plan" in text
    assert "Espace création" in text and "CRE 2 CHA" in text
    assert "Réserve" not in text  # a withdrawn copy is not offered
    assert f'href="/thesaurus/concepts/{works["concept"]}"' in html
    related = html.split('id="related-title"')[1]
    assert f'/notices/{works["status"]}' in related and f'/notices/{works["guide"]}' in related
    assert f'/notices/{works["plan"]}"' not in related
    missing = text_of(client.get(f"/notices/{works['status']}"))
    assert "Salle 2" in missing and "658 STA" in missing
    assert client.get("/notices/999999").status_code == 404


def test_portal_scopes_its_search_and_shows_its_selection(client, works):
    home = client.get("/portails/creer-son-activite")
    text, html = text_of(home), home.get_data(as_text=True)
    assert "Créer son activité" in text and "Pour commencer" in text
    assert 'href="https://example.org/aides"' in html
    assert 'action="/portails/creer-son-activite/recherche"' in html
    found = text_of(client.get("/portails/creer-son-activite/recherche?q=entretien+OR+entreprise"))
    assert "Le CV qui décroche l'entretien" not in found  # outside the portal's pole
    english = text_of(client.get("/portails/creer-son-activite?lang=en"))
    assert "Start your own business" in english
    assert client.get("/portails/inconnu").status_code == 404


def test_kiosk_mode_keeps_its_state_in_links_and_never_leaves_the_terminal(client, works):
    html = client.get("/kiosque/creer-son-activite?lang=en").get_data(as_text=True)
    assert 'data-kiosk-home="/kiosque/creer-son-activite"' in html and 'data-kiosk-idle="45"' in html
    assert 'name="kiosk" value="1"' in html and 'name="lang" value="en"' in html
    assert 'href="https://example.org/aides"' not in html  # an outside site would end the kiosk session
    assert "/login" not in html
    record_link = re.search(r'href="(/notices/\d+[^"]*)"', html).group(1)
    assert "kiosk=1" in record_link and "lang=en" in record_link and "portail=creer-son-activite" in record_link
    results = client.get("/portails/creer-son-activite/recherche?q=entreprise&kiosk=1").get_data(as_text=True)
    facet_links = re.findall(r'<section class="facet".*?href="([^"]+)"', results, re.S)
    assert facet_links and all("kiosk=1" in link for link in facet_links)
    record = client.get(f"/notices/{works['site']}?kiosk=1").get_data(as_text=True)
    assert 'href="https://example.org/demarches"' not in record


# Staff ---------------------------------------------------------------------
def form_data(**overrides) -> dict:
    data = {"slug": "trouver-un-emploi", "title_fr": "Trouver un emploi", "title_en": "Find a job",
            "description_fr": "CV, lettres, entretiens.", "pole": "job_search",
            "base_filter-pole": ["job_search"], "boost-document_type": ["book"],
            "kiosk_idle_seconds": "60", "position": "1", "published": "y"}
    data.update(overrides)
    return data


def test_staff_create_a_portal_through_the_form(client, db):
    make_user(db)
    login(client)
    token = csrf_token(client, "/staff/portals/new")
    response = client.post("/staff/portals/new", data={"csrf_token": token, **form_data()})
    assert response.status_code == 302
    with db.transaction() as session:
        portal = session.scalar(select(Portal))
        assert portal.base_filter == {"pole": ["job_search"]} and portal.boost == {"document_type": ["book"]}
    assert "Trouver un emploi" in text_of(client.get("/staff/portals"))


def test_staff_form_errors_are_shown_field_by_field_and_nothing_is_saved(client, db):
    make_user(db)
    login(client)
    token = csrf_token(client, "/staff/portals/new")
    response = client.post("/staff/portals/new", data={"csrf_token": token, **form_data(
        slug="Trouver un emploi", title_fr="", kiosk_idle_seconds="2", **{"base_filter-year_range": "récent"})})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    for field_id in ("slug", "title_fr", "kiosk_idle_seconds", "base_filter-year_range"):
        assert f'id="{field_id}-errors"' in html, field_id
    assert 'value="Trouver un emploi"' in html  # the typed values stay
    without_token = client.post("/staff/portals/new", data=form_data())
    assert without_token.status_code == 400
    with db.transaction() as session:
        assert session.scalar(select(Portal.id)) is None


def test_a_stale_edit_is_a_409_showing_both_versions(client, db):
    make_user(db)
    with db.transaction() as session:
        portal = PortalService(session).create({"slug": "trouver-un-emploi", "title_fr": "Trouver un emploi"})
    login(client)
    token = csrf_token(client, f"/staff/portals/{portal.id}")
    with db.transaction() as session:
        PortalService(session).update(portal.id, {"slug": "trouver-un-emploi", "title_fr": "Chercher un emploi"},
                                      expected_version=portal.version)
    response = client.post(f"/staff/portals/{portal.id}", data={
        "csrf_token": token, "version": str(portal.version), **form_data(title_fr="Décrocher un emploi")})
    assert response.status_code == 409
    text = text_of(response)
    assert "Chercher un emploi" in text and "Décrocher un emploi" in text
    with db.transaction() as session:
        assert session.get(Portal, portal.id).title_fr == "Chercher un emploi"


def test_staff_arrange_the_selection(client, db):
    make_user(db)
    record = make_record(db, title="Lettre de motivation", isbn=None)
    with db.transaction() as session:
        portal = PortalService(session).create({"slug": "trouver-un-emploi", "title_fr": "Trouver un emploi"})
    login(client)
    url = f"/staff/portals/{portal.id}"
    token = csrf_token(client, url)
    bad = client.post(f"{url}/selections", data={"csrf_token": token, "version": portal.version, "work": "424242"})
    assert bad.status_code == 422 and 'id="work-errors"' in bad.get_data(as_text=True)
    ok = client.post(f"{url}/selections", data={"csrf_token": token, "version": portal.version,
                                                "work": str(record.id)})
    assert ok.status_code == 302
    stale = client.post(f"{url}/selections", data={"csrf_token": token, "version": portal.version,
                                                   "url": "https://example.org", "title": "Un site"})
    assert stale.status_code == 409
    page = client.get(url).get_data(as_text=True)
    assert "Lettre de motivation" in page
    version = re.search(r'name="version" value="(\d+)"', page.split('id="selection"')[1]).group(1)
    with db.transaction() as session:
        entry = session.get(Portal, portal.id).selections[0].id
    removed = client.post(f"{url}/selections/{entry}/remove", data={"csrf_token": token, "version": version})
    assert removed.status_code == 302
    with db.transaction() as session:
        assert session.get(Portal, portal.id).selections == []


def test_counsellors_see_portals_but_cannot_change_them(client, db):
    make_user(db, "karim", role="counsellor", pole="job_search")
    with db.transaction() as session:
        portal = PortalService(session).create({"slug": "trouver-un-emploi", "title_fr": "Trouver un emploi"})
    assert client.get("/staff/portals").status_code == 302  # to the login page
    login(client, "karim")
    assert client.get("/staff/portals").status_code == 200
    assert client.get("/staff/portals/new").status_code == 403
    assert client.get(f"/staff/portals/{portal.id}").status_code == 403


def test_a_visitor_following_thirty_public_pages_in_english_gets_no_cookie(client, works):
    """The charter: visitors leave no personal data and get no cookie, not even for their language."""
    queue, seen = ["/?lang=en", "/thesaurus/?lang=en", "/recherche?q=plan&lang=en"], []
    while queue and len(seen) < 30:
        url = queue.pop(0)
        if url in seen:
            continue
        response = client.get(url)
        seen.append(url)
        assert response.status_code == 200, url
        assert "Set-Cookie" not in response.headers, url
        html = response.get_data(as_text=True)
        assert '<html lang="en"' in html, url  # every link followed kept the language
        for link in re.findall(r'\shref="(/[^"#]*)"', html):
            link = link.replace("&amp;", "&")
            if "lang=fr" in link or link.startswith(("/staff", "/login", "/static", "/api", "/oai", "/kiosque")):
                continue  # the switch back to French; pages that are not the visitors'
            if link not in seen:
                queue.append(link)
    assert len(seen) == 30 and not client.get_cookie("lang") and not client.get_cookie("session")
