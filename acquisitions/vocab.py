"""Controlled values of acquisitions, with their display labels."""
from __future__ import annotations

from core.i18n import N_
from core.vocab import Vocabulary


class ProposalStatus(Vocabulary):
    """Where a proposal stands, from the counsellor's suggestion to the shelf
    (the allowed moves: ``acquisitions.workflow``)."""

    PROPOSED = "proposed", N_("Proposed")
    UNDER_REVIEW = "under_review", N_("Under review")
    ACCEPTED = "accepted", N_("Accepted")
    REJECTED = "rejected", N_("Rejected")
    WITHDRAWN = "withdrawn", N_("Withdrawn by its proposer")
    ORDERED = "ordered", N_("Ordered")
    RECEIVED = "received", N_("Received")
    CATALOGUED = "catalogued", N_("Catalogued")


# Still to be decided, bought or shelved: what a duplicate check compares
# against, what a year roll-over carries over.
OPEN_STATUSES = frozenset({ProposalStatus.PROPOSED, ProposalStatus.UNDER_REVIEW, ProposalStatus.ACCEPTED,
                           ProposalStatus.ORDERED, ProposalStatus.RECEIVED})


class ProposalReason(Vocabulary):
    """Why a work should be bought."""

    NEW_DEMAND = "new_demand", N_("New demand")
    REPLACE_COPY = "replace_copy", N_("Replace a worn or lost copy")
    NEWER_EDITION = "newer_edition", N_("Newer edition")
    COLLECTION_GAP = "collection_gap", N_("Gap in the collection")
    UNMET_SEARCHES = "unmet_searches", N_("Unmet searches")
    OTHER = "other", N_("Other")


class RejectionReason(Vocabulary):
    ALREADY_HELD = "already_held", N_("Already in the catalogue")
    OUT_OF_SCOPE = "out_of_scope", N_("Out of scope")
    OVER_BUDGET = "over_budget", N_("Over budget")
    UNAVAILABLE = "unavailable", N_("Unavailable from suppliers")
    OTHER = "other", N_("Other")


class RecordRelation(Vocabulary):
    """How a proposal relates to the catalogue record it names."""

    REPLACES = "replaces", N_("Replaces")
    COMPLETES = "completes", N_("Completes")


class OrderStatus(Vocabulary):
    OPEN = "open", N_("Being prepared")
    SENT = "sent", N_("Sent to the supplier")
    CLOSED = "closed", N_("Closed")
