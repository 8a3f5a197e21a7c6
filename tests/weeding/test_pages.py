"""The weeding campaigns' pages as the staff meet them: a librarian opens a
campaign from the list (field errors on a bad scope), reads its page with
each pole's progress, decides one by one and in bulk (never over a keep
vote, never over a change made meanwhile), closes it and downloads the
withdrawn copies; staff add copies by barcode and exclude candidates."""
from __future__ import annotations

import csv
import io
import re

from sqlalchemy import select

from catalogue.models import Item
from tests.support.factories import PASSWORD, csrf_token, login
from tests.weeding.support import NOW, rule
from weeding.models import WeedingCandidate

URL = "/api/v1/weeding/campaigns"
HUGE = "99999999999999999999999"


def errors_on(html: str) -> set[str]:
    """The ids of the fields shown with an error."""
    return set(re.findall(r'id="([\w-]+)-errors"', html))


def log_in(client, staff, username: str) -> None:
    staff.create(username)
    login(client, username, PASSWORD)


def opened(client, staff, scope=None) -> int:
    response = client.post(URL, json={"name": "Parcours 2026", "scope": scope or {"pole": "pathway"}},
                           headers=staff.headers("lise"))
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def vote(client, staff, campaign_id, item_id, verdict, who="sophie", **body):
    response = client.post(f"{URL}/{campaign_id}/votes", json={"item_id": item_id, "vote": verdict, **body},
                           headers=staff.headers(who))
    assert response.status_code in (200, 201), response.get_json()
    return response.get_json()


def candidate(db, campaign_id: int, item_id: int) -> WeedingCandidate:
    with db.session() as session:
        found = session.scalar(select(WeedingCandidate).where(WeedingCandidate.campaign_id == campaign_id,
                                                              WeedingCandidate.item_id == item_id))
        session.expunge(found)
        return found


def status_of(db, item_id: int) -> str:
    with db.session() as session:
        return session.get(Item, item_id).status.value


def form_version(html: str, prefix: str) -> str:
    return re.search(rf'id="{prefix}-version" name="{prefix}-version" type="hidden" value="(\d+)"', html).group(1)


def test_a_librarian_opens_a_campaign_and_a_bad_scope_is_refused_field_by_field(client, db, staff, shelf):
    kept = rule(db, name="Méthodes", max_age_years=5)
    rule(db, name="Ancienne", max_age_years=1, active=False)
    old = shelf.copy(title="Le CV pas à pas", year=NOW.year - 12)
    log_in(client, staff, "lise")
    listing = client.get("/staff/weeding")
    assert listing.status_code == 200
    html = listing.get_data(as_text=True)
    assert 'id="open-form"' in html and f'id="rules-{kept}" value="{kept}" checked' in html
    assert "Ancienne" not in html  # only active rules judge a new campaign
    token = csrf_token(client, "/staff/weeding")

    refused = client.post("/staff/weeding/campaigns", data={"csrf_token": token, "name": "", "pole": "nowhere",
                                                            "shelf": "x" * 101, "rules": [str(kept)]})
    assert refused.status_code == 422
    assert errors_on(refused.get_data(as_text=True)) == {"name", "pole", "shelf"}
    none_ticked = client.post("/staff/weeding/campaigns", data={"csrf_token": token, "name": "Parcours"})
    assert none_ticked.status_code == 422 and errors_on(none_ticked.get_data(as_text=True)) == {"rules"}
    unknown = client.post("/staff/weeding/campaigns", data={"csrf_token": token, "name": "Parcours",
                                                           "rules": [HUGE, "abc"]})
    assert unknown.status_code == 422
    assert client.post("/staff/weeding/campaigns", data={"name": "Sans jeton"}).status_code == 400

    done = client.post("/staff/weeding/campaigns", data={"csrf_token": token, "name": "Parcours 2026",
                                                         "pole": "pathway", "document_type": "book",
                                                         "rules": [str(kept)]})
    assert done.status_code == 302
    page = client.get(done.headers["Location"] + "?lang=en")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Parcours 2026" in html and "Le CV pas à pas" in html
    assert f'id="c{old.id}"' in html and f"published in {NOW.year - 12}, 12 years ago (threshold: 5 years)" in html
    assert "Organise one&#39;s career and training" in html and "Méthodes" in html
    assert client.get("/staff/weeding?lang=en").get_data(as_text=True).count('id="campaign-') == 1


