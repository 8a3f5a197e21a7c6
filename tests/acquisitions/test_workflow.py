"""Every pair of states (8 × 8) against the table acquisitions.workflow.MOVES.

For each pair, a proposal is driven to the source state through the
services, then the move to the target is attempted by someone the move
would allow: the proposer for a withdrawal, the least role holding the
edge's permission for the other edges, and for a pair with no edge the
administrator (every permission; the proposer when the target is
``withdrawn``) — so that a refusal can only come from the graph. A move is made iff the table has the edge; otherwise 409 lists the
table's moves and nothing changes. ``received`` is reached by a partial
receipt (1 copy of 2), so received → received is possible; after a full
receipt it is not.

Service level, on both databases (about 15 s on SQLite, 25 s on
PostgreSQL); test_every_edge_through_the_api walks every edge of the table
through the API.
"""
from __future__ import annotations

import itertools

import pytest

from accounts.permissions import roles_with
from acquisitions import workflow
from acquisitions.errors import MoveNotAllowed
from acquisitions.models import Proposal
from acquisitions.services.moves import MoveService
from acquisitions.services.proposals import ProposalService
from acquisitions.vocab import ProposalStatus as S
from tests.acquisitions.support import (
    move,
    moved,
    open_fund,
    proposal_data,
    propose,
    read,
    transition,
)
from tests.support.api import assert_error

STATES = list(S)
ROLE_USER = {"counsellor": "claire", "documentalist": "doc", "librarian": "lise", "administrator": "admin"}

# How a proposal reaches each state from ``proposed``: (who, state), each move carrying data_for's.
PATHS = {
    S.PROPOSED: [],
    S.UNDER_REVIEW: [("doc", S.UNDER_REVIEW)],
    S.WITHDRAWN: [("claire", S.WITHDRAWN)],
    S.REJECTED: [("doc", S.UNDER_REVIEW), ("lise", S.REJECTED)],
    S.ACCEPTED: [("doc", S.UNDER_REVIEW), ("lise", S.ACCEPTED)],
    S.ORDERED: [("doc", S.UNDER_REVIEW), ("lise", S.ACCEPTED), ("lise", S.ORDERED)],
    S.RECEIVED: [("doc", S.UNDER_REVIEW), ("lise", S.ACCEPTED), ("lise", S.ORDERED), ("doc", S.RECEIVED)],
    S.CATALOGUED: [("doc", S.UNDER_REVIEW), ("lise", S.ACCEPTED), ("lise", S.ORDERED), ("doc", S.RECEIVED),
                   ("doc", S.CATALOGUED)],
}


def data_for(source: S, target: S, fund_id: int, *, partial: bool = True) -> dict:
    """What a move to ``target`` carries: the fund, the reason, and (when
    ``partial``) one of the two copies when first receiving."""
    if target is S.ACCEPTED:
        return {"fund_id": fund_id}
    if target is S.REJECTED:
        return {"rejection_reason": "out_of_scope"}
    if target is S.RECEIVED and source is S.ORDERED and partial:
        return {"quantity": 1}
    return {}


def mover(source: S, target: S) -> str:
    step = workflow.move(source, target)
    if step is None:
        return "claire" if target is S.WITHDRAWN else "admin"
    return "claire" if step.proposer_only else ROLE_USER[roles_with(step.permission)[0].value]


def in_state(db, staff, state: S, fund_id: int, *, partial: bool = True) -> int:
    staff.create("claire")
    with db.transaction() as session:
        proposal = ProposalService(session, staff.user(session, "claire")).create(
            proposal_data(title=f"Le guide, étape {state.value}", isbn=None, quantity=2, estimated_price="15.00"))
        proposal_id = proposal.id
    source = S.PROPOSED
    for who, target in PATHS[state]:
        data = data_for(source, target, fund_id, partial=partial)
        assert move(db, staff, who, proposal_id, target.value, **data) == target.value
        source = target
    return proposal_id


def snapshot(db, proposal_id: int) -> tuple:
    with db.session() as session:
        proposal = session.get(Proposal, proposal_id)
        return proposal.status, proposal.version, len(proposal.events)


@pytest.fixture
def fund(db):
    return open_fund(db, 2026, "job_search", "10000")


@pytest.mark.parametrize("source, target", list(itertools.product(STATES, STATES)),
                         ids=lambda state: state.value)
def test_every_pair_of_states(db, staff, fund, source, target):
    proposal_id = in_state(db, staff, source, fund)
    status, version, events = snapshot(db, proposal_id)
    assert status is source
    who = mover(source, target)
    if workflow.move(source, target) is not None:
        assert move(db, staff, who, proposal_id, target.value, **data_for(source, target, fund)) == target.value
        after, new_version, new_events = snapshot(db, proposal_id)
        assert (after, new_events) == (target, events + 1)
        assert new_version > version  # (accepting flushes twice: the version may grow by 2)
        return
    with pytest.raises(MoveNotAllowed) as refused:
        move(db, staff, who, proposal_id, target.value, **data_for(source, target, fund))
    assert refused.value.allowed == [m.target.value for m in workflow.moves_from(source)]
    assert snapshot(db, proposal_id) == (source, version, events)


def test_received_to_received_is_refused_once_every_copy_arrived(db, staff, fund):
    proposal_id = in_state(db, staff, S.RECEIVED, fund, partial=False)
    with pytest.raises(MoveNotAllowed) as refused:
        move(db, staff, "doc", proposal_id, "received")
    assert refused.value.allowed == ["catalogued"]


def test_the_offered_moves_are_the_tables_edges_each_role_may_make(db, staff, fund):
    """What a proposal's page offers each person in each state: exactly the
    table's edges whose permission the role holds (withdrawing: the proposer)."""
    for who in ("claire", "nadia", "doc", "lise", "admin"):
        staff.create(who)
    for state in STATES:
        proposal_id = in_state(db, staff, state, fund)
        with db.session() as session:
            proposal = session.get(Proposal, proposal_id)
            for who in ("claire", "nadia", "doc", "lise", "admin"):
                user = staff.user(session, who)
                expected = [m.target for m in workflow.moves_from(state)
                            if user.can(m.permission) and (not m.proposer_only or who == "claire")]
                assert [m.target for m in MoveService(session, user).offered(proposal)] == expected, (state, who)


def test_every_edge_through_the_api(client, db, staff):
    """Every edge of the table, once, through the API: the happy path with a
    partial receipt, a withdrawal, and a rejection reopened."""
    fund = open_fund(db, 2026, "job_search", "10000")
    done = set()
    main = propose(client, staff.headers("claire"), quantity=2)["id"]
    for who, to, data in (("doc", "under_review", {}), ("lise", "rejected", {"rejection_reason": "other"}),
                          ("lise", "under_review", {}), ("lise", "accepted", {"fund_id": fund}),
                          ("lise", "ordered", {}), ("doc", "received", {"quantity": 1}),
                          ("doc", "received", {}), ("doc", "catalogued", {})):
        source = read(client, staff.headers(who), main)["status"]
        moved(client, staff.headers(who), main, to, **data)
        done.add((source, to))
    assert_error(transition(client, staff.headers("doc"), main, "received"), 409, "transition_not_allowed")
    other = propose(client, staff.headers("claire"), isbn="9782350300023", title="Le CV par l'exemple")["id"]
    moved(client, staff.headers("claire"), other, "withdrawn")
    done.add(("proposed", "withdrawn"))
    assert done == {(m.source.value, m.target.value) for m in workflow.MOVES}
