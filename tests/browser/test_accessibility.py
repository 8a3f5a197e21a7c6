"""Every page, audited by axe-core (WCAG 2.1 A and AA rules) in headless
Chromium against the real server on the demo: the public pages, every kiosk,
and every staff page, each as the role that works there (the demo's
accounts), with real ids, including forms showing their errors. A test keeps
the list complete: each GET route of the application is audited here or
excluded with its reason, so a new page cannot slip past the audit.

One server for the module (tests/support/demo_site.py), one logged-in
browser context per role.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from axe_playwright_python.sync_playwright import Axe

from cite import create_app
from tests.browser.conftest import LOCALE, TIMEOUT_MS
from tests.support.browser import log_in
from tests.support.demo_site import PASSWORD, demo_site

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
VISITOR = None  # no login: a visitor never gets a cookie
BEFORE_LOGIN = ""  # staff on the login page: a context of its own, as it gets a cookie


@dataclass(frozen=True)
class Page:
    endpoint: str
    path: str          # "{portal}": one page per portal of the demo; "{portal[0]}": its first one
    who: str | None    # a demo account, or VISITOR
    status: int = 200


# Add a line here when you add a page: test_every_page_is_audited_or_excluded says which are missing.
PAGES = [
    # Visitors: the web and the kiosks.
    Page("search.home", "/", VISITOR),
    Page("search.search", "/recherche?q=formations", VISITOR),
    Page("search.search", "/recherche?q=formations&document_type=book&pole=orientation", VISITOR),
    Page("search.search", "/recherche?q=fromation", VISITOR),  # close spellings and a suggestion
    Page("search.search", "/recherche?q=diplomes+etrangers", VISITOR),  # no result, with neighbours
    Page("search.search", "/recherche?q=xqzwvk", VISITOR),  # no result
    Page("search.search", "/recherche?q=formations&kiosk=1", VISITOR),
    Page("search.search", "/recherche?q=xqzwvk&kiosk=1&lang=en", VISITOR),
    Page("search.record", "/notices/{record}", VISITOR),
    Page("search.record", "/notices/{record}?kiosk=1&portail={portal[0]}", VISITOR),
    Page("search.portals", "/portails/", VISITOR),
    Page("search.portal", "/portails/{portal}", VISITOR),
    Page("search.portal_search", "/portails/{portal[0]}/recherche?q=emploi", VISITOR),
    Page("search.portal_search", "/portails/{portal[0]}/recherche?q=emploi&kiosk=1", VISITOR),
    Page("search.kiosk_portal", "/kiosque/{portal}", VISITOR),
    Page("search.kiosk_portal", "/kiosque/{portal[0]}?lang=en", VISITOR),
    Page("search.publics", "/je-suis", VISITOR),
    Page("search.publics", "/je-suis?kiosk=1&lang=en", VISITOR),
    Page("search.goals_of", "/je-suis/{public}", VISITOR),
    Page("search.enter_goal", "/buts/{goal[0]}", VISITOR),  # counted, then the goal's works
    Page("thesaurus.home", "/thesaurus/", VISITOR),
    Page("thesaurus.concept", "/thesaurus/concepts/{concept}", VISITOR),
    Page("thesaurus.collection", "/thesaurus/collections/{collection}", VISITOR),
    Page("thesaurus.alphabetical", "/thesaurus/index", VISITOR),
    Page("thesaurus.search", "/thesaurus/search?q=emploi", VISITOR),
    Page("accounts.login", "/login", BEFORE_LOGIN),
    # The staff, each where they work.
    Page("staff_home.home", "/staff/", "documentaliste"),
    Page("staff_home.home", "/staff/", "conseiller"),
    Page("staff_home.home", "/staff/", "bibliothecaire"),
    Page("staff_home.home", "/staff/", "admin"),
    Page("accounts.inbox", "/staff/inbox", "bibliothecaire"),
    Page("catalogue.list_records", "/staff/records", "documentaliste"),
    Page("catalogue.list_records", "/staff/records?q=emploi", "documentaliste"),
    Page("catalogue.show_record", "/staff/records/{record}", "documentaliste"),
    Page("catalogue.new_record", "/staff/records/new", "documentaliste"),
    Page("catalogue.edit_record", "/staff/records/{record}/edit", "documentaliste"),
    Page("catalogue.new_item", "/staff/records/{record}/items/new", "documentaliste"),
    Page("catalogue.edit_item", "/staff/items/{item}/edit", "documentaliste"),
    Page("catalogue.record_uses", "/staff/uses", "conseiller"),
    Page("catalogue.audit", "/staff/audit", "admin"),
    Page("imports.list_runs", "/staff/imports", "documentaliste"),
    Page("imports.show_run", "/staff/imports/{run}", "documentaliste"),
    Page("imports.headings", "/staff/thesaurus/headings", "documentaliste"),
    Page("thesaurus.list_concepts", "/staff/thesaurus/", "documentaliste"),
    Page("thesaurus.staff_concept", "/staff/thesaurus/concepts/{concept}", "documentaliste"),
    Page("thesaurus.new_concept", "/staff/thesaurus/concepts/new", "documentaliste"),
    Page("observatory.show", "/staff/observatory", "documentaliste"),
    Page("observatory.show", "/staff/observatory?days=365", "documentaliste"),
    Page("search.staff_portals", "/staff/portals", "documentaliste"),
    Page("search.new_portal", "/staff/portals/new", "documentaliste"),
    Page("search.edit_portal", "/staff/portals/{portal_id}", "documentaliste"),
    Page("search.staff_goals", "/staff/goals", "documentaliste"),
    Page("search.new_goal", "/staff/goals/new", "documentaliste"),
    Page("search.edit_goal", "/staff/goals/{goal_id}", "documentaliste"),
    Page("acquisitions.home", "/staff/acquisitions", "conseiller"),
    Page("acquisitions.new_proposal", "/staff/acquisitions/proposals/new", "conseiller"),
    Page("acquisitions.show_proposal", "/staff/acquisitions/proposals/{proposal}", "bibliothecaire"),
    Page("acquisitions.edit_proposal", "/staff/acquisitions/proposals/{proposal[0]}/edit", "admin"),
    Page("acquisitions.review", "/staff/acquisitions/review", "documentaliste"),
    Page("acquisitions.budgets", "/staff/acquisitions/budgets", "bibliothecaire"),
    Page("acquisitions.orders", "/staff/acquisitions/orders", "bibliothecaire"),
    Page("acquisitions.suppliers", "/staff/acquisitions/suppliers", "admin"),
    Page("acquisitions.unmet_demand", "/staff/acquisitions/unmet", "bibliothecaire"),
    Page("weeding.campaigns", "/staff/weeding", "bibliothecaire"),
    Page("weeding.campaign", "/staff/weeding/campaigns/{campaign}", "bibliothecaire"),  # a decided row
    Page("weeding.campaign", "/staff/weeding/campaigns/{campaign}?state=excluded", "bibliothecaire"),
    Page("weeding.review_queue", "/staff/weeding/review", "conseiller-parcours"),
    Page("weeding.review", "/staff/weeding/campaigns/{campaign}/review", "conseiller-parcours"),
    Page("weeding.rules", "/staff/weeding/rules", "bibliothecaire"),
    Page("weeding.new_rule", "/staff/weeding/rules/new", "bibliothecaire"),
    Page("weeding.edit_rule", "/staff/weeding/rules/{rule}/edit", "bibliothecaire"),
    Page("weeding.reports", "/staff/reports", "bibliothecaire"),
    Page("weeding.report", "/staff/reports/{report}", "bibliothecaire"),
    Page("weeding.report_run", "/staff/reports/runs/{report_run}", "bibliothecaire"),
    Page("weeding.statistics", "/staff/statistics", "bibliothecaire"),
    # Error pages, public and staff.
    Page("error", "/notices/999999999", VISITOR, status=404),
    Page("error", "/staff/records/new", "conseiller", status=403),
]

# Forms sent empty, to audit them with their errors shown: (page, who, the button that sends).
FORMS_WITH_ERRORS = [
    ("/staff/records/new", "documentaliste", "main form[novalidate] button.primary"),
    ("/staff/records/{record}/items/new", "documentaliste", "main form[novalidate] button.primary"),
    ("/staff/thesaurus/concepts/new", "documentaliste", "main form[novalidate] button.primary"),
    ("/staff/portals/new", "documentaliste", "main form[novalidate] button.primary"),
    ("/staff/goals/new", "documentaliste", "main form[novalidate] button.primary"),
    ("/staff/acquisitions/proposals/new", "conseiller", "main form[novalidate] button.primary"),
    ("/staff/weeding/rules/new", "bibliothecaire", "main form[novalidate] button.primary"),
]

# Reflow (WCAG 1.4.10): at 320 CSS pixels wide, nothing but a wide table scrolls sideways.
REFLOW = [("/", VISITOR), ("/recherche?q=formations", VISITOR), ("/notices/{record}", VISITOR),
          ("/portails/{portal}", VISITOR), ("/kiosque/{portal}", VISITOR), ("/recherche?q=formations&kiosk=1", VISITOR),
          ("/thesaurus/", VISITOR), ("/staff/", "documentaliste"), ("/staff/records/new", "documentaliste"),
          ("/staff/acquisitions/proposals/new", "conseiller")]

# GET routes that are no HTML page, or audited from another one.
EXCLUDED = {
    "static": "files",
    "weeding.static": "files",
    "health.healthz": "a health check for the load balancer, plain text",
    "oai.endpoint": "OAI-PMH, XML for harvesters",
    "thesaurus.tree": "an HTML fragment: audited inside /thesaurus/, a branch unfolded",
    "thesaurus.public_autocomplete": "JSON for the search box",
    "thesaurus.staff_autocomplete": "JSON for the concept pickers",
    "imports.download_rejects": "a MARC file",
    "weeding.report_run_csv": "CSV",
    "weeding.statistics_csv": "CSV",
    "weeding.withdrawn_csv": "CSV",
}
EXCLUDED_PREFIXES = {"/api/": "the JSON API"}


def audit(page) -> list[str]:
    """axe-core's WCAG 2.1 A/AA violations on the page, one line each."""
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_21_AA},
                                       "resultTypes": ["violations"]})
    return [f"{v['id']} ({v['impact']}): {v['help']} — " + "; ".join(str(n["target"][0]) for n in v["nodes"][:3])
            for v in results.response["violations"]]


