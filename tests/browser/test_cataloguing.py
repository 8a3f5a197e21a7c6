"""Cataloguing as a new member of staff would do it, in headless Chromium
against the real server process (French interface, secure session cookie
over http://127.0.0.1)."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.support.factories import make_item, make_record, make_user
from tests.support.french import french_n

pytestmark = pytest.mark.browser

RECORD_PAGE = re.compile(r"/staff/records/(\d+)$")


def _record_id(page) -> int:
    match = RECORD_PAGE.search(page.url)
    assert match, f"not on a record page: {page.url}"
    return int(match.group(1))


def _item_row(page, barcode):
    cell = page.locator("td", has_text=re.compile(f"^{re.escape(barcode)}$"))
    return page.locator("#items tbody tr").filter(has=cell)


def _scan(page, barcode):
    """Type a barcode and Enter with the keyboard only, like a hand scanner."""
    field = page.locator("#barcode")
    expect(field).to_be_focused()
    page.keyboard.type(barcode)
    page.keyboard.press("Enter")
    expect(field).to_have_value("")
    expect(field).to_be_focused()


def test_documentalist_catalogues_a_work_adds_items_and_counts_uses(live_db, live_server, page,
                                                                    login, fr):
    make_user(live_db, "doc", role="documentalist")
    login(page, live_server, "doc")

    # The session cookie is Secure, and the browser keeps it over http://127.0.0.1.
    cookies = {c["name"]: c for c in page.context.cookies()}
    assert cookies["catalogue_session"]["secure"] is True
    assert cookies["catalogue_session"]["httpOnly"] is True
    expect(page.locator("html")).to_have_attribute("lang", "fr")

    # A new work through the form.
    page.goto(f"{live_server}/staff/records/new")
    expect(page.locator("#title")).to_be_focused()
    page.locator("#title").fill("Réussir son entretien d'embauche")
    page.locator("#contributors-0-name").fill("Martin, Léa")
    page.locator("#contributors-0-role").select_option("aut")
    page.locator("#publisher").fill("Éditions du Parcours")
    page.locator("#year").fill("2023")
    # The ISBN-10 of 978-2-07-036024-6 (2070360248 would have a wrong check digit).
    page.locator("#isbn").fill("2070360245")
    page.locator("#document_type").select_option("book")
    page.locator("input[name=poles][value=job_search]").check()
    page.locator("input[name=audiences][value=job_seeker]").check()
    page.screenshot(path="/tmp/record-form.png", full_page=True)
    page.locator("form.record-form button.primary").click()
    page.wait_for_url(RECORD_PAGE)
    record_id = _record_id(page)
    expect(page.locator("h1")).to_contain_text("Réussir son entretien d'embauche")
    fields = page.locator("dl.fields")
    expect(fields).to_contain_text("978-2-07-036024-6")  # the ISBN-10, shown as ISBN-13
    expect(fields).to_contain_text("Martin, Léa")
    expect(fields).to_contain_text("Éditions du Parcours, 2023")
    expect(fields).to_contain_text(fr("Find a job"))
    expect(fields).to_contain_text(fr("Job seekers"))

    # Two items: "Save and add another", then "Save".
    page.locator(f"a[href$='/staff/records/{record_id}/items/new']").click()
    page.wait_for_url(re.compile(rf"/staff/records/{record_id}/items/new$"))
    expect(page.locator("#barcode")).to_be_focused()
    page.locator("#barcode").fill("CMT0001")
    page.locator("button[name=then][value=another]").click()
    expect(page.locator(".flash.success")).to_contain_text("CMT0001")
    expect(page).to_have_url(re.compile(rf"/staff/records/{record_id}/items/new$"))
    expect(page.locator("#barcode")).to_have_value("")
    page.locator("#barcode").fill("CMT0002")
    page.locator("form button.primary").click()
    page.wait_for_url(RECORD_PAGE)
    expect(page.locator("#items tbody tr")).to_have_count(2)

    # Counting uses: keyboard only, one field, three scans.
    page.goto(f"{live_server}/staff/uses")
    for barcode in ("CMT0001", "CMT0002", "CMT0001"):
        _scan(page, barcode)
    log = page.locator("#scan-log li")
    expect(page.locator("#scan-log li.ok")).to_have_count(3)
    expect(log).to_have_count(3)
    expect(log.nth(0)).to_contain_text("CMT0001")  # newest first
    expect(log.nth(0)).to_contain_text("(2 consultations)")
    expect(log.nth(1)).to_contain_text("CMT0002")
    expect(log.nth(1)).to_contain_text("(1 consultation)")
    expect(log.nth(0)).to_contain_text(fr("Use recorded."))
    expect(page.locator("#scan-total")).to_have_text(_total(3, 0))
    page.screenshot(path="/tmp/scan.png", full_page=True)

    # The record page shows the counts and the history.
    page.goto(f"{live_server}/staff/records/{record_id}")
    expect(_item_row(page, "CMT0001").locator(".use-count")).to_have_text("2")
    expect(_item_row(page, "CMT0002").locator(".use-count")).to_have_text("1")
    history = page.locator("table.audit")
    expect(history.locator("tr.audit-create")).to_have_count(3)  # the work and its two items
    expect(history.locator("tr.audit-use")).to_have_count(3)
    for row in history.locator("tbody tr").all():
        expect(row.locator("td").nth(1)).to_have_text("Doc")

    # And so does the audit trail.
    page.goto(f"{live_server}/staff/audit")
    trail = page.locator("table.audit")
    expect(trail.locator("tbody tr")).to_have_count(6)
    expect(trail.locator("tr.audit-use")).to_have_count(3)
    created = trail.locator("tr.audit-create")
    expect(created).to_have_count(3)
    expect(created.filter(has_text=fr("work"))).to_have_count(1)
    expect(created.filter(has_text="CMT0001")).to_have_count(1)
    expect(created.filter(has_text="CMT0002")).to_have_count(1)
    for row in trail.locator("tbody tr").all():
        expect(row.locator("td").nth(1)).to_have_text("Doc")
        expect(row.locator("td a")).to_have_attribute("href", f"/staff/records/{record_id}")


def test_invalid_record_form_shows_each_error_next_to_its_field(live_db, live_server, page,
                                                                login, fr):
    make_user(live_db, "doc", role="documentalist")
    login(page, live_server, "doc")
    page.goto(f"{live_server}/staff/records/new")
    page.locator("#title").fill("")
    page.locator("#contributors-0-name").fill("Martin, Léa")
    page.locator("#year").fill("2999")
    page.locator("#isbn").fill("2070360249")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.locator("form.record-form button.primary").click()
    assert answer.value.status == 422
    page.wait_for_load_state()
    expect(page).to_have_url(f"{live_server}/staff/records/new")

    expected = {
        "title": fr("A work needs a title."),
        "year": fr("The year cannot be in the future."),
        "isbn": fr("This ISBN's check digit is wrong: check the number for a typing error."),
    }
    for name, message in expected.items():
        field = page.locator(f"#{name}")
        expect(field).to_have_attribute("aria-invalid", "true")
        expect(field).to_have_attribute("aria-describedby", re.compile(rf"\b{name}-errors\b"))
        expect(page.locator(f"#{name}-errors")).to_have_text(message)
        expect(page.locator(f".field.has-error:has(#{name}) #{name}-errors")).to_be_visible()
    if fr.translated:
        # The messages are in French, not the English source.
        assert "titre" in expected["title"].lower()
        assert "futur" in expected["year"].lower()
        assert "ISBN" in expected["isbn"]
        assert expected["title"] != "A work needs a title."
    expect(page.locator("#error-summary li")).to_have_count(3)
    for name in ("publisher", "document_type"):
        expect(page.locator(f"#{name}")).not_to_have_attribute("aria-invalid", "true")

    # What was typed is kept.
    expect(page.locator("#title")).to_have_value("")
    expect(page.locator("#year")).to_have_value("2999")
    expect(page.locator("#isbn")).to_have_value("2070360249")
    expect(page.locator("#contributors-0-name")).to_have_value("Martin, Léa")


def test_unknown_barcode_is_reported_and_scanning_goes_on(live_db, live_server, page, login, fr):
    make_user(live_db, "doc", role="documentalist")
    record = make_record(live_db)
    make_item(live_db, record.id, barcode="CMT0001")
    login(page, live_server, "doc")
    page.goto(f"{live_server}/staff/uses")
    for barcode in ("CMT0001", "INCONNU-404", "CMT0001"):
        _scan(page, barcode)
    log = page.locator("#scan-log li")
    expect(page.locator("#scan-log li.pending")).to_have_count(0)
    expect(log).to_have_count(3)
    failed = page.locator("#scan-log li.failed")
    expect(failed).to_have_count(1)
    expect(failed).to_contain_text("INCONNU-404")
    expect(failed).to_contain_text(fr("Unknown barcode: check it or catalogue the item."))
    expect(page.locator("#scan-log li.ok")).to_have_count(2)
    expect(log.nth(0)).to_contain_text("(2 consultations)")  # the scan after the error counted
    expect(page.locator("#scan-total")).to_have_text(_total(2, 1))

    page.goto(f"{live_server}/staff/records/{record.id}")
    expect(_item_row(page, "CMT0001").locator(".use-count")).to_have_text("2")


def test_counsellor_reads_but_cannot_edit_or_delete(live_db, live_server, page, login, fr):
    make_user(live_db, "conseil", role="counsellor", pole="job_search")
    record = make_record(live_db)
    make_item(live_db, record.id, barcode="CMT0001")
    login(page, live_server, "conseil")
    page.goto(f"{live_server}/staff/records/{record.id}")
    expect(page.locator("h1")).to_contain_text(record.title)
    expect(page.locator("#items tbody tr")).to_have_count(1)
    main = page.locator("main")
    expect(main.locator("a[href$='/edit']")).to_have_count(0)
    expect(main.locator("a[href$='/items/new']")).to_have_count(0)
    expect(main.locator("form[action$='/delete']")).to_have_count(0)
    expect(main.locator("button.danger")).to_have_count(0)
    expect(page.locator("nav a[href='/staff/records/new']")).to_have_count(0)

    # Posting to the delete address anyway, with a valid CSRF token, is refused.
    token = page.locator("input[name=csrf_token]").first.get_attribute("value")
    response = page.request.post(f"{live_server}/staff/records/{record.id}/delete",
                                 form={"csrf_token": token, "version": str(record.version)},
                                 max_redirects=0)
    assert response.status == 403
    status = page.evaluate(
        """async ([url, token]) => {
             const body = new FormData(); body.append("csrf_token", token);
             const r = await fetch(url, {method: "POST", body, credentials: "same-origin",
                                         redirect: "manual"});
             return r.status; }""",
        [f"{live_server}/staff/records/{record.id}/delete", token])
    assert status == 403
    page.goto(f"{live_server}/staff/records/{record.id}/edit")
    expect(page.locator("h1")).to_have_text(fr("Your role does not allow this action."))
    page.goto(f"{live_server}/staff/records/{record.id}")
    expect(page.locator("h1")).to_contain_text(record.title)


def test_visitor_is_sent_to_login(live_server, page, fr):
    response = page.goto(f"{live_server}/staff/records")
    assert response.ok
    expect(page).to_have_url(re.compile(r"/login\?next=%2Fstaff%2Frecords"))
    expect(page.locator(".flash")).to_have_text(fr("Please log in to reach the staff pages."))
    expect(page.locator("#username")).to_be_focused()


def test_second_save_of_the_same_record_gets_a_version_conflict(live_db, live_server, new_page,
                                                                login, fr):
    make_user(live_db, "doc", role="documentalist")
    make_user(live_db, "doc2", role="documentalist")
    record = make_record(live_db, title="Les métiers du soin")
    first, second = new_page(), new_page()
    login(first, live_server, "doc")
    login(second, live_server, "doc2")
    edit_url = f"{live_server}/staff/records/{record.id}/edit"
    first.goto(edit_url)
    second.goto(edit_url)

    first.locator("#title").fill("Les métiers du soin et de l'aide")
    first.locator("form.record-form button.primary").click()
    first.wait_for_url(RECORD_PAGE)
    expect(first.locator("h1")).to_contain_text("Les métiers du soin et de l'aide")

    second.locator("#title").fill("Métiers du soin : guide 2024")
    with second.expect_response(lambda r: r.request.method == "POST") as answer:
        second.locator("form.record-form button.primary").click()
    assert answer.value.status == 409
    second.wait_for_load_state()
    panel = second.locator("#conflict")
    expect(panel).to_be_visible()
    title_label = re.compile(f"^{re.escape(fr('Title'))}$")  # field names shown translated
    title_row = panel.locator("tbody tr").filter(has=second.locator("th", has_text=title_label))
    expect(title_row.locator("td.stored")).to_have_text("Les métiers du soin et de l'aide")
    expect(title_row.locator("td.mine")).to_have_text("Métiers du soin : guide 2024")
    expect(panel.locator("tbody tr")).to_have_count(1)  # only the field that really differs
    expect(second.locator("#title")).to_have_value("Métiers du soin : guide 2024")

    # The first save stands.
    first.goto(f"{live_server}/staff/records/{record.id}")
    expect(first.locator("h1")).to_contain_text("Les métiers du soin et de l'aide")
    expect(first.locator("table.audit tr.audit-update")).to_have_count(1)


def _total(ok: int, failed: int) -> str:
    """The running total as the French page words it: French takes the
    singular for 0 and 1 ("0 non enregistrée")."""
    return (french_n("%(count)s use recorded", "%(count)s uses recorded", ok, count=ok) + ", "
            + french_n("%(count)s not recorded", "%(count)s not recorded", failed, count=failed))