def test_who_reaches_the_campaign_pages(client, db, staff, shelf):
    rule(db, max_age_years=5)
    shelf.copy(year=2000)
    campaign_id = opened(client, staff)
    assert client.get("/staff/weeding").status_code == 302  # to the login page
    log_in(client, staff, "claire")
    listing = client.get("/staff/weeding").get_data(as_text=True)
    assert 'id="open-form"' not in listing and f"/staff/weeding/campaigns/{campaign_id}" in listing
    page = client.get(f"/staff/weeding/campaigns/{campaign_id}").get_data(as_text=True)
    assert 'class="decide"' not in page and 'id="bulk-form"' not in page and 'id="close-form"' not in page
    assert 'id="add-form"' not in page  # claire does not catalogue
    token = csrf_token(client, "/staff/weeding")
    assert client.post("/staff/weeding/campaigns", data={"csrf_token": token, "name": "x"}).status_code == 403
    assert client.post(f"/staff/weeding/campaigns/{campaign_id}/close",
                       data={"csrf_token": token, "confirm": "y"}).status_code == 403
    for path in (f"/staff/weeding/campaigns/{HUGE}", "/staff/weeding/campaigns/0",
                 f"/staff/weeding/campaigns/{HUGE}/withdrawn.csv"):
        assert client.get(path).status_code == 404, path
    odd = client.get(f"/staff/weeding/campaigns/{campaign_id}?state=nope&page={HUGE}&size=-3")
    assert odd.status_code == 200


def test_the_campaign_shows_each_poles_progress_and_who_has_not_reviewed(client, db, staff, shelf):
    rule(db, max_age_years=5)
    first = shelf.copy(title="Bilan de compétences", year=2000)
    shelf.copy(title="Se former à 40 ans", year=2001)
    campaign_id = opened(client, staff)
    vote(client, staff, campaign_id, first.id, "withdraw", flags=["mustie:ugly"], comment="Couverture arrachée")
    staff.create("marc")
    log_in(client, staff, "lise")
    html = client.get(f"/staff/weeding/campaigns/{campaign_id}?lang=en").get_data(as_text=True)
    progress = html.split('id="progress-pathway"')[1].split("</tr>")[0]
    assert '<progress max="2" value="1"' in progress and "1 of 2" in progress
    assert "Marc" in progress and "Sophie" in progress  # both have candidates left
    row = html.split(f'id="c{first.id}"')[1].split("</tr>")[0]
    assert "Sophie" in row and "Withdraw" in row and "MUSTIE : Ugly: worn beyond mending" in row
    assert "Couverture arrachée" in row
    pending = client.get(f"/staff/weeding/campaigns/{campaign_id}?state=kept_by_vote").get_data(as_text=True)
    assert f'id="c{first.id}"' not in pending


