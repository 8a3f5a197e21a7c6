"""Errors of weeding (the base ones are in ``core.errors``)."""
from __future__ import annotations

from core.errors import Conflict, PermissionDenied, ValidationFailed
from core.i18n import N_


class NotInCampaign(ValidationFailed):
    """The item is not a candidate of this campaign (or was excluded): 422."""

    code = "not_in_campaign"

    def __init__(self, item_id: int):
        super().__init__({"item_id": [N_("This item is not a candidate of this campaign: add it first.")]},
                         message=N_("This item is not a candidate of this campaign."))
        self.item_id = item_id


class CampaignClosed(Conflict):
    code = "campaign_closed"

    def __init__(self):
        super().__init__(N_("This campaign is closed: nothing can be voted or decided any more."))


class AlreadyDecided(Conflict):
    """Another decision was applied: its effects (a withdrawal, a proposal) stand."""

    code = "already_decided"

    def __init__(self, decision: str):
        super().__init__(N_("This item was already decided (%(decision)s): that decision stands."),
                         decision=decision)
        self.decision = decision

    def details(self) -> dict:
        return {"decision": self.decision}


class NotYourPole(PermissionDenied):
    code = "forbidden"

    def __init__(self, poles: list[str]):
        super().__init__(N_("Only the counsellors of this campaign's poles vote on its candidates."))
        self.poles = poles

    def details(self) -> dict:
        return {"poles": self.poles}


class RoleForbidden(PermissionDenied):
    """The action exists, but not for this role: says which roles may."""

    code = "forbidden"

    def __init__(self, message: str, *, allowed_roles: list[str]):
        super().__init__(message)
        self.allowed_roles = allowed_roles

    def details(self) -> dict:
        return {"allowed_roles": self.allowed_roles}
