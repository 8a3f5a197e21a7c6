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
PROPOSE_ACQUISITION = "acquisitions.propose"
DECIDE_ACQUISITION = "acquisitions.decide"
REVIEW_WEEDING = "weeding.review"

_COMMON = {VIEW_STAFF, RECORD_USE, VIEW_AUDIT}

ROLE_PERMISSIONS: dict[Role, frozenset[str]] = {
    Role.COUNSELLOR: frozenset(_COMMON | {PROPOSE_ACQUISITION}),
    Role.DOCUMENTALIST: frozenset(_COMMON | {EDIT_CATALOGUE, EDIT_THESAURUS, DELETE_CATALOGUE,
                                             PROPOSE_ACQUISITION}),
    Role.LIBRARIAN: frozenset(_COMMON | {EDIT_CATALOGUE, EDIT_THESAURUS, DELETE_CATALOGUE, PROPOSE_ACQUISITION,
                                         DECIDE_ACQUISITION, REVIEW_WEEDING}),
    Role.ADMINISTRATOR: frozenset(_COMMON | {EDIT_CATALOGUE, EDIT_THESAURUS, DELETE_CATALOGUE,
                                             PROPOSE_ACQUISITION, DECIDE_ACQUISITION, REVIEW_WEEDING,
                                             MANAGE_USERS}),
}