def test_decisions_one_by_one_and_in_bulk_never_override_a_keep_vote(client, db, staff, shelf):
    rule(db, max_age_years=5)
    one, two, kept, rest = (shelf.copy(year=2000 + n) for n in range(4))
    campaign_id = opened(client, staff)
    page = f"/staff/weeding/campaigns/{campaign_id}"
    log_in(client, staff, "lise")
    html = client.get(page).get_data(as_text=True)
    stale_version = form_version(html, f"d{two.id}")
    vote(client, staff, campaign_id, kept.id, "keep")
    vote(client, staff, campaign_id, two.id, "replace")  # after the page was read
    html = client.get(page + "?lang=en").get_data(as_text=True)
    assert 'id="bulk-kept"' in html and "1 of them was voted keep" in html
    token = csrf_token(client, page)

    decided = client.post(f"{page}/candidates/{one.id}/decision?state=pending",
                          data={"csrf_token": token, f"d{one.id}-decision": "withdraw",
                                f"d{one.id}-disposal": "donation", f"d{one.id}-comment": "Périmé",
                                f"d{one.id}-version": form_version(html, f"d{one.id}")})
    assert decided.status_code == 302 and decided.headers["Location"].endswith(f"?state=pending#c{one.id}")
    assert status_of(db, one.id) == "withdrawn"
    assert candidate(db, campaign_id, one.id).disposal.value == "donation"

    stale = client.post(f"{page}/candidates/{two.id}/decision",
                        data={"csrf_token": token, f"d{two.id}-decision": "withdraw", f"d{two.id}-version": stale_version})
    assert stale.status_code == 409 and 'id="alert"' in stale.get_data(as_text=True)
    assert candidate(db, campaign_id, two.id).decision is None and status_of(db, two.id) == "available"
    bad = client.post(f"{page}/candidates/{two.id}/decision",
                      data={"csrf_token": token, f"d{two.id}-decision": "burn", f"d{two.id}-disposal": "fire",
                            f"d{two.id}-version": "x"})
    assert bad.status_code == 422 and {f"d{two.id}-decision", f"d{two.id}-disposal"} <= errors_on(
        bad.get_data(as_text=True))
    outside = client.post(f"{page}/candidates/999999/decision",
                          data={"csrf_token": token, "d999999-decision": "keep"})
    assert outside.status_code == 422
    no_row = client.post(f"{page}/candidates/{HUGE}/decision", data={"csrf_token": token, f"d{HUGE}-decision": "keep"})
    assert no_row.status_code == 404  # no row has such a number: the address finds nothing
    assert client.post(f"{page}/candidates/{two.id}/decision",
                       data={f"d{two.id}-decision": "withdraw"}).status_code == 400  # no CSRF token

    bulk = client.post(f"{page}/decisions?lang=en", data={"csrf_token": token, "decision": "withdraw",
                                                          "disposal": "pulping"})
    assert bulk.status_code == 302 and bulk.headers["Location"].endswith("?state=pending#candidates")
    after = client.get(bulk.headers["Location"]).get_data(as_text=True)
    assert "2 candidates decided." in after and "1 candidate a counsellor voted to keep was left out" in after
    assert kept.barcode in after.split('class="flashes"')[1].split("</ul>")[0]
    assert f'id="c{kept.id}"' in after and f'id="c{rest.id}"' not in after  # the pending one left
    assert status_of(db, kept.id) == "available" and candidate(db, campaign_id, kept.id).decision is None
    assert status_of(db, two.id) == "withdrawn" and status_of(db, rest.id) == "withdrawn"

    again = client.post(f"{page}/candidates/{one.id}/decision",
                        data={"csrf_token": token, f"d{one.id}-decision": "keep", f"d{one.id}-version": "99"})
    assert again.status_code == 409 and status_of(db, one.id) == "withdrawn"  # another decision after one


def test_staff_add_a_copy_by_barcode_and_exclude_with_a_reason(client, db, staff, shelf):
    rule(db, max_age_years=5)
    flagged = shelf.copy(year=2000)
    recent = shelf.copy(year=NOW.year)
    campaign_id = opened(client, staff)
    page = f"/staff/weeding/campaigns/{campaign_id}"
    log_in(client, staff, "doc")
    html = client.get(page).get_data(as_text=True)
    assert 'id="add-form"' in html and 'id="bulk-form"' not in html and 'class="decide"' not in html
    token = csrf_token(client, page)

    unknown = client.post(f"{page}/candidates", data={"csrf_token": token, "barcode": "NOPE-1"})
    assert unknown.status_code == 422 and errors_on(unknown.get_data(as_text=True)) == {"barcode"}
    added = client.post(f"{page}/candidates", data={"csrf_token": token, "barcode": f" {recent.barcode} ",
                                                    "comment": "Doublon"})
    assert added.status_code == 302 and added.headers["Location"].endswith(f"#c{recent.id}")
    assert candidate(db, campaign_id, recent.id).source.value == "manual"

    version = form_version(client.get(page).get_data(as_text=True), f"x{flagged.id}")
    empty = client.post(f"{page}/candidates/{flagged.id}/exclusion",
                        data={"csrf_token": token, f"x{flagged.id}-reason": "  ", f"x{flagged.id}-version": version})
    assert empty.status_code == 422 and errors_on(empty.get_data(as_text=True)) == {f"x{flagged.id}-reason"}
    excluded = client.post(f"{page}/candidates/{flagged.id}/exclusion",
                           data={"csrf_token": token, f"x{flagged.id}-reason": "Fonds patrimonial",
                                 f"x{flagged.id}-version": version})
    assert excluded.status_code == 302
    listed = client.get(f"{page}?state=excluded").get_data(as_text=True)
    assert f'id="c{flagged.id}"' in listed and "Fonds patrimonial" in listed

    client.post("/logout", data={"csrf_token": token})
    log_in(client, staff, "sophie")
    token = csrf_token(client, page)
    assert client.post(f"{page}/candidates", data={"csrf_token": token, "barcode": recent.barcode}).status_code == 403


