"""Errors of acquisitions (the base ones are in ``core.errors``). Each carries
what the person refused needs to decide what to do next."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from core.errors import Conflict, PermissionDenied
from core.i18n import N_


class AlreadyInCatalogue(Conflict):
    """The catalogue holds works that look like the one proposed; saving
    anyway takes an explicit confirmation (``confirm_duplicate``)."""

    code = "already_in_catalogue"

    def __init__(self, matches: list[dict]):
        super().__init__(N_("The catalogue already holds this work, or one very like it: check the matches, "
                            "then confirm to propose it anyway."))
        self.matches = matches

    def details(self) -> dict:
        return {"matches": self.matches}


class AlreadyProposed(Conflict):
    """An open proposal names the same work: support it instead."""

    code = "already_proposed"

    def __init__(self, proposal_id: int, title: str):
        super().__init__(N_("This work is already proposed (“%(title)s”, number %(id)s): support that proposal "
                            "instead."), title=title, id=proposal_id)
        self.proposal_id = proposal_id

    def details(self) -> dict:
        return {"proposal_id": self.proposal_id}


class AlreadySupported(Conflict):
    code = "already_supported"


class MoveNotAllowed(Conflict):
    """A move outside the graph: says which moves the proposal allows."""

    code = "transition_not_allowed"

    def __init__(self, message: str, *, allowed: list[str], **params: Any):
        super().__init__(message, **params)
        self.allowed = allowed

    def details(self) -> dict:
        return {"allowed": self.allowed}


class MoveForbidden(PermissionDenied):
    """The move exists, but not for this person: says who may make it."""

    code = "forbidden"

    def __init__(self, message: str, *, allowed_roles: list[str], **params: Any):
        super().__init__(message, **params)
        self.allowed_roles = allowed_roles

    def details(self) -> dict:
        return {"allowed_roles": self.allowed_roles}


class OverBudget(Conflict):
    """The fund cannot pay for this without a librarian's override."""

    code = "over_budget"

    def __init__(self, *, fund_label: str, year: int, remaining: Decimal, needed: Decimal):
        super().__init__(N_("The fund “%(fund_label)s” %(year)s has %(remaining)s € left, and this needs "
                            "%(needed)s €: a librarian may override, giving a reason."),
                         fund_label=fund_label, year=year, remaining=str(remaining), needed=str(needed))
        self.remaining = remaining
        self.needed = needed

    def details(self) -> dict:
        return {"remaining": str(self.remaining), "needed": str(self.needed)}
