"""Errors of the thesaurus (the base ones are in ``core.errors``)."""
from __future__ import annotations

from typing import Any

from core.errors import RuleViolation
from core.i18n import N_


class ThesaurusRuleViolation(RuleViolation):
    """An import or an edit would break the thesaurus (a cycle, a label
    clash...). ``findings`` are the ``thesaurus.skos.findings.Finding``s that
    say why; nothing is applied."""

    code = "thesaurus_rule"

    def __init__(self, findings: list, message: str = N_("This change would break the thesaurus."),
                 **params: Any):
        super().__init__(message, **params)
        self.findings = list(findings)

    def details(self) -> dict:
        return {"findings": [finding.as_dict() for finding in self.findings]}
