"""The librarian decides: what each decision does to the copy, the
replacement that becomes a proposal, the keep votes a bulk decision never
overrides, idempotence, conflicts and the closing report."""
from __future__ import annotations

from sqlalchemy import select

from acquisitions.models import Proposal
from catalogue.models import Item
from core import outbox
from core.audit import AuditEvent
from tests.acquisitions.support import moved, open_fund
from tests.support.api import assert_error
from tests.weeding.support import NOW, rule
from weeding.models import WeedingEvent

URL = "/api/v1/weeding/campaigns"


def opened(client, staff, scope=None) -> dict:
    response = client.post(URL, json={"name": "Parcours", "scope": scope or {"pole": "pathway"}},
                           headers=staff.headers("lise"))
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def decide(client, staff, campaign_id, item_id, decision, who="lise", **body):
    return client.post(f"{URL}/{campaign_id}/decisions", json={"item_id": item_id, "decision": decision, **body},
                       headers=staff.headers(who))


def item(db, item_id) -> Item:
    with db.session() as session:
        found = session.get(Item, item_id)
        session.expunge(found)
        return found


def public_search(client, title) -> list[int]:
    outbox.drain(client.application)  # works the helpers wrote straight into the database
    return [hit["id"] for hit in client.get("/api/v1/search", query_string={"q": title}).get_json()["hits"]]


def test_withdraw_keeps_the_copy_and_takes_the_work_out_of_the_public_catalogue(client, db, staff, shelf):
    rule(db, max_age_years=5)
    copy = shelf.copy(title="Le guide de la reconversion", year=2001)
    campaign = opened(client, staff)
    assert public_search(client, "guide reconversion") == [copy.record_id]

    response = decide(client, staff, campaign["id"], copy.id, "withdraw", disposal="donation",
                      comment="Information périmée")

    assert response.status_code == 200, response.get_json()
    assert response.get_json()["item_status"] == "withdrawn" and response.get_json()["changed"] is True
    withdrawn = item(db, copy.id)
    assert withdrawn.status.value == "withdrawn" and withdrawn.disposal.value == "donation"
    assert withdrawn.withdrawn_at is not None and "age" in withdrawn.withdrawal_reason
    assert public_search(client, "guide reconversion") == []
    assert client.get(f"/notices/{copy.record_id}").status_code == 404
    staff_view = client.get(f"/api/v1/records/{copy.record_id}", headers=staff.headers("doc"))
    assert staff_view.status_code == 200  # the record stays for statistics and exports
    # The same decision again changes nothing; another one is refused.
    again = decide(client, staff, campaign["id"], copy.id, "withdraw", disposal="donation")
    assert again.status_code == 200 and again.get_json()["changed"] is False
    assert_error(decide(client, staff, campaign["id"], copy.id, "keep"), 409, "already_decided")
    # the candidate says who decided, when, and why
    [row] = [c for c in client.get(f"{URL}/{campaign['id']}/candidates", query_string={"state": "decided"},
                                   headers=staff.headers("doc")).get_json()["items"] if c["item_id"] == copy.id]
    assert (row["decision"], row["decided_by"], row["decision_comment"]) == ("withdraw", "lise",
                                                                             "Information périmée")
    assert row["decided_at"].startswith(str(withdrawn.withdrawn_at.date()))
    with db.session() as session:
        events = session.scalars(select(WeedingEvent).where(WeedingEvent.kind == "decision")).all()
        assert [(e.actor.username, e.details["decision"], e.comment) for e in events] == [
            ("lise", "withdraw", "Information périmée")]
        assert session.scalar(select(AuditEvent).where(AuditEvent.action == "withdraw",
                                                       AuditEvent.entity_id == copy.id)) is not None


def test_a_work_with_another_copy_on_the_shelf_stays_public(client, db, staff, shelf):
    rule(db, max_age_years=5)
    copy = shelf.copy(title="Le guide de la reconversion", year=2001)
    shelf.copy(record_id=copy.record_id, library="main")
    campaign = opened(client, staff)
    decide(client, staff, campaign["id"], copy.id, "withdraw")
    assert public_search(client, "guide reconversion") == [copy.record_id]


def test_replace_becomes_a_proposal_and_the_old_copy_goes_when_the_new_one_comes(client, db, staff, shelf):
    rule(db, max_age_years=5, superseded=True)
    old = shelf.copy(title="Code du travail commenté", year=NOW.year - 8, author="Durand, Paul")
    newer = shelf.copy(title="Code du travail commenté", year=NOW.year, author="Durand, Paul",
                       acquired_on=NOW.date())
    campaign = opened(client, staff)

    response = decide(client, staff, campaign["id"], old.id, "replace")

    assert response.status_code == 200, response.get_json()
    proposal_id = response.get_json()["proposal_id"]
    with db.session() as session:
        proposal = session.get(Proposal, proposal_id)
        assert (proposal.replaces_item_id, proposal.record_id, proposal.reason_code.value) == (
            old.id, newer.record_id, "newer_edition")
        assert proposal.status.value == "proposed" and proposal.proposed_by.username == "lise"
    assert item(db, old.id).status.value == "available"  # on the shelf until the new one comes

    fund_id = open_fund(db, NOW.year, "pathway", "500")
    for who, state, data in (("doc", "under_review", {}), ("lise", "accepted", {"fund_id": fund_id}),
                             ("lise", "ordered", {"unit_price": "30.00"}), ("doc", "received", {})):
        moved(client, staff.headers(who), proposal_id, state, **data)
    assert item(db, old.id).status.value == "withdrawn"


