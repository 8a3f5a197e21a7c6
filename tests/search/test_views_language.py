"""Public and staff pages that speak to people, not in codes (issue 16,
item 6): websites say they are online, with their link; the kiosk header
and facet counts keep their words apart; the staff menu marks where one
is; the observatory's chart has a legend. What only a browser can see (the
layout) is checked in tests/browser/test_ui_layout.py."""
from __future__ import annotations

import datetime as dt
import html as htmllib
import re

import pytest

from search.indexer import drain
from search.portals import PortalService
from search.projection import availability
from search.stats import SearchEvent, record_search
from tests.support.factories import login, make_item, make_record, make_user
from tests.support.french import french


def text_of(body: str) -> str:
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", body)).split())


@pytest.fixture
def site(app, db):
    """A website with a bookmark "copy" on the kiosks (as in the demo), a book on the shelves, a portal."""
    website = make_record(db, title="Onisep", isbn=None, poles=["orientation"], document_type="website",
                          url="https://www.onisep.fr")
    make_item(db, website.id, "CMW1", location="Bornes internet")
    book = make_record(db, title="Les métiers de l'orientation", isbn=None, poles=["orientation"])
    make_item(db, book.id, "CMB1")
    with db.transaction() as session:
        PortalService(session).create({"slug": "choisir", "title_fr": "Créer son activité",
                                       "pole": "orientation", "base_filter": {"pole": ["orientation"]}})
    drain(app.extensions["catalogue.db"], app.extensions["catalogue.search"])
    return {"website": website.id, "book": book.id}


def test_a_website_says_it_is_online_with_its_link(client, site):
    for url in ("/recherche?q=onisep", f"/notices/{site['website']}"):
        body = client.get(url).get_data(as_text=True)
        online = re.search(r'<(span|p) class="availability online">(.*?)</\1>', body, re.S)
        assert online, url
        assert 'href="https://www.onisep.fr"' in online[2]
        assert french("Available on the shelves") not in text_of(body), url
    assert french("Consult online") in text_of(client.get("/recherche?q=onisep").get_data(as_text=True))
    # At a kiosk the address is shown, not followed.
    kiosk = client.get("/recherche?q=onisep&kiosk=1").get_data(as_text=True)
    assert "https://www.onisep.fr" in kiosk and 'href="https://www.onisep.fr"' not in kiosk
    # A book on the shelves is still said to be there; the website is in the "online" facet value.
    assert french("Available on the shelves") in text_of(client.get("/recherche?q=orientation").get_data(as_text=True))
    assert "Onisep" in text_of(client.get("/recherche?availability=online").get_data(as_text=True))


def test_the_kiosk_header_and_facet_counts_keep_their_words_apart(client, site):
    body = client.get("/kiosque/choisir").get_data(as_text=True)
    brand = re.search(r'<a class="brand"[^>]*>(.*?)</a>', body, re.S)[1]
    assert re.fullmatch(r"<span>Créer son activité</span> <small>[^<]+</small>", brand.strip())
    results = client.get("/recherche?q=orientation&kiosk=1").get_data(as_text=True)
    labels = re.findall(r'<span class="facet-label">([^<]+)</span> <span class="count">\((\d+)', results)
    assert (french("Book"), "1") in labels


def test_the_staff_menu_marks_the_current_section(client, db):
    make_user(db, role="administrator")
    login(client)
    for url, label in (("/staff/records", "Catalogue"), ("/staff/uses", "Uses"), ("/staff/audit", "History"),
                       ("/staff/portals", "Portals"), ("/staff/observatory", "Observatory")):
        body = client.get(url + "?lang=fr").get_data(as_text=True)
        menu = re.search(r'<nav class="staff-menu"[^>]*>(.*?)</nav>', body, re.S)[1]
        current = re.findall(r'<a href="([^"]+)" aria-current="page">([^<]+)</a>', menu)
        assert [text for _, text in current] == [french(label)], url
        assert current[0][0].startswith(url)


def test_the_observatory_chart_has_a_legend(app, client, db):
    with db.transaction() as session:
        record_search(session, SearchEvent(dt.datetime.now(dt.timezone.utc).date(), "", "job_search",
                                           "lettre de motivation", False))
    make_user(db, role="administrator")
    login(client)
    body = client.get("/staff/observatory?days=7&lang=fr").get_data(as_text=True)
    legend = re.search(r'<ul class="legend">(.*?)</ul>', body, re.S)[1]
    assert 'class="swatch zero"' in legend and 'class="swatch searches"' in legend
    assert text_of(legend) == f"{french('Searches')} {french('Found nothing')}"


def test_availability_in_the_facets_terms():
    assert availability(["available"], "website", "https://www.onisep.fr") == "online"  # a kiosk bookmark
    assert availability([], "book", "https://example.org/ebook") == "online"
    assert availability(["missing"], "book", "https://example.org/ebook") == "unavailable"
    assert availability(["on_display"], "book", None) == "available"
    assert availability([], "website", None) == "none"
