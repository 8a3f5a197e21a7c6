"""What only a browser shows (issue 16, item 6), in headless Chromium at
1280 × 900 on the demo collection: the staff menu fits on one line and
marks the current section; at a kiosk, the portal's title and the small
text of the header, and each facet value and its count, stand apart."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from search.engine import make_engine
from search.indexer import drain
from tests.support import live
from tests.support.factories import make_user

# The live server's database starts as a copy of the demo (tests/support/demo_copy.py).
pytestmark = [pytest.mark.browser, pytest.mark.demo(accounts=False)]

# The space between two boxes on one line, in CSS pixels (negative: they touch or overlap).
GAP = "([a, b]) => b.getBoundingClientRect().left - a.getBoundingClientRect().right"


@pytest.fixture
def demo_site(live_db, live_database_url, tmp_path):
    instance = tmp_path / "live-instance"
    instance.mkdir()
    make_user(live_db, "admin", "administrator")
    engine = make_engine({"SEARCH_ENGINE": "embedded", "SEARCH_PATH": str(instance / "search.db")})
    drain(live_db, engine)
    engine.close()
    with live.live_server(live_database_url, instance) as base_url:
        yield base_url


def test_the_staff_menu_fits_on_one_line_and_marks_where_one_is(demo_site, page, login):
    login(page, demo_site, "admin")  # every menu entry
    for path in ("/staff/", "/staff/audit", "/staff/records", "/staff/observatory", "/staff/goals", "/staff/acquisitions"):
        page.goto(f"{demo_site}{path}")
        links = page.locator("nav.staff-menu a")
        assert links.count() == 12  # "To do" (the staff home) and eleven sections
        tops = {round(links.nth(i).bounding_box()["y"]) for i in range(links.count())}
        assert len(tops) == 1, f"{path}: the menu wraps ({sorted(tops)})"
        current = page.locator('nav.staff-menu a[aria-current="page"]')
        expect(current).to_have_count(1)
        assert path.startswith(current.get_attribute("href").split("?")[0])
        weight = current.evaluate("a => getComputedStyle(a).fontWeight")
        other = page.locator('nav.staff-menu a:not([aria-current])').first.evaluate(
            "a => getComputedStyle(a).fontWeight")
        assert int(weight) > int(other), "the current section looks like the others"


def test_kiosk_header_and_facet_counts_keep_their_words_apart(demo_site, page):
    page.goto(f"{demo_site}/kiosque/creer-son-activite")
    brand = page.locator("header .brand")
    gap = page.evaluate(GAP, [brand.locator("span").element_handle(), brand.locator("small").element_handle()])
    assert gap > 4, f"title and small text {gap:.1f} px apart"
    assert "activitéEspace" not in brand.text_content().replace("\n", "")

    page.goto(f"{demo_site}/recherche?q=formations&kiosk=1")
    values = page.locator(".facet a")
    assert values.count() > 3
    for i in range(values.count()):
        value = values.nth(i)
        gap = page.evaluate(GAP, [value.locator(".facet-label").element_handle(),
                                  value.locator(".count").element_handle()])
        label = value.locator(".facet-label").text_content()
        assert gap > 3, f"{label}: count {gap:.1f} px from its label"  # beside it, a space apart
