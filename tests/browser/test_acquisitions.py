"""Acquisitions as the staff live them, in headless Chromium against the real
server process (French interface): a counsellor proposes a work the
catalogue seems to hold already, confirms it after the warning, then a
documentalist takes it into review and a librarian accepts it on the pole's
fund and orders it; the budgets page shows what the fund has committed. The
pages met on the way pass an accessibility audit (axe-core, WCAG 2.1 A/AA).

Elements are found by id, name or value, not by their text: the French
labels of acquisitions are being translated. The texts relied upon are the
state names (``fr("Proposed")``, "Under review", "Accepted", "Ordered": in
French "Proposée", "À l'étude", "Acceptée", "Commandée") and the pole's name
in the budgets table (``fr("Find a job")``), all through the French catalogue.
"""
from __future__ import annotations

import re
from decimal import Decimal

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect
from sqlalchemy import func, select

from acquisitions.models import Proposal
from acquisitions.services.budgets import BudgetService, fiscal_year
from acquisitions.services.orders import OrderService
from core.db import utcnow
from tests.support.factories import make_record, make_user

pytestmark = pytest.mark.browser

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PROPOSAL_PAGE = re.compile(r"/staff/acquisitions/proposals/(\d+)$")
HELD_TITLE = "Réussir son entretien d'embauche"
HELD_ISBN = "9782070360246"
TYPED_ISBN = "978-2-07-036024-6"  # the same ISBN, as read off a cover
QUANTITY, ESTIMATE, ORDER_PRICE = 2, "24.90", "22.50"


def audit(page) -> list[str]:
    """axe-core's WCAG 2.1 A/AA violations on the page, one line each."""
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_21_AA},
                                       "resultTypes": ["violations"]})
    return [f"{v['id']} ({v['impact']}): {v['help']} — " + "; ".join(n["target"][0] for n in v["nodes"][:3])
            for v in results.response["violations"]]


@pytest.fixture
def acquisitions_staff(live_db):
    """The held work, the people, this fiscal year's job_search fund and a
    supplier: ids the test needs."""
    make_user(live_db, "conseil", role="counsellor", pole="job_search")
    make_user(live_db, "doc", role="documentalist")
    make_user(live_db, "biblio", role="librarian")
    record = make_record(live_db, title=HELD_TITLE, isbn=HELD_ISBN, year=2023)
    year = fiscal_year(utcnow().date(), 1)  # the live server's default first month
    with live_db.transaction() as session:
        fund = BudgetService(session).create(year, "job_search", {"allocated": "500.00"})
        supplier = OrderService(session).save_supplier({"name": "Librairie du Parcours"})
        ids = {"record": record.id, "fund": fund.id, "supplier": supplier.id, "year": year}
    return ids


def _proposal_id(page) -> int:
    match = PROPOSAL_PAGE.search(page.url)
    assert match, f"not on a proposal page: {page.url}"
    return int(match.group(1))


def _open_move(page, target: str):
    """Open the <details> of a move with the keyboard: focus its summary, Enter."""
    details = page.locator(f"details#move-{target}")
    expect(details).to_have_count(1)
    details.locator("summary").focus()
    page.keyboard.press("Enter")
    expect(details).to_have_attribute("open", "")
    return details


def _submit_move(page, details, status: str) -> None:
    """Submit the move's form (Enter on its button) and land back on the proposal, in ``status``."""
    with page.expect_navigation():
        details.locator("button[type=submit]").press("Enter")
    expect(page).to_have_url(PROPOSAL_PAGE)
    expect(page.locator(".flash.success")).to_be_visible()
    expect(page.locator("#status")).to_have_text(status)


