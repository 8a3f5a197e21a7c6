"""Subject headings received from sources, offered as descriptor suggestions.

Imports keep each record's subject headings with their vocabulary (RAMEAU,
LCSH...) in record_subjects. Where a heading, or its main part before the
first " -- ", is the label of a concept of the thesaurus, that concept is a
likely descriptor: documentalists see it suggested and decide. This is the
hook the thesaurus pages call; nothing is indexed automatically.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from catalogue.models import RecordDescriptor, RecordSubject
from thesaurus.models import Concept, ConceptLabel
from thesaurus.vocab import ConceptStatus


@dataclass(frozen=True)
class Suggestion:
    concept_id: int
    label: str         # the concept's French preferred label
    heading: str       # the incoming heading that suggests it
    vocabulary: str | None


def _forms(text: str) -> set[str]:
    """Spellings to look up: SQL lower() only folds ASCII letters on SQLite."""
    text = text.strip()
    return {text, text.lower(), text[:1].upper() + text[1:].lower()} if text else set()


def suggested_descriptors(session: Session, record_id: int) -> list[Suggestion]:
    """Concepts whose label is one of the record's subject headings (whole, or
    its main part), not deprecated and not already a descriptor of the record."""
    subjects = session.scalars(select(RecordSubject).where(RecordSubject.record_id == record_id)
                               .order_by(RecordSubject.id)).all()
    wanted: dict[str, RecordSubject] = {}
    for subject in subjects:
        for part in (subject.heading, subject.heading.split(" -- ", 1)[0]):
            for form in _forms(part):
                wanted.setdefault(form.casefold(), subject)
    if not wanted:
        return []
    forms = {form for subject in subjects
             for part in (subject.heading, subject.heading.split(" -- ", 1)[0]) for form in _forms(part)}
    already = select(RecordDescriptor.concept_id).where(RecordDescriptor.record_id == record_id)
    labelled = select(ConceptLabel.concept_id).where(func.lower(ConceptLabel.text).in_(
        {form.lower() for form in forms}) | ConceptLabel.text.in_(forms))
    concepts = session.scalars(
        select(Concept).where(
            or_(Concept.pref_label_fr.in_(forms), Concept.pref_label_en.in_(forms),
                func.lower(Concept.pref_label_fr).in_({f.lower() for f in forms}), Concept.id.in_(labelled)),
            Concept.status != ConceptStatus.DEPRECATED, Concept.id.not_in(already))
        .order_by(Concept.id)).all()
    suggestions = []
    for concept in concepts:
        labels = [concept.pref_label_fr, concept.pref_label_en] + [label.text for label in concept.labels]
        subject = next((wanted[label.casefold()] for label in labels if label and label.casefold() in wanted),
                       subjects[0])
        suggestions.append(Suggestion(concept.id, concept.pref_label_fr, subject.heading, subject.vocabulary))
    return suggestions
