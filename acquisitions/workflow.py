"""The life of a proposal, as one table.

Each row is an allowed move: from a state, to a state, the permission it
takes, whether only the proposer may make it, and what the move must carry.
The services read it to allow or refuse a move (409 outside the graph, 403
for the wrong role, each saying what is allowed), the pages to offer the
buttons a reader may press, the README documents it, and
tests/acquisitions/test_workflow.py tries every pair of states against it.

``received`` to ``received`` is the receipt of the copies still expected,
after a partial one: a move in the table, offered only while copies are
outstanding.
"""
from __future__ import annotations

from dataclasses import dataclass

from accounts.permissions import (
    DECIDE_ACQUISITION,
    PROPOSE_ACQUISITION,
    RECEIVE_ACQUISITION,
    REVIEW_ACQUISITION,
)
from acquisitions.vocab import ProposalStatus as S
from core.i18n import N_


@dataclass(frozen=True)
class Move:
    source: S
    target: S
    permission: str
    label: str                      # the button, a message id
    proposer_only: bool = False     # only the staff member who proposed it
    needs: tuple[str, ...] = ()     # what the request must carry (see acquisitions.services.moves)


MOVES: tuple[Move, ...] = (
    Move(S.PROPOSED, S.UNDER_REVIEW, REVIEW_ACQUISITION, N_("Take into review")),
    Move(S.PROPOSED, S.WITHDRAWN, PROPOSE_ACQUISITION, N_("Withdraw"), proposer_only=True),
    Move(S.UNDER_REVIEW, S.ACCEPTED, DECIDE_ACQUISITION, N_("Accept"), needs=("fund",)),
    Move(S.UNDER_REVIEW, S.REJECTED, DECIDE_ACQUISITION, N_("Reject"), needs=("rejection_reason",)),
    Move(S.REJECTED, S.UNDER_REVIEW, DECIDE_ACQUISITION, N_("Reopen")),
    Move(S.ACCEPTED, S.ORDERED, DECIDE_ACQUISITION, N_("Order")),
    Move(S.ORDERED, S.RECEIVED, RECEIVE_ACQUISITION, N_("Receive")),
    Move(S.RECEIVED, S.RECEIVED, RECEIVE_ACQUISITION, N_("Receive the rest"), needs=("outstanding",)),
    Move(S.RECEIVED, S.CATALOGUED, RECEIVE_ACQUISITION, N_("Shelve the copies")),
)

_BY_EDGE = {(move.source, move.target): move for move in MOVES}


def move(source: S, target: S) -> Move | None:
    """The move from ``source`` to ``target``, or None when the graph has none."""
    return _BY_EDGE.get((source, target))


def moves_from(source: S) -> list[Move]:
    return [m for m in MOVES if m.source is source]