def test_every_page_is_audited_or_excluded(tmp_path):
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'routes.db'}", "SECRET_KEY": "routes",
                      "INSTANCE_DIR": str(tmp_path)})
    pages = {rule.endpoint for rule in app.url_map.iter_rules()
             if "GET" in rule.methods and not rule.rule.startswith(tuple(EXCLUDED_PREFIXES))}
    audited = {page.endpoint for page in PAGES} - {"error"}
    assert sorted(pages - audited - set(EXCLUDED)) == [], "GET routes neither audited nor excluded"
    assert sorted((audited | set(EXCLUDED)) - pages) == [], "audited or excluded, but no such route"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The demo served on SQLite only, as every browser test (so no backend parameter)."""
    with demo_site(tmp_path_factory.mktemp("accessibility")) as served:
        yield served


@pytest.fixture(scope="module")
def as_who(site, request):
    """``as_who(username or None)``: a page in that person's browser context,
    logged in once for the module."""
    browser = request.getfixturevalue("browser")
    pages = {}

    def page_for(who):
        if who not in pages:
            context = browser.new_context(locale=LOCALE, viewport={"width": 1280, "height": 900})
            context.set_default_timeout(TIMEOUT_MS)
            page = context.new_page()
            if who:
                log_in(page, site.url, who, PASSWORD)
            pages[who] = page
        return pages[who]

    yield page_for
    for page in pages.values():
        page.context.close()


def paths(site, template: str) -> list[str]:
    """The template with the real ids it names: "{portal}" each portal (or
    proposal, one per state...), "{portal[0]}" the first one only."""
    keys = re.findall(r"\{(\w+)(\[0\])?\}", template)
    missing = sorted({key for key, _ in keys if not site.ids[key]})
    if missing:
        pytest.skip(f"the demo has no {', '.join(missing)} yet")
    each = {key for key, first in keys if not first}
    rows = max((len(site.ids[key]) for key in each), default=1)
    return [template.format(**{key: site.ids[key][min(n, len(site.ids[key]) - 1)] if key in each
                               else site.ids[key] for key, _ in keys})
            for n in range(rows)]


@pytest.mark.browser
@pytest.mark.parametrize("entry", PAGES, ids=lambda p: f"{p.path}-{p.who or 'anonymous'}")
def test_the_page_passes_the_audit(site, as_who, entry):
    page = as_who(entry.who)
    found = {}
    for path in paths(site, entry.path):
        response = page.goto(site.url + path)
        assert response.status == entry.status, path
        found[path] = audit(page)
    assert {path: v for path, v in found.items() if v} == {}
    if entry.who is VISITOR:
        assert page.context.cookies() == []


@pytest.mark.browser
@pytest.mark.parametrize("path, who, send", FORMS_WITH_ERRORS, ids=[f"{p}-{w}" for p, w, _ in FORMS_WITH_ERRORS])
def test_a_form_showing_its_errors_passes_the_audit(site, as_who, path, who, send):
    page = as_who(who)
    [path] = paths(site, path)
    page.goto(site.url + path)
    page.locator(send).first.click()
    page.wait_for_load_state()
    assert page.locator(".error-summary, .errors").count() > 0, f"{path}: no error shown"
    assert audit(page) == []


@pytest.mark.browser
def test_the_login_form_showing_its_error_and_the_thesaurus_unfolded_pass_the_audit(site, as_who):
    page = as_who(BEFORE_LOGIN)
    page.goto(f"{site.url}/login")
    page.locator("#username").fill("nobody")
    page.locator("#password").fill("wrong")
    page.locator("form.narrow button[type=submit]").click()
    page.wait_for_load_state()
    assert audit(page) == []

    page = as_who(VISITOR)
    page.goto(f"{site.url}/thesaurus/")
    toggle = page.locator("ul.tree button.toggle").first
    toggle.click()
    page.locator("ul.tree ul.tree li").first.wait_for()
    assert audit(page) == []


@pytest.mark.browser
def test_pages_reflow_at_320_pixels_wide(site, as_who):
    wide = {}
    for template, who in REFLOW:
        page = as_who(who)
        page.set_viewport_size({"width": 320, "height": 640})
        try:
            for path in paths(site, template):
                page.goto(site.url + path)
                width = page.evaluate("document.documentElement.scrollWidth")
                if width > 320:
                    wide[path] = width
        finally:
            page.set_viewport_size({"width": 1280, "height": 900})
    assert wide == {}, "pages wider than the screen"


@pytest.mark.browser
@pytest.mark.parametrize("query", ["/recherche?q=xqzwvk", "/recherche?q=xqzwvk&kiosk=1"])
def test_the_page_thanking_for_a_reported_gap_passes_the_audit(site, as_who, query):
    page = as_who(VISITOR)
    page.goto(site.url + query)
    page.locator("form.report-gap button[type=submit]").click()
    page.wait_for_load_state()
    assert audit(page) == []
    assert page.context.cookies() == []
