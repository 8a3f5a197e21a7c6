"""Aligning the main library's subject headings with the thesaurus.

Imports keep each record's headings (record_subjects, with ``heading_key`` =
fold(heading), so "Emploi -- Recherche" and "emploi--recherche" spelt with
other accents or case are one heading). The queue lists the headings no one
has mapped yet, the most used first. Mapping a heading to a concept once
gives the concept as a descriptor to every record carrying the heading: now
(``map``) and later (``apply_mappings``, called by the importer after it
writes subjects).
"""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import and_, exists, func, insert, select
from sqlalchemy.orm import Session, aliased

from catalogue.models import RecordDescriptor, RecordSubject
from core.db import like_pattern, paginate, utcnow
from core.errors import NotFound, ValidationFailed
from core.i18n import N_
from core.outbox import chunks, mark_record_ids
from core.services import Service
from core.text import fold
from thesaurus.models import Concept, HeadingMapping
from thesaurus.services.alignment import suggest
from thesaurus.vocab import ConceptStatus


@dataclass(frozen=True)
class HeadingRow:
    heading_key: str
    heading: str               # the most common spelling
    vocabulary: str | None     # the most common vocabulary (rameau, lcsh...)
    records: int               # distinct records carrying it
    suggestion: Concept | None  # a concept labelled like the heading, or like its main part


class AlignmentService(Service):
    def queue(self, *, page: int = 1, size: int = 20, text: str | None = None) -> tuple[list[HeadingRow], int]:
        """Unmapped headings, most records first (then alphabetical), and their total."""
        records = func.count(func.distinct(RecordSubject.record_id)).label("records")
        query = (select(RecordSubject.heading_key, records)
                 .where(~exists().where(HeadingMapping.heading_key == RecordSubject.heading_key))
                 .group_by(RecordSubject.heading_key))
        if text and fold(text):
            query = query.where(RecordSubject.heading_key.like(like_pattern(fold(text)), escape="\\"))
        total = self.session.scalar(select(func.count()).select_from(query.subquery()))
        rows = self.session.execute(query.order_by(records.desc(), RecordSubject.heading_key)
                                    .offset((page - 1) * size).limit(size)).all()
        keys = [row.heading_key for row in rows]
        spellings = self._spellings(keys)
        suggestions = suggest(self.session, keys)
        return [HeadingRow(row.heading_key, *spellings[row.heading_key], row.records,
                           suggestions.get(row.heading_key)) for row in rows], total

    def mappings(self, page: int = 1, size: int = 20) -> tuple[list[HeadingMapping], int]:
        return paginate(self.session, select(HeadingMapping).order_by(HeadingMapping.heading_key),
                        page=page, size=size)

    def map(self, heading_key: str, concept_id: int) -> tuple[HeadingMapping, int]:
        """Map a heading (its key, or any spelling of it) to a concept and give
        the concept to every record carrying it. Returns the mapping and how
        many records got the descriptor now. Mapping a mapped heading again
        points it at the new concept (records keep the descriptors they got)."""
        key = fold(heading_key or "")
        if not key:
            raise ValidationFailed({"heading_key": [N_("Give the heading to map.")]})
        concept = self.session.get(Concept, concept_id)
        if concept is None:
            raise ValidationFailed({"concept_id": [N_("There is no concept with this number.")]})
        if concept.status is ConceptStatus.DEPRECATED:
            raise ValidationFailed({"concept_id": [N_("This concept is deprecated: choose the concept that "
                                                      "replaces it.")]})
        mapping = self.session.scalar(select(HeadingMapping).where(HeadingMapping.heading_key == key))
        previous = mapping.concept.pref_label_fr if mapping else None
        if mapping is None:
            heading = self._spellings([key]).get(key, (heading_key.strip(), None))[0]
            mapping = HeadingMapping(heading_key=key, heading=heading[:500], concept_id=concept.id,
                                     created_at=self.clock(), created_by_id=self.actor_id)
            self.session.add(mapping)
        else:
            mapping.concept_id = concept.id
        self.session.flush()
        count = apply_mappings(self.session, None, heading_keys=[key], actor_id=self.actor_id, now=self.clock())
        self.audit.log("heading.map", "heading", mapping.id, record_id=None, label=mapping.heading,
                       changes={"concept": [previous, concept.pref_label_fr], "records": [None, count]})
        return mapping, count

    def unmap(self, mapping_id: int) -> None:
        """Forget a mapping: later imports no longer add the descriptor; records
        that have it keep it (a documentalist may have confirmed it since)."""
        mapping = self.session.get(HeadingMapping, mapping_id)
        if mapping is None:
            raise NotFound(N_("There is no heading mapping number %(id)s."), id=mapping_id)
        self.audit.log("heading.unmap", "heading", mapping.id, record_id=None, label=mapping.heading,
                       changes={"concept": [mapping.concept.pref_label_fr, None]})
        self.session.delete(mapping)
        self.session.flush()

    def _spellings(self, keys: list[str]) -> dict[str, tuple[str, str | None]]:
        """key -> (most common heading, most common vocabulary); ties alphabetical."""
        headings, vocabularies = defaultdict(Counter), defaultdict(Counter)
        for part in chunks(keys):
            for key, heading, vocabulary, count in self.session.execute(
                    select(RecordSubject.heading_key, RecordSubject.heading, RecordSubject.vocabulary, func.count())
                    .where(RecordSubject.heading_key.in_(part))
                    .group_by(RecordSubject.heading_key, RecordSubject.heading, RecordSubject.vocabulary)):
                headings[key][heading] += count
                vocabularies[key][vocabulary] += count
        return {key: (_most_common(headings[key]), _most_common(vocabularies[key])) for key in headings}


