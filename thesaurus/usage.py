"""What the thesaurus asks of the works indexed with its concepts.

The thesaurus sits a floor below the catalogue: records name concepts, the
thesaurus never imports records. Yet some of its work reaches them: an edit
re-indexes the records that show a concept, a merge hands them over to the
survivor, the checks warn about deprecated concepts still in use, and a
concept's page lists its works. Those questions go through this protocol,
which the catalogue answers (``catalogue.services.usage.RecordUsage``) and
registers as soon as it is imported. Asking before anyone answers is an
error, not an empty answer: a silent "no records" would leave the search
index stale.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Protocol

from sqlalchemy import Select
from sqlalchemy.orm import Session


class ConceptUsage(Protocol):
    def records(self, session: Session, concept_ids: Iterable[int]) -> set[int]:
        """Ids of the records indexed with any of ``concept_ids``."""

    def counts(self, session: Session, concept_ids: Iterable[int]) -> dict[int, int]:
        """concept id -> how many records it indexes (concepts indexing none are left out)."""

    def hand_over(self, session: Session, loser, survivor, *, actor_id: int | None, now: dt.datetime) -> set[int]:
        """Index with ``survivor`` every record indexed with ``loser`` instead,
        with a line in each record's history. Returns the ids of those records."""

    def works(self, session: Session, concept_ids: Select, *, page: int, size: int) -> tuple[list, int]:
        """One page of the works indexed with the concepts ``concept_ids``
        selects (objects with id, title, subtitle, year, document_type and
        call_number), by title, and their total."""


_usage: ConceptUsage | None = None


def provide(usage: ConceptUsage) -> None:
    """Register who answers (the catalogue does, when imported)."""
    global _usage
    _usage = usage


def usage() -> ConceptUsage:
    if _usage is None:
        raise RuntimeError("Nothing answers for the works indexed with concepts: import the catalogue, "
                           "which registers it (thesaurus.usage.provide).")
    return _usage
