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


# A rule's fields as the audit trail names them (the rule form's labels).
RULE_FIELD_LABELS = {
    "name": N_("Name"), "position": N_("Order of judging"), "active": N_("Active"),
    "justification": N_("Justification"), "document_type": N_("Document type"), "pole": N_("Pole"),
    "call_number_prefix": N_("Shelf (beginning of the call number)"),
    "concept_id": N_("Thesaurus concept (number), with its narrower concepts"),
    "max_age_years": N_("Age: at most (years since publication)"),
    "max_unused_years": N_("No use: at most (years without use)"),
    "low_use_min": N_("Low use: at least (uses)"), "low_use_years": N_("Low use: over the last (years)"),
    "superseded": N_("Superseded: a newer edition is in the catalogue"),
    "periodical_keep_years": N_("Periodicals: keep (years of issues)"), "conditions": N_("Condition flags"),
}
