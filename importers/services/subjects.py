"""Subject headings received from sources, offered as descriptor suggestions.

Imports keep each record's subject headings with their vocabulary (RAMEAU,
LCSH...) in record_subjects. Where a heading, or its main part before the
first " -- ", is the label of a concept of the thesaurus, that concept is a
likely descriptor: documentalists see it suggested and decide. Which concept
a heading stands for is the thesaurus's answer (``suggest``), the same the
alignment queue gives; nothing is indexed automatically.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalogue.models import RecordDescriptor, RecordSubject
from thesaurus.services.alignment import suggest


@dataclass(frozen=True)
class Suggestion:
    concept_id: int
    label: str         # the concept's French preferred label
    heading: str       # the incoming heading that suggests it
    vocabulary: str | None


def suggested_descriptors(session: Session, record_id: int) -> list[Suggestion]:
    """Concepts that the record's subject headings stand for, not deprecated
    and not already descriptors of the record, by concept number."""
    subjects = session.scalars(select(RecordSubject).where(RecordSubject.record_id == record_id)
                               .order_by(RecordSubject.id)).all()
    concepts = suggest(session, {subject.heading_key for subject in subjects})
    held = set(session.scalars(select(RecordDescriptor.concept_id).where(RecordDescriptor.record_id == record_id)))
    suggestions: dict[int, Suggestion] = {}
    for subject in subjects:
        concept = concepts.get(subject.heading_key)
        if concept is not None and concept.id not in held and concept.id not in suggestions:
            suggestions[concept.id] = Suggestion(concept.id, concept.pref_label_fr, subject.heading,
                                                 subject.vocabulary)
    return [suggestions[concept_id] for concept_id in sorted(suggestions)]
