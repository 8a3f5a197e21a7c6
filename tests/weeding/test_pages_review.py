"""The counsellor's review without JavaScript: the queue of their pole's
campaigns, one candidate at a time with its figures, a plain form whose
vote moves on to the next candidate not yet voted, and a stale page that
overwrites nothing."""
from __future__ import annotations

import re

from sqlalchemy import select

from tests.support.factories import PASSWORD, csrf_token, login
from tests.weeding.support import NOW, rule, years_ago
from tests.weeding.test_pages import HUGE, errors_on, log_in, opened, vote
from weeding.models import WeedingCandidate, WeedingVote


def votes_of(db, username_id: int) -> dict[int, tuple]:
    with db.session() as session:
        return {item_id: (v.vote.value, v.flags, v.comment) for v, item_id in session.execute(
            select(WeedingVote, WeedingCandidate.item_id).join(WeedingCandidate).where(
                WeedingVote.user_id == username_id))}


def hidden(html: str, name: str) -> str:
    return re.search(rf'name="{name}" type="hidden" value="([^"]*)"', html).group(1)


def test_a_counsellor_votes_one_candidate_after_another(client, db, staff, shelf):
    rule(db, max_age_years=5)
    first = shelf.copy(title="Guide des formations 2012", year=2012, uses=[years_ago(3)], condition="worn",
                       call_number="PAR 3 GUI")
    second = shelf.copy(title="Annuaire des CFA", year=2010)
    third = shelf.copy(title="Se reconvertir", year=2011)
    shelf.copy(year=2000, poles=["job_search"])  # another pole's campaign
    campaign_id = opened(client, staff)
    opened(client, staff, scope={"pole": "job_search"})
    vote(client, staff, campaign_id, first.id, "keep", who="marc", comment="Encore demandé")
    sophie = staff.create("sophie")
    login(client, "sophie", PASSWORD)

    queue = client.get("/staff/weeding/review?lang=en").get_data(as_text=True)
    assert f'id="queue-{campaign_id}"' in queue and queue.count('id="queue-') == 1
    assert f"/staff/weeding/campaigns/{campaign_id}/review" in queue
    url = f"/staff/weeding/campaigns/{campaign_id}/review"
    page = client.get(url + "?lang=en").get_data(as_text=True)
    assert "Candidate 1 of 3" in page and "3 left for you to vote on" in page
    assert "Guide des formations 2012" in page and "PAR 3 GUI" in page and "Worn" in page
    assert 'id="uses">1<' in page and "Espace emploi" in page
    assert "published in 2012" in page and "Marc" in page and "Encore demandé" in page
    assert re.search(r'<button type="submit" name="vote" value="keep" id="vote-keep" accesskey="k"[^>]*autofocus', page)
    for verdict, key in (("withdraw", "r"), ("replace", "p"), ("transfer", "t"), ("repair", "a")):
        assert f'value="{verdict}" id="vote-{verdict}" accesskey="{key}"' in page
    assert 'accesskey="j"' in page and "<kbd>k</kbd>" in page and "review.js" in page
    assert 'id="flag-mustie-ugly"' in page and 'id="flag-ioupi-worn"' in page
    token = csrf_token(client, url)

    moved = client.post(url, data={"csrf_token": token, "item_id": str(first.id), "version": hidden(page, "version"),
                                   "vote": "withdraw", "flags": ["mustie:ugly", "ioupi:old"], "comment": "Périmé"})
    assert moved.status_code == 302 and moved.headers["Location"].endswith(f"{url}?item={second.id}")
    assert votes_of(db, sophie) == {first.id: ("withdraw", ["ioupi:old", "mustie:ugly"], "Périmé")}
    page = client.get(moved.headers["Location"] + "&lang=en").get_data(as_text=True)
    assert "Candidate 2 of 3" in page and "2 left for you to vote on" in page and "Annuaire des CFA" in page

    # The third first, then the second: the queue goes round to what is left.
    page = client.get(f"{url}?item={third.id}").get_data(as_text=True)
    moved = client.post(url, data={"csrf_token": token, "item_id": str(third.id), "version": "0", "vote": "keep"})
    assert moved.headers["Location"].endswith(f"?item={second.id}")
    moved = client.post(url, data={"csrf_token": token, "item_id": str(second.id), "version": "0", "vote": "repair"})
    assert moved.headers["Location"].endswith(url)
    done = client.get(url + "?lang=en").get_data(as_text=True)
    assert 'id="finished"' in done and "You have voted on every candidate" in done
    assert {item: v[0] for item, v in votes_of(db, sophie).items()} == {
        first.id: "withdraw", second.id: "repair", third.id: "keep"}

    # A page read before the vote (no vote then: version 0) overwrites nothing.
    stale = client.post(url, data={"csrf_token": token, "item_id": str(second.id), "version": "0", "vote": "keep"})
    assert stale.status_code == 409 and 'id="alert"' in stale.get_data(as_text=True)
    assert votes_of(db, sophie)[second.id][0] == "repair"
    # Going back to a candidate shows one's vote, and changing it takes its version.
    page = client.get(f"{url}?item={second.id}").get_data(as_text=True)
    assert 'class="vote chosen"' in page and hidden(page, "version") == "1"
    changed = client.post(url, data={"csrf_token": token, "item_id": str(second.id), "version": "1",
                                     "vote": "transfer"})
    assert changed.status_code == 302 and votes_of(db, sophie)[second.id][0] == "transfer"


