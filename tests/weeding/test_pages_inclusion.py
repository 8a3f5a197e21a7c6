"""A campaign's page, two things the API and the audit trail had before it:
staff take an excluded candidate back from the page (only those who may
exclude it, never over a change made meanwhile, never once the campaign is
closed), and a decided row says who decided, when, and their comment."""
from __future__ import annotations

import re

from sqlalchemy import select, update

from core.audit import AuditEvent
from tests.support.factories import csrf_token
from tests.weeding.support import rule
from tests.weeding.test_pages import HUGE, URL, candidate, form_version, log_in, opened
from weeding.models import WeedingCandidate, WeedingEvent


def excluded_by_page(client, page: str, token: str, item_id: int, reason: str = "Fonds patrimonial") -> None:
    version = form_version(client.get(page).get_data(as_text=True), f"x{item_id}")
    response = client.post(f"{page}/candidates/{item_id}/exclusion",
                           data={"csrf_token": token, f"x{item_id}-reason": reason, f"x{item_id}-version": version})
    assert response.status_code == 302


def row_of(html: str, item_id: int) -> str:
    return html.split(f'id="c{item_id}"')[1].split("</tr>")[0]


def include(client, page: str, token: str, item_id: int, version: str, query: str = ""):
    return client.post(f"{page}/candidates/{item_id}/inclusion{query}",
                       data={"csrf_token": token, f"i{item_id}-version": version})


def test_staff_take_an_excluded_candidate_back_from_the_page(client, db, staff, shelf):
    rule(db, max_age_years=5)
    flagged = shelf.copy(year=2000)
    shelf.copy(year=2001)
    campaign_id = opened(client, staff)
    page = f"/staff/weeding/campaigns/{campaign_id}"
    log_in(client, staff, "doc")
    client.get(page + "?lang=en")  # staff keep their language in the session
    token = csrf_token(client, page)
    assert 'class="include"' not in client.get(f"{page}?state=excluded").get_data(as_text=True)
    excluded_by_page(client, page, token, flagged.id)

    listed = client.get(f"{page}?state=excluded").get_data(as_text=True)
    row = row_of(listed, flagged.id)
    assert 'class="include"' in row and "Include in the campaign again" in row and 'csrf_token" type="hidden"' in row
    version = form_version(listed, f"i{flagged.id}")
    assert include(client, page, "", flagged.id, version).status_code == 400  # no CSRF token
    back = include(client, page, token, flagged.id, version, "?state=excluded")
    assert back.status_code == 302 and back.headers["Location"].endswith("?state=excluded#candidates")
    shown = client.get(back.headers["Location"]).get_data(as_text=True)
    assert f"{flagged.barcode} is a candidate of the campaign again." in shown
    assert f'id="c{flagged.id}"' not in shown  # no longer among the excluded
    again = candidate(db, campaign_id, flagged.id)
    assert again.excluded_at is None and again.exclusion_reason is None
    everything = client.get(page).get_data(as_text=True)
    assert f'id="c{flagged.id}"' in everything and 'class="exclude"' in row_of(everything, flagged.id)
    assert "2 candidates, 2 to decide, 0 excluded" in everything

    with db.session() as session:
        trail = list(session.scalars(select(AuditEvent.action).where(
            AuditEvent.entity_type == "weeding_candidate", AuditEvent.entity_id == again.id).order_by(AuditEvent.id)))
        events = list(session.scalars(select(WeedingEvent.kind).where(WeedingEvent.candidate_id == again.id)
                                      .order_by(WeedingEvent.id)))
    assert trail == ["weeding.excluded", "weeding.included"] and events == ["excluded", "included"]

    # Posted twice (two tabs): the second one changes nothing, whatever version it carries.
    twice = include(client, page, token, flagged.id, version)
    assert twice.status_code == 302
    assert "was already a candidate of the campaign: nothing changed." in client.get(
        twice.headers["Location"]).get_data(as_text=True)
    with db.session() as session:
        assert session.scalar(select(WeedingEvent.kind).where(WeedingEvent.candidate_id == again.id)
                              .order_by(WeedingEvent.id.desc())) == "included"


