"""The public catalogue as a visitor uses it, in headless Chromium against the
real server on the demo collection: an accessibility audit (axe-core, WCAG
2.1 A and AA rules) of the search, a record and the portal pages (web and
kiosk), a portal used with the keyboard alone, and a kiosk going back to its
portal's home after a while without input. Visitors never get a cookie."""
from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from search.engine import make_engine
from search.indexer import drain
from search.models import Portal
from tests.support import live

# The live server's database starts as a copy of the demo (tests/support/demo_copy.py).
pytestmark = [pytest.mark.browser, pytest.mark.demo(accounts=False)]

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
IDLE_PORTAL = "trouver-un-emploi"  # its kiosk waits only IDLE_SECONDS
IDLE_SECONDS = 3


@pytest.fixture
def demo_site(live_db, live_database_url, tmp_path):
    """The demo, indexed before the server starts (the server then reads the
    same index file, as after `catalogue demo`)."""
    instance = tmp_path / "live-instance"
    instance.mkdir()
    with live_db.transaction() as session:
        # Shorter than the service allows (10 s), to keep the test short.
        session.query(Portal).filter_by(slug=IDLE_PORTAL).update({"kiosk_idle_seconds": IDLE_SECONDS})
    engine = make_engine({"SEARCH_ENGINE": "embedded", "SEARCH_PATH": str(instance / "search.db")})
    drain(live_db, engine)
    engine.close()
    with live.live_server(live_database_url, instance) as base_url:
        yield base_url


def audit(page) -> list[str]:
    """axe-core's WCAG 2.1 A/AA violations on the page, one line each."""
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_21_AA},
                                       "resultTypes": ["violations"]})
    return [f"{v['id']} ({v['impact']}): {v['help']} — " + "; ".join(n["target"][0] for n in v["nodes"][:3])
            for v in results.response["violations"]]


def test_search_record_and_portal_pages_pass_the_accessibility_audit(demo_site, page):
    pages = {
        "home": "/",
        "results": "/recherche?q=formations",
        "results with chosen facets":
            "/recherche?q=formations&document_type=book&document_type=job_sheet&pole=orientation",
        "close spellings and a suggestion": "/recherche?q=fromation",
        "no result: neighbours, goals, the report button": "/recherche?q=diplomes+etrangers",
        "portals": "/portails/",
        "portal": "/portails/creer-son-activite",
        "portal results": "/portails/creer-son-activite/recherche?q=entreprise",
        "kiosk portal": "/kiosque/creer-son-activite",
        "kiosk results, English": "/portails/creer-son-activite/recherche?q=business&kiosk=1&lang=en",
    }
    found = {}
    for name, path in pages.items():
        page.goto(demo_site + path)
        found[name] = audit(page)
    # A record page, reached as a visitor would: the first hit of a search.
    page.goto(f"{demo_site}/recherche?q=VAE")
    page.locator("ol.hits li h3 a").first.click()
    page.wait_for_url(re.compile(r"/notices/\d+"))
    expect(page.locator("#holdings-title")).to_be_visible()
    found["record"] = audit(page)
    page.goto(page.url + "&kiosk=1&portail=changer-sa-vie-professionnelle")
    found["kiosk record"] = audit(page)
    print("\naxe-core WCAG 2.1 A/AA, violations per page:", {name: len(v) for name, v in found.items()})
    assert {name: v for name, v in found.items() if v} == {}
    assert page.context.cookies() == []


def test_a_portal_is_usable_with_the_keyboard_alone(demo_site, page, fr):
    page.goto(f"{demo_site}/portails/creer-son-activite")
    tab_to(page, "a.skip")
    page.keyboard.press("Enter")  # skip the header
    tab_to(page, "#q")
    page.keyboard.type("business plan")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/portails/creer-son-activite/recherche\?q=business"))
    expect(page.locator("ol.hits")).to_contain_text("Construire son business plan")

    # A facet, then a work, with Tab and Enter; focus stays visible all along.
    tab_to(page, ".facet a")
    assert focus_is_visible(page)
    facet = page.evaluate("document.activeElement.textContent")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page.locator(".facet a[aria-current=true]").first).to_contain_text(facet.split("(")[0].strip())
    tab_to(page, "ol.hits h3 a")
    assert focus_is_visible(page)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/notices/\d+"))
    expect(page.locator("h1")).to_contain_text("business plan")
    tab_to(page, ".crumbs a")  # back to the results
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/recherche\?"))
    assert page.context.cookies() == []


def test_the_search_box_suggests_subjects_titles_and_authors_as_one_types(demo_site, page, fr):
    page.goto(f"{demo_site}/")
    tab_to(page, "#q")
    page.keyboard.type("vae")
    option = page.locator("#q-list [role=option]").first
    expect(option).to_contain_text("VAE → Validation des acquis de l'expérience (sujet)")
    expect(page.locator("#q")).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("ArrowDown")
    expect(page.locator("#q")).to_have_attribute("aria-activedescendant", option.get_attribute("id"))
    page.keyboard.press("Enter")  # a subject is searched at once
    page.wait_for_url(re.compile(r"/recherche\?q=Validation"))
    expect(page.locator("ol.hits")).to_contain_text("La VAE pas à pas")

    # A title opens its record, in the kiosk still.
    page.goto(f"{demo_site}/kiosque/creer-son-activite")
    page.locator("#q").fill("")
    page.locator("#q").press_sequentially("construire son bus")
    title = page.locator("#q-list [role=option]", has_text="(titre)").first
    expect(title).to_contain_text("Construire son business plan")
    title.click()
    page.wait_for_url(re.compile(r"/notices/\d+\?kiosk=1"))
    expect(page.locator("h1")).to_contain_text("business plan")
    assert audit(page) == []
    assert page.context.cookies() == []


def test_a_kiosk_goes_back_to_its_portal_home_after_a_while_without_input(demo_site, page):
    page.goto(f"{demo_site}/kiosque/{IDLE_PORTAL}?lang=en")
    tab_to(page, "#q")
    page.keyboard.type("CV")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/recherche\?q=CV.*kiosk=1"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.locator("ol.hits h3 a").first.focus()
    page.keyboard.press("Enter")  # a work's page, still in the kiosk
    page.wait_for_url(re.compile(r"/notices/\d+\?.*kiosk=1"))
    # Nobody touches the terminal: a notice, then the portal's home, in the default language.
    expect(page.locator("#kiosk-warning")).to_be_visible()
    page.wait_for_url(re.compile(rf"/kiosque/{IDLE_PORTAL}$"), timeout=IDLE_SECONDS * 1000 + 10_000)
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("#q")).to_have_value("")
    assert page.context.cookies() == []


def tab_to(page, selector: str, limit: int = 80) -> None:
    """Press Tab until the focused element matches ``selector``."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => !!document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} never received the focus with Tab")


def focus_is_visible(page) -> bool:
    style = page.evaluate("""() => { const s = getComputedStyle(document.activeElement);
        return [s.outlineStyle, s.outlineWidth]; }""")
    return style[0] != "none" and style[1] not in ("0px", "")
