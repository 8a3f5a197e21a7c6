"""The thesaurus as a documentalist and a visitor use it, in headless
Chromium against the real server process (French interface)."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.support.factories import make_user
from tests.thesaurus.support import make_concept

pytestmark = pytest.mark.browser

VAE = "Validation des acquis de l'expérience"


def test_entry_term_added_by_a_documentalist_shows_in_the_public_index(live_db, live_server, page, login, fr):
    make_user(live_db, "doc", role="documentalist")
    concept = make_concept(live_db, VAE, en="Accreditation of prior learning")
    login(page, live_server, "doc")

    page.goto(f"{live_server}/staff/thesaurus/concepts/{concept}")
    expect(page.locator("h1")).to_contain_text(VAE)
    page.locator("#label-text").fill("VAE")
    expect(page.locator("#label-kind")).to_have_value("alt")
    page.locator("#labels form.row-form button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/staff/thesaurus/concepts/{concept}$"))
    expect(page.locator(".flash.success")).to_contain_text("VAE")
    expect(page.locator("#history")).to_contain_text("Doc")  # who did it

    # A visitor, in another browser, finds the entry term in the index.
    visitor = page.context.browser.new_context(locale="fr-FR").new_page()
    visitor.goto(f"{live_server}/thesaurus/index?letter=V")
    entry = visitor.locator("#index li.entry-term")
    expect(entry).to_have_text(fr("%(term)s, see %(preferred)s", term="VAE", preferred=VAE))
    entry.locator("a").click()
    visitor.wait_for_url(re.compile(rf"/thesaurus/concepts/{concept}$"))
    expect(visitor.locator("h1")).to_have_text(VAE)
    assert visitor.context.cookies() == []  # nothing kept about visitors
    visitor.context.close()


def test_a_move_that_would_make_a_cycle_is_refused_naming_the_chain(live_db, live_server, page, login, fr):
    make_user(live_db, "doc", role="documentalist")
    work = make_concept(live_db, "Travail")
    job = make_concept(live_db, "Emploi", broader=[work])
    login(page, live_server, "doc")

    page.goto(f"{live_server}/staff/thesaurus/concepts/{work}")
    field = page.locator("#move-broader_query")
    field.click()
    page.keyboard.type("empl")  # the autocomplete, keyboard only
    option = page.locator("#move-broader_query-list [role=option]")
    expect(option).to_have_text(["Emploi"])
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(page.locator(f"#move-broader-picked input[value='{job}']")).to_be_checked()
    expect(field).to_have_value("")
    page.locator("#move button[type=submit]").last.click()

    refused = page.locator("#refused")
    expect(refused).to_contain_text(fr("This change was refused."))
    expect(refused).to_contain_text(re.compile(r"Travail\W+>\W+Emploi\W+>\W+Travail"))
    # Nothing moved.
    page.goto(f"{live_server}/thesaurus/concepts/{work}")
    expect(page.locator("article.concept")).not_to_contain_text(fr("Broader concepts"))