def test_a_proposal_of_a_held_work_is_confirmed_reviewed_accepted_and_ordered(
        acquisitions_staff, live_db, live_server, new_page, login, fr):
    ids = acquisitions_staff
    found = {}
    if fr.translated:  # the state names the page must show, in French
        assert [fr(s) for s in ("Proposed", "Under review", "Accepted", "Ordered")] == [
            "Proposée", "À l'étude", "Acceptée", "Commandée"]

    # 1. The counsellor proposes the work; the ISBN typed with hyphens is the held one's.
    counsellor = new_page()
    login(counsellor, live_server, "conseil")
    counsellor.goto(f"{live_server}/staff/acquisitions/proposals/new")
    expect(counsellor.locator("#title")).to_be_focused()
    expect(counsellor.locator("#pole")).to_have_value("job_search")  # the counsellor's pole
    expect(counsellor.locator("#already-held")).to_have_count(0)
    expect(counsellor.locator("#confirm_duplicate")).to_have_count(0)
    counsellor.keyboard.type(HELD_TITLE)
    counsellor.locator("#authors").fill("Martin, Léa")
    counsellor.locator("#isbn").fill(TYPED_ISBN)
    counsellor.locator("input[name=audiences][value=job_seeker]").check()
    counsellor.locator("#reason_code").select_option("replace_copy")
    counsellor.locator("#reason").fill("Les deux exemplaires sont usés, on le demande chaque semaine.")
    counsellor.locator("#estimated_price").fill(ESTIMATE)
    counsellor.locator("#quantity").fill(str(QUANTITY))
    with counsellor.expect_response(lambda r: r.request.method == "POST") as answer:
        counsellor.locator("#title").press("Enter")  # submit with Enter
    assert answer.value.status == 409
    counsellor.wait_for_load_state()
    expect(counsellor).to_have_url(f"{live_server}/staff/acquisitions/proposals/new")

    # The warning lists the held work, links to it, and nothing was saved.
    warning = counsellor.locator("#already-held")
    expect(warning).to_be_visible()
    expect(warning).to_have_attribute("role", "alert")
    held = warning.locator("li")
    expect(held).to_have_count(1)
    expect(held.locator(f"a[href='/staff/records/{ids['record']}']")).to_have_text(HELD_TITLE)
    expect(held).to_contain_text(TYPED_ISBN)  # shown as ISBN-13 with its hyphens
    expect(held).to_contain_text("2023")
    with live_db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(Proposal)) == 0
    # What was typed is kept, and the confirmation is offered, unticked.
    expect(counsellor.locator("#title")).to_have_value(HELD_TITLE)
    expect(counsellor.locator("#isbn")).to_have_value(TYPED_ISBN)
    expect(counsellor.locator("#quantity")).to_have_value(str(QUANTITY))
    expect(counsellor.locator("#reason_code")).to_have_value("replace_copy")
    confirm = counsellor.locator("input#confirm_duplicate[type=checkbox]")
    expect(confirm).not_to_be_checked()
    expect(counsellor.locator("label[for=confirm_duplicate]")).to_be_visible()
    found["proposal form, held work"] = audit(counsellor)

    # Tick with the keyboard (Space), Tab to the button, Enter.
    confirm.focus()
    counsellor.keyboard.press("Space")
    expect(confirm).to_be_checked()
    counsellor.keyboard.press("Tab")
    expect(counsellor.locator("form button[type=submit].primary")).to_be_focused()
    with counsellor.expect_navigation():
        counsellor.keyboard.press("Enter")
    expect(counsellor).to_have_url(PROPOSAL_PAGE)
    proposal_url = counsellor.url
    proposal_id = _proposal_id(counsellor)
    expect(counsellor.locator(".flash.success")).to_contain_text(HELD_TITLE)
    expect(counsellor.locator("h1")).to_have_text(HELD_TITLE)
    expect(counsellor.locator("#status")).to_have_text(fr("Proposed"))
    expect(counsellor.locator("#status")).to_have_class(re.compile(r"\bstatus-proposed\b"))
    expect(counsellor.locator("dl.fields")).to_contain_text(TYPED_ISBN)
    expect(counsellor.locator("dl.fields")).to_contain_text(fr("Find a job"))
    # The proposer backs it already: no "me too" for them; only withdrawing is offered.
    expect(counsellor.locator("form[action$='/support']")).to_have_count(0)
    expect(counsellor.locator("details.move")).to_have_count(1)
    expect(counsellor.locator("details#move-withdrawn")).to_have_count(1)
    expect(counsellor.locator("#history tbody tr")).to_have_count(1)
    # Audited with its flash message: the status region keeps the list's semantics.
    found["proposal, proposed (counsellor)"] = audit(counsellor)

    # 2. The documentalist takes it into review.
    documentalist = new_page()
    login(documentalist, live_server, "doc")
    documentalist.goto(proposal_url)
    expect(documentalist.locator("#status")).to_have_text(fr("Proposed"))
    expect(documentalist.locator("details#move-accepted")).to_have_count(0)  # not theirs to decide
    review = _open_move(documentalist, "under_review")
    review.locator("textarea[name$='-comment']").fill("Vérifié : l'édition en rayon date de 2019.")
    _submit_move(documentalist, review, fr("Under review"))
    expect(documentalist.locator("#history tbody tr")).to_have_count(2)
    expect(documentalist.locator("#history")).to_contain_text("Vérifié : l'édition en rayon date de 2019.")

    # The librarian accepts it on the job_search fund...
    librarian = new_page()
    login(librarian, live_server, "biblio")
    librarian.goto(proposal_url)
    expect(librarian.locator("#status")).to_have_text(fr("Under review"))
    for details in librarian.locator("details.move").all():  # audited with every move's form shown
        details.evaluate("d => d.open = true")
    found["proposal, under review (librarian, moves open)"] = audit(librarian)
    librarian.reload()
    accept = _open_move(librarian, "accepted")
    fund = accept.locator("select[name$='-fund_id']")
    expect(fund.locator(f"option[value='{ids['fund']}']")).to_have_count(1)
    fund.select_option(str(ids["fund"]))
    expect(accept.locator("input[name$='-override'][type=checkbox]")).not_to_be_checked()
    _submit_move(librarian, accept, fr("Accepted"))
    expect(librarian.locator("dl.fields a[href*='/staff/acquisitions/budgets']")).to_contain_text(str(ids["year"]))

    # ... where the estimate is committed, ...
    librarian.goto(f"{live_server}/staff/acquisitions/budgets")
    estimate = Decimal(ESTIMATE) * QUANTITY
    _expect_committed(librarian, fr("Find a job"), estimate, Decimal("500.00"))

    # ... and orders it from the supplier, at its price.
    librarian.goto(proposal_url)
    order = _open_move(librarian, "ordered")
    supplier = order.locator("select[name$='-supplier_id']")
    supplier.select_option(str(ids["supplier"]))
    order.locator("input[name$='-quantity']").fill(str(QUANTITY))
    order.locator("input[name$='-unit_price']").fill(ORDER_PRICE)
    _submit_move(librarian, order, fr("Ordered"))
    expect(librarian.locator("#status")).to_have_class(re.compile(r"\bstatus-ordered\b"))
    expect(librarian.locator("dl.fields")).to_contain_text("Librairie du Parcours")
    expect(librarian.locator("#history tbody tr")).to_have_count(4)
    found["proposal, ordered (librarian)"] = audit(librarian)

    # 3. The fund now commits the order's price, not the estimate.
    librarian.locator("nav.subnav a[href$='/staff/acquisitions/budgets']").press("Enter")
    librarian.wait_for_url(re.compile(r"/staff/acquisitions/budgets$"))
    ordered = Decimal(ORDER_PRICE) * QUANTITY
    _expect_committed(librarian, fr("Find a job"), ordered, Decimal("500.00"))
    for details in librarian.locator("main details").all():  # the librarian's fund forms too
        details.evaluate("d => d.open = true")
    found["budgets (librarian, fund forms open)"] = audit(librarian)

    # The proposer sees the end of it.
    counsellor.goto(proposal_url)
    expect(counsellor.locator("#status")).to_have_text(fr("Ordered"))
    with live_db.transaction() as session:
        proposal = session.get(Proposal, proposal_id)
        assert (proposal.status.value, proposal.isbn, proposal.duplicate_confirmed) == (
            "ordered", HELD_ISBN, True)
        assert proposal.fund_id == ids["fund"]
        assert (proposal.line.order.supplier_id, proposal.line.quantity, proposal.line.unit_price) == (
            ids["supplier"], QUANTITY, Decimal(ORDER_PRICE))

    print("\naxe-core WCAG 2.1 A/AA, violations per page:", {name: len(v) for name, v in found.items()})
    assert {name: v for name, v in found.items() if v} == {}


def _expect_committed(page, pole_name: str, committed: Decimal, allocated: Decimal) -> None:
    """The pole's row of the budgets table: allocated, committed, spent, remaining."""
    label = page.locator("th", has_text=re.compile(f"^{re.escape(pole_name)}$"))
    row = page.locator("table#budgets tbody tr").filter(has=label)
    expect(row).to_have_count(1)
    cells = row.locator("td")
    expect(cells.nth(0)).to_have_text(_money(allocated))
    expect(cells.nth(1)).to_have_text(_money(committed))
    expect(cells.nth(2)).to_have_text(_money(Decimal(0)))
    expect(cells.nth(3)).to_have_text(_money(allocated - committed))


def _money(value: Decimal) -> re.Pattern:
    """An amount as the page writes it in French: 1 500,00 (the group separator a narrow space)."""
    whole, cents = f"{value:.2f}".split(".")
    grouped = f"{int(whole):,}".replace(",", "\u202f")
    return re.compile(rf"^\s*{grouped},{cents}\s*$")
