"""Aligning incoming subject headings with the thesaurus, on both databases:
the queue, and mappings applied now and to later MARC imports."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from catalogue.models import Record, RecordDescriptor
from core.audit import AuditEvent
from core.errors import NotFound, ValidationFailed
from core.outbox import ReindexRequest
from importers.services.alignment import AlignmentService
from tests.importers.test_import_service import book, df, run_import
from tests.support.factories import make_user
from tests.thesaurus.support import edit, make_concept


def heading(text: str, vocabulary: str = "rameau"):
    return df("650", " 7", ("a", text), ("2", vocabulary))


def descriptors(db) -> dict[str, list[int]]:
    """source id -> concept ids of the record's descriptors."""
    with db.session() as session:
        rows = session.execute(select(Record.source_id, RecordDescriptor.concept_id)
                               .join(RecordDescriptor, RecordDescriptor.record_id == Record.id)).all()
    found: dict[str, list[int]] = {}
    for source_id, concept_id in sorted(rows):
        found.setdefault(source_id, []).append(concept_id)
    return found


def queue(db, **kwargs):
    with db.session() as session:
        return AlignmentService(session).queue(**kwargs)


def import_sample(db):
    # Every book() carries "Emploi -- Recherche" (rameau).
    run_import(db, book("A1", "Un"), book("A2", "Deux", extra=[heading("Entretiens d'embauche")]),
               book("A3", "Trois", extra=[heading("entretiens d'EMBAUCHE", "lcsh")]),
               book("A4", "Quatre", extra=[heading("Chômage")]))


def test_the_queue_ranks_unmapped_headings_by_records(db):
    emploi = make_concept(db, "Emploi")
    entretien = make_concept(db, "Entretien d'embauche", alt=["Entretiens d'embauche"])
    import_sample(db)
    rows, total = queue(db)
    assert total == 3
    assert [(r.heading_key, r.heading, r.records) for r in rows] == [
        ("emploi -- recherche", "Emploi -- Recherche", 4),
        ("entretiens d'embauche", "Entretiens d'embauche", 2),  # two spellings, one heading
        ("chomage", "Chômage", 1)]
    assert [r.vocabulary for r in rows] == ["rameau", "lcsh", "rameau"]  # tie: alphabetical
    assert [r.suggestion.id if r.suggestion else None for r in rows] == [emploi, entretien, None]
    page, total = queue(db, page=2, size=2)
    assert [r.heading_key for r in page] == ["chomage"] and total == 3
    assert [r.heading_key for r in queue(db, text="CHÔM")[0]] == ["chomage"]


def test_a_mapping_applies_now_and_to_later_imports(db):
    user = make_user(db, "doc")
    entretien = make_concept(db, "Entretien d'embauche")
    import_sample(db)
    with db.transaction() as session:
        session.execute(ReindexRequest.__table__.delete())
        mapping, count = AlignmentService(session, user).map("Entretiens d’embauche", entretien)
        mapping_id = mapping.id
        assert (mapping.heading_key, mapping.heading, count) == ("entretiens d'embauche", "Entretiens d'embauche", 2)
    assert descriptors(db) == {"A2": [entretien], "A3": [entretien]}
    with db.session() as session:
        marked = set(session.scalars(select(Record.source_id).join(ReindexRequest, ReindexRequest.record_id == Record.id)))
        assert marked == {"A2", "A3"}
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "heading.map")).one()
        assert (event.actor_id, event.entity_id, event.changes) == (
            user.id, mapping_id, {"concept": [None, "Entretien d'embauche"], "records": [None, 2]})
    assert [r.heading_key for r in queue(db)[0]] == ["emploi -- recherche", "chomage"]

    # Later: a new record, and a known one that now carries the heading, through the real importer.
    outcomes, _ = run_import(db, book("A5", "Cinq", extra=[heading("ENTRETIENS D'EMBAUCHE")]),
                             book("A1", "Un", extra=[heading("Entretiens d'embauche")]))
    assert outcomes == ["created", "updated"]
    assert descriptors(db) == {"A1": [entretien], "A2": [entretien], "A3": [entretien], "A5": [entretien]}
    assert run_import(db, book("A1", "Un", extra=[heading("Entretiens d'embauche")]))[0] == ["unchanged"]


def test_unmap_and_refusals(db):
    entretien = make_concept(db, "Entretien d'embauche")
    old = make_concept(db, "Ancien")
    edit(db, "deprecate", old)
    import_sample(db)
    with db.transaction() as session:
        service = AlignmentService(session)
        with pytest.raises(ValidationFailed):
            service.map("chomage", old)
        with pytest.raises(ValidationFailed):
            service.map("chomage", 999)
        with pytest.raises(ValidationFailed):
            service.map("  ", entretien)
        mapping, _ = service.map("Entretiens d'embauche", entretien)
        mappings, total = service.mappings()
        assert [m.heading for m in mappings] == ["Entretiens d'embauche"] and total == 1
        service.unmap(mapping.id)
        with pytest.raises(NotFound):
            service.unmap(mapping.id)
    # The records keep their descriptor; the heading is back in the queue.
    assert descriptors(db) == {"A2": [entretien], "A3": [entretien]}
    assert "entretiens d'embauche" in [r.heading_key for r in queue(db)[0]]
    run_import(db, book("A6", "Six", extra=[heading("Entretiens d'embauche")]))
    assert "A6" not in descriptors(db)


def test_mapping_to_a_concept_later_merged_follows_the_survivor(db):
    loser, survivor = make_concept(db, "Entretiens"), make_concept(db, "Entretien d'embauche")
    import_sample(db)
    with db.transaction() as session:
        AlignmentService(session).map("chomage", loser)
    edit(db, "merge", loser, survivor)
    run_import(db, book("A7", "Sept", extra=[heading("Chômage")]))
    assert descriptors(db)["A7"] == [survivor]
    assert descriptors(db)["A4"] == [survivor]  # moved by the merge
