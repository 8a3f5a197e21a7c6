"""Controlled values of weeding reviews, with their display labels."""
from __future__ import annotations

from core.i18n import N_
from core.vocab import Vocabulary


class CampaignStatus(Vocabulary):
    OPEN = "open", N_("Open")
    CLOSED = "closed", N_("Closed")


class Verdict(Vocabulary):
    """What a counsellor may vote for an item, and what the librarian may
    decide: the same five fates."""

    KEEP = "keep", N_("Keep")
    WITHDRAW = "withdraw", N_("Withdraw")
    REPLACE = "replace", N_("Replace")
    TRANSFER = "transfer", N_("Transfer to the main library")
    REPAIR = "repair", N_("Repair")


class ReasonCode(Vocabulary):
    """Why an item is a candidate: one per criterion of a rule, in the manner of CREW."""

    AGE = "age", N_("Too old")
    NO_USE = "no_use", N_("Not used for too long")
    LOW_USE = "low_use", N_("Little used")
    SUPERSEDED = "superseded", N_("A newer edition is held")
    PERIODICAL_RETENTION = "periodical_retention", N_("Issue beyond retention")
    CONDITION = "condition", N_("Condition")
    MANUAL = "manual", N_("Added by hand")


class Source(Vocabulary):
    RULES = "rules", N_("The rules")
    MANUAL = "manual", N_("Added by hand")


class Mustie(Vocabulary):
    """The MUSTIE checklist (CREW), in the French of the IOUPI one's users."""

    MISLEADING = "misleading", N_("Misleading or factually inaccurate")
    UGLY = "ugly", N_("Ugly: worn beyond mending")
    SUPERSEDED = "superseded", N_("Superseded by a newer edition or a better work")
    TRIVIAL = "trivial", N_("Trivial: of no discernible merit")
    IRRELEVANT = "irrelevant", N_("Irrelevant to the needs and interests of the visitors")
    ELSEWHERE = "elsewhere", N_("Elsewhere: easily found in the main library or online")


class Ioupi(Vocabulary):
    """The IOUPI checklist of French libraries."""

    INCORRECT = "incorrect", N_("Incorrect: wrong or outdated information")
    ORDINARY = "ordinary", N_("Ordinary: superficial or mediocre")
    WORN = "worn", N_("Worn: in poor condition")
    OLD = "old", N_("Old (Périmé): out of date")
    INADEQUATE = "inadequate", N_("Inadequate to the collection")


def checklist_values() -> set[str]:
    """Flags a vote may carry, each prefixed by its checklist: ``mustie:ugly``, ``ioupi:worn``."""
    return {f"mustie:{m.value}" for m in Mustie} | {f"ioupi:{i.value}" for i in Ioupi}
