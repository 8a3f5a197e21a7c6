"""Writing a concept's labels, notes and relations.

Labels and notes go through the ORM, keeping the rows (and ids) of those
that stay, so "remove label 12" still means the same label after an edit.
Relations are rows of concept_relations written with plain statements;
related links are written in both directions (see thesaurus.models).
"""
from __future__ import annotations

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from core.text import fold
from thesaurus.models import Concept, ConceptLabel, ConceptNote, ConceptRelation
from thesaurus.services.concept_input import relations_of
from thesaurus.vocab import LabelKind, RelationKind

RELATIONS = ConceptRelation.__table__


def pref_in(labels, language: str) -> str | None:
    """The preferred label in ``language`` (or a regional variant, fr-CA) among (kind, language, text)."""
    return next((text for kind, lang, text in labels
                 if kind == LabelKind.PREF.value and lang.lower().split("-")[0] == language), None)


def _sync(rows: list, wanted: list[tuple], make) -> None:
    """Make ``rows`` (a concept's labels or notes) hold exactly the (kind,
    language, text) triples ``wanted``, keeping the rows that stay so their
    ids, which forms and the API refer to, do not change."""
    wanted = list(wanted)
    for row in list(rows):
        triple = (row.kind, row.language, row.text)
        if triple in wanted:
            wanted.remove(triple)
        else:
            rows.remove(row)
    rows.extend(make(*triple) for triple in wanted)


def set_labels(concept: Concept, labels: list[tuple]) -> None:
    """Make the concept's labels ``labels`` ((kind, language, text) triples)."""
    _sync(concept.labels, labels, lambda kind, language, text: ConceptLabel(
        kind=kind, language=language, text=text, key=fold(text)))
    denormalise(concept)


def denormalise(concept: Concept) -> None:
    """Refresh the copies of the French and English preferred labels."""
    labels = [(label.kind, label.language, label.text) for label in concept.labels]
    concept.pref_label_fr = pref_in(labels, "fr") or concept.pref_label_fr or ""
    concept.pref_label_en = pref_in(labels, "en")


def set_notes(concept: Concept, notes: list[tuple]) -> None:
    _sync(concept.notes, notes, lambda kind, language, text: ConceptNote(kind=kind, language=language, text=text))


def set_broader(session: Session, concept_id: int, wanted: set[int]) -> None:
    current = set(relations_of(session, concept_id, RelationKind.BROADER))
    kind = RelationKind.BROADER.value
    if current - wanted:
        session.execute(delete(RELATIONS).where(RELATIONS.c.source_id == concept_id, RELATIONS.c.kind == kind,
                                                RELATIONS.c.target_id.in_(current - wanted)))
    if wanted - current:
        session.execute(insert(RELATIONS), [{"source_id": concept_id, "kind": kind, "target_id": target}
                                            for target in sorted(wanted - current)])


def add_related(session: Session, one: int, other: int) -> None:
    kind = RelationKind.RELATED.value
    present = set(tuple(row) for row in session.execute(select(RELATIONS.c.source_id, RELATIONS.c.target_id).where(
        RELATIONS.c.kind == kind, RELATIONS.c.source_id.in_([one, other]), RELATIONS.c.target_id.in_([one, other]))))
    rows = [{"source_id": s, "kind": kind, "target_id": t} for s, t in ((one, other), (other, one))
            if (s, t) not in present]
    if rows:
        session.execute(insert(RELATIONS), rows)


def remove_related(session: Session, one: int, other: int) -> None:
    session.execute(delete(RELATIONS).where(
        RELATIONS.c.kind == RelationKind.RELATED.value,
        ((RELATIONS.c.source_id == one) & (RELATIONS.c.target_id == other))
        | ((RELATIONS.c.source_id == other) & (RELATIONS.c.target_id == one))))
