"""The issue's story, on the demo, as a new user would try it: the librarian
opens a campaign for the pole "Organiser son parcours professionnel et de
formation" and reads candidates with reasons in French; its two counsellors
vote; the librarian withdraws one, replaces one, keeps one and decides the
rest in bulk without touching what a counsellor kept; the replacement is a
proposal, the withdrawn work leaves the public catalogue, and the closing
report shows the age profile before and after."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from accounts.services import AccountService
from acquisitions.models import Proposal
from catalogue.models import Item
from core import outbox

URL = "/api/v1/weeding/campaigns"


def tokens(db, *usernames) -> dict[str, dict]:
    found = {}
    with db.transaction() as session:
        for username in usernames:
            _, clear = AccountService(session).issue_token(username, "story")
            found[username] = {"Authorization": f"Bearer {clear}"}
    return found


@pytest.mark.demo  # a copy of the demo's database (tests/support/demo_copy.py)
def test_a_weeding_campaign_on_the_demo_from_opening_to_closing(client, db):
    outbox.drain(client.application)
    who = tokens(db, "bibliothecaire", "conseiller-parcours", "conseillere-parcours")
    librarian = who["bibliothecaire"]

    opened = client.post(URL, json={"name": "Parcours 2026", "scope": {"pole": "pathway"}}, headers=librarian)
    assert opened.status_code == 201, opened.get_json()
    campaign = opened.get_json()
    assert campaign["candidates"] >= 5
    items = client.get(f"{URL}/{campaign['id']}/candidates?size=200", headers=librarian).get_json()["items"]
    assert len(items) == campaign["candidates"]
    codes = {reason["code"] for item in items for reason in item["reasons"]}
    assert {"age", "no_use", "superseded"} <= codes
    assert all(item["explanation"] for item in items)
    assert any("publié en" in item["explanation"] for item in items)
    assert any("une édition plus récente" in item["explanation"] for item in items)

    superseded = next(i for i in items if any(r["code"] == "superseded" for r in i["reasons"]))
    others = [i for i in items if i is not superseded]
    withdrawn, kept, voted_keep = others[0], others[1], others[2]
    for name in ("conseiller-parcours", "conseillere-parcours"):
        for item in items:
            vote = "keep" if item is voted_keep and name == "conseillere-parcours" else "withdraw"
            answer = client.post(f"{URL}/{campaign['id']}/votes", json={"item_id": item["item_id"], "vote": vote},
                                 headers=who[name])
            assert answer.status_code == 201, answer.get_json()
    progress = client.get(f"{URL}/{campaign['id']}", headers=librarian).get_json()["progress"]
    assert progress == [{"pole": "pathway", "candidates": len(items), "reviewed": len(items),
                         "reviewers": progress[0]["reviewers"], "missing": []}]

    def decide(item, decision, **body):
        answer = client.post(f"{URL}/{campaign['id']}/decisions",
                             json={"item_id": item["item_id"], "decision": decision, **body}, headers=librarian)
        assert answer.status_code == 200, answer.get_json()
        return answer.get_json()

    decide(withdrawn, "withdraw", disposal="donation")
    replaced = decide(superseded, "replace")
    decide(kept, "keep")
    bulk = client.post(f"{URL}/{campaign['id']}/decisions/bulk", json={"decision": "withdraw"},
                       headers=librarian).get_json()
    assert bulk["kept_by_vote"] == [voted_keep["item_id"]]
    assert len(bulk["decided"]) == len(items) - 4

    with db.session() as session:
        proposal = session.get(Proposal, replaced["proposal_id"])
        assert proposal.replaces_item_id == superseded["item_id"] and proposal.status.value == "proposed"
        assert session.get(Item, voted_keep["item_id"]).status.value != "withdrawn"
        assert session.get(Item, superseded["item_id"]).status.value != "withdrawn"
        gone = session.get(Item, withdrawn["item_id"])
        assert gone.status.value == "withdrawn" and gone.disposal.value == "donation"
        record_id = gone.record_id
        still_held = [i for i in session.scalars(select(Item).where(Item.record_id == record_id))
                      if i.status.value in ("available", "on_display", "processing")]
    if not still_held:
        assert client.get(f"/notices/{record_id}").status_code == 404
        hits = client.get("/api/v1/search", query_string={"q": withdrawn["title"]}).get_json()["hits"]
        assert record_id not in [hit["id"] for hit in hits]

    closed = client.post(f"{URL}/{campaign['id']}/close", json={}, headers=librarian).get_json()
    report = closed["report"]
    assert sum(report["profile_before"].values()) - sum(report["profile_after"].values()) == len(bulk["decided"]) + 1
    assert report["by_pole"]["pathway"]["withdraw"] >= 1 and report["totals"]["keep"] == 1
