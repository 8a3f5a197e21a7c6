"""Errors of the importers (the base ones are in ``core.errors``)."""
from __future__ import annotations

from core.errors import Conflict
from core.i18n import N_


class NothingToHarvest(Exception):
    """No repository to harvest: neither a URL given nor CATALOGUE_HARVEST_URL set."""


class AlreadyDecided(Conflict):
    """A held update was applied or rejected already: that decision stands."""

    code = "already_decided"

    def __init__(self, decision: str):
        super().__init__(N_("This update was already decided (%(decision)s): that decision stands."),
                         decision=decision)
        self.decision = decision

    def details(self) -> dict:
        return {"decision": self.decision}