def _most_common(counter: Counter):
    return min(counter.items(), key=lambda item: (-item[1], item[0] or ""))[0]


def apply_mappings(session: Session, record_ids: Iterable[int] | None, *, heading_keys: Iterable[str] | None = None,
                   actor_id: int | None = None, now=None) -> int:
    """Give records the concepts their headings are mapped to; returns how many
    records got at least one new descriptor (they are queued for re-indexing).

    ``record_ids``: the records an import just wrote (None: every record);
    ``heading_keys``: only these headings (a mapping just made). One indexed
    query (per 5,000 records) finds the missing descriptors and one statement
    inserts them: an import batch pays one or two round trips, not one per record.
    """
    # Most catalogues map no heading, or none yet: one tiny query then spares
    # every import batch the join below, with its list of 500 record ids.
    if session.scalar(select(HeadingMapping.heading_key).limit(1)) is None:
        return 0
    now = now or utcnow()
    subject, descriptor = aliased(RecordSubject), aliased(RecordDescriptor)
    query = (select(subject.record_id, HeadingMapping.concept_id).distinct()
             .join(HeadingMapping, HeadingMapping.heading_key == subject.heading_key)
             .join(Concept, Concept.id == HeadingMapping.concept_id)
             .where(Concept.status != ConceptStatus.DEPRECATED,
                    ~exists().where(and_(descriptor.record_id == subject.record_id,
                                         descriptor.concept_id == HeadingMapping.concept_id))))
    if heading_keys is not None:
        query = query.where(subject.heading_key.in_(list(heading_keys)))
    pairs: set[tuple[int, int]] = set()
    if record_ids is None:
        pairs.update(tuple(row) for row in session.execute(query))
    else:
        for part in chunks(record_ids):
            pairs.update(tuple(row) for row in session.execute(query.where(subject.record_id.in_(part))))
    if not pairs:
        return 0
    session.execute(insert(RecordDescriptor), [
        {"record_id": record_id, "concept_id": concept_id, "added_at": now, "added_by_id": actor_id}
        for record_id, concept_id in sorted(pairs)])
    records = {record_id for record_id, _ in pairs}
    mark_record_ids(session, records, "heading.map", now=now)
    return len(records)