def test_bad_votes_show_on_their_fields_and_nothing_is_written(client, db, staff, shelf):
    rule(db, max_age_years=5)
    item = shelf.copy(year=2000)
    campaign_id = opened(client, staff)
    sophie = staff.create("sophie")
    login(client, "sophie", PASSWORD)
    url = f"/staff/weeding/campaigns/{campaign_id}/review"
    token = csrf_token(client, url)
    no_vote = client.post(url, data={"csrf_token": token, "item_id": str(item.id), "comment": "Sans avis"})
    assert no_vote.status_code == 422 and "vote" in errors_on(no_vote.get_data(as_text=True))
    assert "Sans avis" in no_vote.get_data(as_text=True)  # what was typed is kept
    flags = client.post(url, data={"csrf_token": token, "item_id": str(item.id), "vote": "keep", "flags": "nope"})
    assert flags.status_code == 422
    for value in ("\x00", "x" * 3000, HUGE, "-1"):
        odd = client.post(url, data={"csrf_token": token, "item_id": value, "vote": value, "flags": [value],
                                     "comment": value, "version": value})
        assert odd.status_code == 422, value
    outside = client.post(url, data={"csrf_token": token, "item_id": HUGE, "vote": "keep"})
    assert outside.status_code == 422
    assert client.post(url, data={"item_id": str(item.id), "vote": "keep"}).status_code == 400  # no CSRF token
    assert votes_of(db, sophie) == {}
    assert client.get(f"{url}?item={HUGE}").status_code == 200  # falls back to the first to vote on
    assert client.get(f"/staff/weeding/campaigns/{HUGE}/review").status_code == 404


def test_only_the_counsellors_of_the_campaigns_poles_review_it(client, db, staff, shelf):
    rule(db, max_age_years=5)
    shelf.copy(year=NOW.year - 20)
    campaign_id = opened(client, staff)
    url = f"/staff/weeding/campaigns/{campaign_id}/review"
    assert client.get(url).status_code == 302  # to the login page
    log_in(client, staff, "claire")  # a counsellor of another pole
    assert client.get(url).status_code == 403
    queue = client.get("/staff/weeding/review?lang=en").get_data(as_text=True)
    assert "No campaign is waiting for your pole" in queue
    token = csrf_token(client, "/staff/weeding/review")
    assert client.post(url, data={"csrf_token": token, "item_id": "1", "vote": "keep"}).status_code == 403
    client.post("/logout", data={"csrf_token": token})
    log_in(client, staff, "lise")  # a librarian decides, she does not vote
    assert client.get(url).status_code == 403 and client.get("/staff/weeding/review").status_code == 403
    nav = client.get("/staff/weeding").get_data(as_text=True)
    assert 'href="/staff/weeding/review"' not in nav and 'href="/staff/weeding/rules"' in nav

    close = client.post(f"/api/v1/weeding/campaigns/{campaign_id}/close", json={}, headers=staff.headers("lise"))
    assert close.status_code == 200
    client.post("/logout", data={"csrf_token": csrf_token(client, "/staff/weeding")})
    log_in(client, staff, "sophie")
    assert client.get(url).status_code == 409  # closed: nothing to vote on any more
