"""Controlled values of weeding reviews."""
from __future__ import annotations

from core.i18n import N_
from core.vocab import Vocabulary


class CampaignStatus(Vocabulary):
    OPEN = "open", N_("Open")
    CLOSED = "closed", N_("Closed")


class Decision(Vocabulary):
    """The fate of one item in a review."""

    PENDING = "pending", N_("Pending")
    KEEP = "keep", N_("Keep")
    WITHDRAW = "withdraw", N_("Withdraw")
    REPLACE = "replace", N_("Replace")
    TRANSFER = "transfer", N_("Transfer")
