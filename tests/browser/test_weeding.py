"""The counsellor's weeding review from the keyboard alone, in headless
Chromium against the real server process (French interface): she opens her
queue, votes "withdraw" on the first candidate with one key, ticks a
checklist box and writes a comment on the second with Tab, Space and
typing, goes back to the buttons with Escape and votes "keep" with Enter.
Each vote opens the next candidate she has not voted on; the votes are in
the database. The review page passes an accessibility audit (axe-core,
WCAG 2.1 A/AA).

Elements are found by id, never by their text: the weeding pages' French
labels are being translated."""
from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect
from sqlalchemy import select

from accounts.models import User
from tests.support.factories import make_item, make_record, make_user
from weeding.models import WeedingCandidate, WeedingVote
from weeding.services.campaigns import CampaignService
from weeding.services.rules import RuleService

pytestmark = pytest.mark.browser

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
TITLES = ("Guide des formations 2009", "Annuaire des CFA 2010", "Le droit de la formation 2011")


def audit(page) -> list[str]:
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_21_AA},
                                       "resultTypes": ["violations"]})
    return [f"{v['id']} ({v['impact']}): {v['help']} — " + "; ".join(n["target"][0] for n in v["nodes"][:3])
            for v in results.response["violations"]]


@pytest.fixture
def campaign(live_db) -> dict:
    """A pathway campaign of three old copies, opened by the librarian; ids the test needs."""
    make_user(live_db, "sophie", role="counsellor", pole="pathway")
    make_user(live_db, "biblio", role="librarian")
    items = []
    for n, title in enumerate(TITLES):
        record = make_record(live_db, title=title, year=2009 + n, isbn=None, poles=["pathway"],
                             call_number=f"PAR {n + 1}")
        items.append(make_item(live_db, record.id, barcode=f"WEED{n:04d}", call_number=f"PAR {n + 1}").id)
    with live_db.transaction() as session:
        librarian = session.scalar(select(User).where(User.username == "biblio"))
        RuleService(session, librarian).create({"name": "Guides et annuaires", "max_age_years": 5})
        opened = CampaignService(session, librarian).open({"name": "Parcours 2026", "scope": {"pole": "pathway"}})
        return {"id": opened.id, "items": items}


def test_a_counsellor_votes_on_two_candidates_with_the_keyboard_only(campaign, live_db, live_server, page, login):
    first, second, third = campaign["items"]
    review = f"{live_server}/staff/weeding/campaigns/{campaign['id']}/review"
    login(page, live_server, "sophie")

    # Her queue, then the campaign's review: Enter on the link.
    page.goto(f"{live_server}/staff/weeding/review")
    start = page.locator(f"#queue-{campaign['id']} a.button")
    start.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page).to_have_url(review)
    expect(page.locator("#position")).to_contain_text("1")
    expect(page.locator("#position")).to_contain_text("3")
    expect(page.locator("#candidate-title")).to_contain_text(TITLES[0])
    expect(page.locator("#vote-keep")).to_be_focused()  # the first vote button has the focus
    expect(page.locator("#vote-withdraw kbd")).to_have_text("r")
    violations = audit(page)

    # 1. One key: "r" withdraws, and the next candidate opens.
    with page.expect_navigation():
        page.keyboard.press("r")
    expect(page).to_have_url(f"{review}?item={second}")
    expect(page.locator(".flash.success")).to_contain_text("WEED0000")
    expect(page.locator("#candidate-title")).to_contain_text(TITLES[1])
    expect(page.locator("#vote-keep")).to_be_focused()
    expect(page.locator("#remaining")).to_contain_text("2")

    # 2. Tab past the five buttons to the first MUSTIE box, Space ticks it;
    #    Tab on to the comment, type, Escape back to the buttons, Enter keeps.
    for _ in range(5):
        page.keyboard.press("Tab")
    misleading = page.locator("#flag-mustie-misleading")
    expect(misleading).to_be_focused()
    page.keyboard.press("Space")
    expect(misleading).to_be_checked()
    for _ in range(11):
        page.keyboard.press("Tab")
    expect(page.locator("#comment")).to_be_focused()
    page.keyboard.type("Encore demandé par les visiteurs")  # letters here are text, not votes
    expect(page).to_have_url(f"{review}?item={second}")
    page.keyboard.press("Escape")
    expect(page.locator("#vote-keep")).to_be_focused()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page).to_have_url(f"{review}?item={third}")
    expect(page.locator("#remaining")).to_contain_text("1")

    # "n" goes back to the previous candidate, which shows her vote.
    with page.expect_navigation():
        page.keyboard.press("n")
    expect(page).to_have_url(f"{review}?item={second}")
    expect(page.locator("#vote-keep")).to_have_class(re.compile(r"\bchosen\b"))
    expect(page.locator("#flag-mustie-misleading")).to_be_checked()
    expect(page.locator("#comment")).to_have_value("Encore demandé par les visiteurs")

    with live_db.transaction() as session:
        votes = {item_id: (vote.vote.value, vote.flags, vote.comment, vote.pole) for vote, item_id in session.execute(
            select(WeedingVote, WeedingCandidate.item_id).join(WeedingCandidate)
            .where(WeedingCandidate.campaign_id == campaign["id"]))}
    assert votes == {first: ("withdraw", [], None, "pathway"),
                     second: ("keep", ["mustie:misleading"], "Encore demandé par les visiteurs", "pathway")}
    print("\naxe-core WCAG 2.1 A/AA violations on the review page:", violations)
    assert violations == []
