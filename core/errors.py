"""Base domain errors. They carry no HTTP: the web edge maps them to the JSON
error shape (``core.web.errors``) and the CLI edge to a message and exit code
(``core.cli.fail``). Each domain defines its own errors in its ``errors``
module, as subclasses of these.

Messages are gettext message ids (marked with ``N_``) with ``%(name)s``
parameters, translated at the edge.
"""
from __future__ import annotations

from typing import Any

from core.i18n import N_


class CatalogueError(Exception):
    code = "error"

    def __init__(self, message: str, **params: Any):
        super().__init__(message % params if params else message)
        self.message = message
        self.params = params

    def details(self) -> dict:
        """What the error shape carries besides status, code and message."""
        return {}


class NotFound(CatalogueError):
    code = "not_found"


class ValidationFailed(CatalogueError):
    """Field-level errors: ``fields`` maps a field name to message ids."""

    code = "validation_failed"

    def __init__(self, fields: dict[str, list[str]], message: str = N_("Some fields are invalid.")):
        super().__init__(message)
        self.fields = fields

    def details(self) -> dict:
        return {"fields": self.fields} if self.fields else {}


class RuleViolation(CatalogueError):
    """Well-formed input that a domain rule refuses as a whole (a change that
    would break the thesaurus...)."""

    code = "rule_violation"


class Conflict(CatalogueError):
    code = "conflict"

    def __init__(self, message: str, *, fields: dict[str, list[str]] | None = None, **params: Any):
        super().__init__(message, **params)
        self.fields = fields or {}

    def details(self) -> dict:
        return {"fields": self.fields} if self.fields else {}


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

    def details(self) -> dict:
        return {**super().details(), "current": self.current, "submitted": self.submitted}


class PermissionDenied(CatalogueError):
    code = "forbidden"


class TooManyAttempts(CatalogueError):
    """Refused for a while after repeated failures: ``until`` says when it ends."""

    code = "too_many_attempts"

    def __init__(self, message: str, *, until, **params: Any):
        super().__init__(message, **params)
        self.until = until
