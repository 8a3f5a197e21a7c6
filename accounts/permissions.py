"""What each staff role may do. Checked at the web edge and in the CLI."""
from __future__ import annotations

from accounts.vocab import Role

VIEW_STAFF = "staff.view"              # staff pages and read API
EDIT_CATALOGUE = "catalogue.edit"      # create and edit records and items
EDIT_THESAURUS = "thesaurus.edit"      # edit concepts, map incoming headings
DELETE_CATALOGUE = "catalogue.delete"  # delete records and items
RECORD_USE = "items.use"               # scan barcodes to count in-house use
VIEW_AUDIT = "audit.view"
MANAGE_USERS = "users.manage"
PROPOSE_ACQUISITION = "acquisitions.propose"  # propose, support, comment, withdraw one's own
REVIEW_ACQUISITION = "acquisitions.review"    # take proposals into review
RECEIVE_ACQUISITION = "acquisitions.receive"  # receive ordered copies, shelve them
DECIDE_ACQUISITION = "acquisitions.decide"    # accept, reject, reopen, order
MANAGE_BUDGETS = "acquisitions.budgets"       # allocations, over-budget overrides, the year roll-over
MANAGE_FUNDS = "acquisitions.funds"           # open and close funds, keep the suppliers
REVIEW_WEEDING = "weeding.review"            # open and close campaigns, edit the rules, decide, run reports
VOTE_WEEDING = "weeding.vote"                # give one's pole's opinion on a campaign's candidates

_COMMON = {VIEW_STAFF, RECORD_USE, VIEW_AUDIT, PROPOSE_ACQUISITION}
_CATALOGUING = {EDIT_CATALOGUE, EDIT_THESAURUS, DELETE_CATALOGUE, REVIEW_ACQUISITION, RECEIVE_ACQUISITION}
_DECIDING = _CATALOGUING | {DECIDE_ACQUISITION, MANAGE_BUDGETS, REVIEW_WEEDING}

ROLE_PERMISSIONS: dict[Role, frozenset[str]] = {
    Role.COUNSELLOR: frozenset(_COMMON | {VOTE_WEEDING}),
    Role.DOCUMENTALIST: frozenset(_COMMON | _CATALOGUING),
    Role.LIBRARIAN: frozenset(_COMMON | _DECIDING),
    Role.ADMINISTRATOR: frozenset(_COMMON | _DECIDING | {MANAGE_FUNDS, MANAGE_USERS}),
}


def roles_with(permission: str) -> list[Role]:
    """The roles that may do ``permission``, for messages that say who may."""
    return [role for role, granted in ROLE_PERMISSIONS.items() if permission in granted]

