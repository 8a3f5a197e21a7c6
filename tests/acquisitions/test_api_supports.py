"""POST /api/v1/proposals/{id}/supports: "moi aussi", once per person,
counted per pole, and comments."""
from __future__ import annotations

from sqlalchemy import func, select

from acquisitions.models import ProposalSupport
from tests.acquisitions.support import moved, propose, read
from tests.support.api import assert_error


def support(client, headers, proposal_id, **body):
    return client.post(f"/api/v1/proposals/{proposal_id}/supports", headers=headers, json=body)


def test_supports_are_counted_per_pole_with_the_proposer(client, db, staff):
    """Claire (job search) proposes; Karim (career change), Nadia (job
    search) and the documentalist (no pole) back it: 4 people, 2 of them in
    job search, the documentalist under ""."""
    proposal = propose(client, staff.headers("claire"))
    response = support(client, staff.headers("karim"), proposal["id"], comment="  Utile aussi en reconversion. ")
    assert response.status_code == 201, response.get_data(as_text=True)
    body = response.get_json()
    assert (body["proposal_id"], body["user"], body["pole"]) == (proposal["id"], "karim", "career_change")
    assert body["comment"] == "Utile aussi en reconversion."
    assert body["support"] == {"total": 2, "by_pole": {"career_change": 1, "job_search": 1}}

    for name in ("nadia", "doc"):
        assert support(client, staff.headers(name), proposal["id"]).status_code == 201
    assert read(client, staff.headers("doc"), proposal["id"])["support"] == {
        "total": 4, "by_pole": {"": 1, "career_change": 1, "job_search": 2}}


def test_supporting_twice_or_ones_own_proposal_is_refused(client, db, staff):
    proposal = propose(client, staff.headers("claire"))
    assert support(client, staff.headers("karim"), proposal["id"]).status_code == 201

    assert_error(support(client, staff.headers("karim"), proposal["id"]), 409, "already_supported")
    assert_error(support(client, staff.headers("claire"), proposal["id"]), 409, "already_supported")
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(ProposalSupport)) == 1
    assert read(client, staff.headers("claire"), proposal["id"])["support"]["total"] == 2


def test_a_decided_proposal_gathers_no_more_support(client, db, staff):
    proposal = propose(client, staff.headers("claire"))
    moved(client, staff.headers("doc"), proposal["id"], "under_review")
    assert support(client, staff.headers("nadia"), proposal["id"]).status_code == 201, "still being decided"
    moved(client, staff.headers("lise"), proposal["id"], "rejected", rejection_reason="out_of_scope")
    assert_error(support(client, staff.headers("karim"), proposal["id"]), 409, "conflict")


def test_supporting_needs_a_token_and_an_existing_proposal(client, db, staff):
    proposal = propose(client, staff.headers("claire"))
    assert_error(client.post(f"/api/v1/proposals/{proposal['id']}/supports", json={}), 401, "unauthorized")
    assert_error(support(client, staff.headers("karim"), 999999), 404, "not_found")


def test_comments_are_kept_in_order_with_their_author(client, db, staff):
    proposal = propose(client, staff.headers("claire"))
    url = f"/api/v1/proposals/{proposal['id']}/comments"
    first = client.post(url, headers=staff.headers("lise"), json={"text": "Quelle édition ?"})
    assert first.status_code == 201 and first.get_json()["author"] == "lise"
    assert client.post(url, headers=staff.headers("claire"), json={"text": "La 3e, de 2024."}).status_code == 201
    assert_error(client.post(url, headers=staff.headers("claire"), json={"text": "   "}), 422, "validation_failed")
    comments = read(client, staff.headers("doc"), proposal["id"])["comments"]
    assert [(c["author"], c["text"]) for c in comments] == [
        ("lise", "Quelle édition ?"), ("claire", "La 3e, de 2024.")]