def test_transfer_and_repair(client, db, staff, shelf):
    rule(db, max_age_years=5)
    moving, broken = shelf.copy(year=2000), shelf.copy(year=2000)
    campaign = opened(client, staff)
    assert decide(client, staff, campaign["id"], moving.id, "transfer").status_code == 200
    assert decide(client, staff, campaign["id"], broken.id, "repair").status_code == 200
    assert item(db, moving.id).library.value == "main"
    assert item(db, broken.id).status.value == "processing"


def test_bad_decisions(client, db, staff, shelf):
    rule(db, max_age_years=5)
    copy = shelf.copy(year=2000)
    outside = shelf.copy(year=2000, poles=["job_search"])
    campaign = opened(client, staff)
    assert_error(decide(client, staff, campaign["id"], outside.id, "withdraw"), 422, "not_in_campaign")
    assert_error(decide(client, staff, campaign["id"], 10 ** 25, "withdraw"), 422, "not_in_campaign")
    assert_error(decide(client, staff, campaign["id"], copy.id, "withdraw", who="sophie"), 403, "forbidden")
    assert_error(decide(client, staff, campaign["id"], copy.id, "shred"), 422, "validation_failed")
    assert_error(decide(client, staff, campaign["id"], copy.id, "withdraw", disposal="fire"), 422,
                 "validation_failed")
    # A vote since the page was read moves the candidate's version: a stale decision is refused.
    client.post(f"{URL}/{campaign['id']}/votes", json={"item_id": copy.id, "vote": "keep"},
                headers=staff.headers("sophie"))
    assert_error(decide(client, staff, campaign["id"], copy.id, "withdraw", version=1), 409, "version_conflict")
    assert item(db, copy.id).status.value == "available"


def test_bulk_decisions_never_override_a_keep_vote(client, db, staff, shelf):
    rule(db, max_age_years=5)
    kept, a, b = shelf.copy(year=2000), shelf.copy(year=2000), shelf.copy(year=2000)
    campaign = opened(client, staff)
    votes = f"{URL}/{campaign['id']}/votes"
    client.post(votes, json={"item_id": kept.id, "vote": "keep"}, headers=staff.headers("sophie"))
    client.post(votes, json={"item_id": kept.id, "vote": "withdraw"}, headers=staff.headers("marc"))

    response = client.post(f"{URL}/{campaign['id']}/decisions/bulk", json={"decision": "withdraw"},
                           headers=staff.headers("lise"))

    assert response.status_code == 200, response.get_json()
    assert response.get_json() == {"decided": [a.id, b.id], "unchanged": [], "kept_by_vote": [kept.id],
                                   "refused": []}
    assert item(db, kept.id).status.value == "available"
    assert decide(client, staff, campaign["id"], kept.id, "keep").status_code == 200
    again = client.post(f"{URL}/{campaign['id']}/decisions/bulk",
                        json={"decision": "withdraw", "item_ids": [a.id, kept.id, 999]},
                        headers=staff.headers("lise")).get_json()
    assert again == {"decided": [], "unchanged": [a.id], "kept_by_vote": [],
                     "refused": [{"item_id": 999, "code": "not_in_campaign"},
                                 {"item_id": kept.id, "code": "already_decided"}]}


def test_closing_reports_decisions_and_the_age_profile_before_and_after(client, db, staff, shelf):
    rule(db, max_age_years=5)
    old, older = shelf.copy(year=2000), shelf.copy(year=1995)
    shelf.copy(year=NOW.year)
    campaign = opened(client, staff)
    decide(client, staff, campaign["id"], old.id, "withdraw", disposal="pulping")
    decide(client, staff, campaign["id"], older.id, "keep")

    closed = client.post(f"{URL}/{campaign['id']}/close", json={}, headers=staff.headers("lise"))

    assert closed.status_code == 200, closed.get_json()
    report = closed.get_json()["report"]
    assert report["profile_before"] == {"1995": 1, "2000": 1, str(NOW.year): 1}
    assert report["profile_after"] == {"1995": 1, str(NOW.year): 1}
    assert report["by_pole"] == {"pathway": {"withdraw": 1, "keep": 1}}
    assert report["by_reason"] == {"age": {"withdraw": 1, "keep": 1}}
    assert report["withdrawn"] == 1
    assert_error(decide(client, staff, campaign["id"], old.id, "keep"), 409, "campaign_closed")


def test_a_website_stays_public_when_its_copy_goes(client, db, staff, shelf):
    rule(db, max_age_years=5)
    site = shelf.copy(title="Portail des métiers en ligne", year=2005, document_type="website",
                      url="https://metiers.example.org/")
    campaign = opened(client, staff)
    decide(client, staff, campaign["id"], site.id, "withdraw")
    assert public_search(client, "portail metiers ligne") == [site.record_id]


def test_replacing_a_work_already_proposed_links_that_proposal(client, db, staff, shelf):
    rule(db, max_age_years=5)
    old = shelf.copy(title="Les métiers de la formation", year=2005, author="Petit, Anne")
    campaign = opened(client, staff)
    proposed = client.post("/api/v1/proposals", json={
        "title": "Les métiers de la formation", "authors": "Petit, Anne", "year": 2005,
        "confirm_duplicate": True}, headers=staff.headers("sophie"))
    assert proposed.status_code == 201, proposed.get_json()

    decided = decide(client, staff, campaign["id"], old.id, "replace").get_json()

    assert decided["proposal_id"] == proposed.get_json()["id"]
    with db.session() as session:
        assert session.get(Proposal, decided["proposal_id"]).replaces_item_id == old.id