def test_taking_back_is_refused_to_other_roles_over_a_change_and_once_closed(client, db, staff, shelf):
    rule(db, max_age_years=5)
    flagged = shelf.copy(year=2000)
    campaign_id = opened(client, staff)
    page = f"/staff/weeding/campaigns/{campaign_id}"
    response = client.post(f"{URL}/{campaign_id}/exclusions", json={"item_id": flagged.id, "reason": "Patrimoine"},
                           headers=staff.headers("doc"))
    assert response.status_code == 200, response.get_json()
    stale = str(response.get_json()["version"])

    log_in(client, staff, "sophie")  # a counsellor votes, but neither excludes nor takes back
    listed = client.get(f"{page}?state=excluded").get_data(as_text=True)
    assert f'id="c{flagged.id}"' in listed and 'class="include"' not in listed
    token = csrf_token(client, page)
    assert include(client, page, token, flagged.id, stale).status_code == 403
    client.post("/logout", data={"csrf_token": token})
    assert include(client, page, token, flagged.id, stale).status_code in (302, 400)  # signed out: no way in
    assert candidate(db, campaign_id, flagged.id).excluded_at is not None

    log_in(client, staff, "lise")  # the librarian may exclude, so she may take back
    token = csrf_token(client, page)
    version = form_version(client.get(f"{page}?state=excluded").get_data(as_text=True), f"i{flagged.id}")
    assert version == stale
    # Meanwhile, someone takes it back and excludes it again with another reason.
    for path, body in (("inclusions", {}), ("exclusions", {"reason": "Don d'un ancien directeur"})):
        changed = client.post(f"{URL}/{campaign_id}/{path}", json={"item_id": flagged.id, **body},
                              headers=staff.headers("doc"))
        assert changed.status_code == 200, changed.get_json()
    conflict = include(client, page, token, flagged.id, version, "?lang=en")
    html = conflict.get_data(as_text=True)
    assert conflict.status_code == 409 and 'id="alert"' in html and "meanwhile" in html
    assert candidate(db, campaign_id, flagged.id).exclusion_reason == "Don d'un ancien directeur"

    other = shelf.copy(year=2001)  # a copy of the centre, not a candidate of this campaign
    assert include(client, page, token, other.id, "1").status_code == 422
    assert include(client, page, token, int(HUGE), "1").status_code == 404  # no row has such a number
    for odd in (f"/staff/weeding/campaigns/{HUGE}", "/staff/weeding/campaigns/0"):
        assert include(client, odd, token, flagged.id, "1").status_code == 404, odd
    for value in ("\x00", "x" * 5000, HUGE, "-1", ""):
        assert include(client, page, token, flagged.id, value).status_code < 500, value

    closing = client.get(f"{URL}/{campaign_id}", headers=staff.headers("lise")).get_json()
    closed = client.post(f"{URL}/{campaign_id}/close", json={"version": closing["version"]},
                         headers=staff.headers("lise"))
    assert closed.status_code == 200, closed.get_json()
    listed = client.get(f"{page}?state=excluded").get_data(as_text=True)
    assert f'id="c{flagged.id}"' in listed and 'class="include"' not in listed  # closed: nothing to do any more
    late = include(client, page, token, flagged.id, str(candidate(db, campaign_id, flagged.id).version))
    assert late.status_code == 409 and 'id="alert"' in late.get_data(as_text=True)
    assert candidate(db, campaign_id, flagged.id).excluded_at is not None


def test_a_decided_row_says_who_decided_when_and_the_comment_as_text(client, db, staff, shelf):
    rule(db, max_age_years=5)
    decided, quiet, pending = (shelf.copy(year=2000 + n) for n in range(3))
    campaign_id = opened(client, staff)
    page = f"/staff/weeding/campaigns/{campaign_id}"
    log_in(client, staff, "lise")
    html = client.get(page + "?lang=en").get_data(as_text=True)
    token = csrf_token(client, page)
    comment = '<script>alert("x")</script> Périmé'
    response = client.post(f"{page}/candidates/{decided.id}/decision",
                           data={"csrf_token": token, f"d{decided.id}-decision": "keep",
                                 f"d{decided.id}-comment": comment,
                                 f"d{decided.id}-version": form_version(html, f"d{decided.id}")})
    assert response.status_code == 302
    kept = client.post(f"{URL}/{campaign_id}/decisions", json={"item_id": quiet.id, "decision": "keep"},
                       headers=staff.headers("paul"))
    assert kept.status_code == 200, kept.get_json()

    html = client.get(page).get_data(as_text=True)
    row = row_of(html, decided.id)
    assert re.search(r"Decided by Lise on \w", row)
    assert "<q>&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; Périmé</q>" in row and "<script>" not in row
    row = row_of(html, quiet.id)
    assert "Decided by Paul on" in row and "<q>" not in row  # no comment, no quotation
    assert "Decided by" not in row_of(html, pending.id)

    with db.transaction() as session:  # the decider's account is gone: the date still shows
        session.execute(update(WeedingCandidate).where(WeedingCandidate.item_id == quiet.id)
                        .values(decided_by_id=None))
    row = row_of(client.get(page).get_data(as_text=True), quiet.id)
    assert "Decided on" in row and "Decided by" not in row
