"""Controlled values of acquisitions."""
from __future__ import annotations

from core.i18n import N_
from core.vocab import Vocabulary


class ProposalStatus(Vocabulary):
    """Where a proposal stands, from the counsellor's suggestion to the shelf."""

    PROPOSED = "proposed", N_("Proposed")
    UNDER_REVIEW = "under_review", N_("Under review")
    ACCEPTED = "accepted", N_("Accepted")
    REJECTED = "rejected", N_("Rejected")
    WITHDRAWN = "withdrawn", N_("Withdrawn")
    ORDERED = "ordered", N_("Ordered")
    RECEIVED = "received", N_("Received")
    CATALOGUED = "catalogued", N_("Catalogued")
