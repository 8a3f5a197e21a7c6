"""Staff roles. What each may do is in ``accounts.permissions``."""
from __future__ import annotations

from core.i18n import N_
from core.vocab import Vocabulary


class Role(Vocabulary):
    DOCUMENTALIST = "documentalist", N_("Documentalist")
    COUNSELLOR = "counsellor", N_("Counsellor")
    LIBRARIAN = "librarian", N_("Librarian")
    ADMINISTRATOR = "administrator", N_("Administrator")
