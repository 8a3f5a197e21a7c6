"""Records' descriptors: the concepts of the thesaurus a work is indexed with.

Records hold descriptors as concept ids (``record_fields``: a sorted list);
clients read them as {id, uri, label}. A record may keep a descriptor that
was deprecated after it was given (the record waits for a documentalist),
but a deprecated concept cannot be added: its replacement must be used.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalogue.models import RecordDescriptor
from core.i18n import N_
from thesaurus.models import Concept
from thesaurus.services.browse import ConceptRef, refs
from thesaurus.vocab import ConceptStatus


def descriptor_problems(session: Session, ids: list[int], held: Iterable[int] = ()) -> list[str]:
    """Messages (ids for gettext) about ``ids`` given as a record's descriptors;
    ``held`` are the record's current descriptors."""
    if not ids:
        return []
    statuses = dict(session.execute(select(Concept.id, Concept.status).where(Concept.id.in_(set(ids)))).all())
    problems = []
    if set(ids) - set(statuses):
        problems.append(N_("There is no concept with this number."))
    if any(statuses[i] is ConceptStatus.DEPRECATED for i in set(ids) & set(statuses) - set(held)):
        problems.append(N_("This concept is deprecated: use the concept that replaces it instead."))
    return problems


def descriptor_refs(session: Session, record_ids: Iterable[int]) -> dict[int, list[dict]]:
    """record id -> [{id, uri, label}] (label: the French preferred label), by concept id."""
    found = defaultdict(list)
    record_ids = list(record_ids)
    if not record_ids:
        return found
    rows = session.execute(select(RecordDescriptor.record_id, Concept.id, Concept.uri, Concept.pref_label_fr)
                           .join(Concept, Concept.id == RecordDescriptor.concept_id)
                           .where(RecordDescriptor.record_id.in_(record_ids))
                           .order_by(RecordDescriptor.record_id, Concept.id))
    for record_id, concept_id, uri, label in rows:
        found[record_id].append({"id": concept_id, "uri": uri, "label": label})
    return found


def descriptors_of(session: Session, record_id: int) -> list[ConceptRef]:
    """The record's descriptors, by French label."""
    return refs(session, session.scalars(select(RecordDescriptor.concept_id)
                                         .where(RecordDescriptor.record_id == record_id)))


def sync_descriptors(record, wanted: list[int], *, actor_id: int | None, now) -> bool:
    """Make the record's descriptors ``wanted``; True if they changed. Kept
    links keep their date and author."""
    wanted = list(dict.fromkeys(wanted))
    changed = False
    for link in list(record.descriptor_links):
        if link.concept_id not in wanted:
            record.descriptor_links.remove(link)
            changed = True
    present = {link.concept_id for link in record.descriptor_links}
    for concept_id in wanted:
        if concept_id not in present:
            record.descriptor_links.append(RecordDescriptor(concept_id=concept_id, added_at=now,
                                                            added_by_id=actor_id))
            changed = True
    return changed
