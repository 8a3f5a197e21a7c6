"""Builders for thesaurus tests, going through the real services."""
from __future__ import annotations

from catalogue.models import RecordDescriptor
from thesaurus.services.concepts import ConceptService


def make_concept(db, fr: str, *, en: str | None = None, broader=(), related=(), alt=(), hidden=(),
                 actor=None, **extra) -> int:
    """A concept with French (and English) preferred labels; returns its id."""
    data = {"pref_labels": {"fr": fr, **({"en": en} if en else {})}, "broader": list(broader),
            "related": list(related), "alt_labels": [{"language": "fr", "text": t} for t in alt],
            "hidden_labels": [{"language": "fr", "text": t} for t in hidden], **extra}
    with db.transaction() as session:
        return ConceptService(session, actor).create(data).id


def index_record(db, record_id: int, *concept_ids: int) -> None:
    """Give a record descriptors directly (the record service is tested elsewhere)."""
    with db.transaction() as session:
        for concept_id in concept_ids:
            session.add(RecordDescriptor(record_id=record_id, concept_id=concept_id))


def edit(db, method: str, *args, actor=None, **kwargs):
    """Call one ConceptService method in its own transaction; returns the concept id."""
    with db.transaction() as session:
        return getattr(ConceptService(session, actor), method)(*args, **kwargs).id