def test_closing_shows_the_report_and_the_withdrawn_copies_as_csv(client, db, staff, shelf):
    rule(db, max_age_years=5)
    gone = shelf.copy(title="Le droit du travail 2009", year=2009)
    stays = shelf.copy(title="Réussir sa VAE", year=2008)
    campaign_id = opened(client, staff)
    page = f"/staff/weeding/campaigns/{campaign_id}"
    for item, decision in ((gone, "withdraw"), (stays, "keep")):
        response = client.post(f"{URL}/{campaign_id}/decisions", json={
            "item_id": item.id, "decision": decision, **({"disposal": "pulping"} if decision == "withdraw" else {})},
            headers=staff.headers("lise"))
        assert response.status_code == 200, response.get_json()
    log_in(client, staff, "lise")
    html = client.get(page).get_data(as_text=True)
    assert 'id="closing-report"' not in html
    version = re.search(r'id="version" name="version" type="hidden" value="(\d+)"', html).group(1)
    token = csrf_token(client, page)
    unconfirmed = client.post(f"{page}/close", data={"csrf_token": token, "version": version})
    assert unconfirmed.status_code == 422 and errors_on(unconfirmed.get_data(as_text=True)) == {"confirm"}
    stale = client.post(f"{page}/close", data={"csrf_token": token, "version": "99", "confirm": "y"})
    assert stale.status_code == 409
    closed = client.post(f"{page}/close", data={"csrf_token": token, "version": version, "confirm": "y"})
    assert closed.status_code == 302 and closed.headers["Location"].endswith("#closing-report")

    report = client.get(page + "?lang=en").get_data(as_text=True)
    assert 'id="closing-report"' in report and 'id="close-form"' not in report and 'class="decide"' not in report
    by_pole = report.split('id="decisions-by-pole"')[1].split("</table>")[0]
    assert "Organise one&#39;s career and training</th><td>1</td><td>1</td>" in by_pole
    ages = report.split('id="age-profile"')[1].split("</table>")[0]
    assert re.search(r"<th scope=\"row\">2000–2009</th><td>2</td><td>1</td><td>-1</td>", ages), ages
    assert "<svg" in report.split('id="closing-report"')[1]
    assert client.post(f"{page}/close", data={"csrf_token": token, "version": version, "confirm": "y"}
                       ).status_code == 409  # closed already

    download = client.get(f"{page}/withdrawn.csv")
    assert download.status_code == 200 and download.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in download.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(download.get_data().decode("utf-8"))))
    assert rows[0] == ["item_id", "barcode", "title", "authors", "year", "call_number", "poles", "reasons",
                       "withdrawn_at", "disposal", "price"]
    assert len(rows) == 2 and rows[1][:3] == [str(gone.id), gone.barcode, "Le droit du travail 2009"]
    assert rows[1][9] == "pulping"


def test_odd_input_never_gets_a_server_error(client, db, staff, shelf):
    rule(db, max_age_years=5)
    item = shelf.copy(year=2000)
    campaign_id = opened(client, staff)
    page = f"/staff/weeding/campaigns/{campaign_id}"
    log_in(client, staff, "lise")
    token = csrf_token(client, page)
    odd = ["\x00", "x" * 5000, HUGE, "-1", "é\x00é", ""]
    for value in odd:
        posts = {
            "/staff/weeding/campaigns": {"name": value, "pole": value, "document_type": value, "shelf": value,
                                         "location": value, "rules": [value]},
            f"{page}/candidates/{item.id}/decision": {f"d{item.id}-decision": value, f"d{item.id}-disposal": value,
                                                      f"d{item.id}-comment": value, f"d{item.id}-version": value},
            f"{page}/decisions": {"decision": value, "disposal": value, "comment": value},
            f"{page}/candidates": {"barcode": value, "comment": value},
            f"{page}/candidates/{item.id}/exclusion": {f"x{item.id}-reason": value, f"x{item.id}-version": value},
            f"{page}/close": {"version": value},
            "/staff/weeding/rules/new": {"name": value, "position": value, "concept_id": value, "pole": value,
                                         "max_age_years": value, "conditions": [value], "justification": value},
        }
        for url, data in posts.items():
            response = client.post(url, data={"csrf_token": token, **data})
            assert response.status_code < 500, (url, value)
        for url in (f"{page}?state={value}&page={value}&size={value}", f"{page}/withdrawn.csv?x={value}"):
            assert client.get(url).status_code < 500, url
