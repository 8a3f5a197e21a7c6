"""Domain errors. They carry no HTTP: the web edge maps them to the JSON error
shape (``catalogue.web.errors``) and the CLI edge to a message and exit code.

Messages are gettext message ids (marked with ``N_``) with ``%(name)s``
parameters, translated at the edge.
"""
from __future__ import annotations

from typing import Any

from .i18n import N_


class CatalogueError(Exception):
    code = "error"

    def __init__(self, message: str, **params: Any):
        super().__init__(message % params if params else message)
        self.message = message
        self.params = params


class NotFound(CatalogueError):
    code = "not_found"


class ValidationFailed(CatalogueError):
    """Field-level errors: ``fields`` maps a field name to message ids."""

    code = "validation_failed"

    def __init__(self, fields: dict[str, list[str]], message: str = N_("Some fields are invalid.")):
        super().__init__(message)
        self.fields = fields


class Conflict(CatalogueError):
    code = "conflict"

    def __init__(self, message: str, *, fields: dict[str, list[str]] | None = None, **params: Any):
        super().__init__(message, **params)
        self.fields = fields or {}


class DuplicateBarcode(Conflict):
    code = "duplicate_barcode"


class VersionConflict(Conflict):
    """Someone saved the same row since the editor loaded it.

    ``current`` is the stored version, ``submitted`` what the editor sent; both
    are shown so the editor can merge by hand. Nothing is overwritten.
    """

    code = "version_conflict"

    def __init__(self, message: str, *, current: dict, submitted: dict, **params: Any):
        super().__init__(message, **params)
        self.current = current
        self.submitted = submitted


class AccountLocked(CatalogueError):
    """Too many failed logins in a row: the account waits until ``until``."""

    code = "account_locked"

    def __init__(self, message: str, *, until, **params: Any):
        super().__init__(message, **params)
        self.until = until


class PermissionDenied(CatalogueError):
    code = "forbidden"


class ThesaurusRuleViolation(CatalogueError):
    """An import or an edit would break the thesaurus (a cycle, a label
    clash...). ``findings`` are the ``thesaurus.skos.findings.Finding``s that
    say why; nothing is applied."""

    code = "thesaurus_rule"

    def __init__(self, findings: list, message: str = N_("This change would break the thesaurus."),
                 **params: Any):
        super().__init__(message, **params)
        self.findings = list(findings)
