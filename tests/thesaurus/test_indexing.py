"""Re-indexing follows the thesaurus: exactly the records whose search
document changes are marked, on both databases."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from catalogue.services import RecordService
from catalogue.services.snapshots import record_fields
from core.outbox import ReindexRequest
from search.projection import search_document, search_documents
from tests.support.factories import make_record
from tests.thesaurus.support import edit, index_record, make_concept
from thesaurus.indexing import ancestors, descendants, mark_records


def queued(db) -> set[int]:
    with db.session() as session:
        return set(session.scalars(select(ReindexRequest.record_id)))


def documents(db, ids) -> dict:
    with db.session() as session:
        return search_documents(session, ids)


def test_the_vae_story(db):
    """A documentalist adds the entry term "VAE"; the record indexed with the
    concept is marked, and its search document now holds "VAE"."""
    vae = make_concept(db, "Validation des acquis de l'expérience", en="Accreditation of prior learning")
    record = make_record(db, title="Faire reconnaître son expérience")
    other = make_record(db, title="Autre chose", isbn=None)
    index_record(db, record.id, vae)
    with db.transaction() as session:  # creating the records queued them (issue 5): start afresh
        session.execute(ReindexRequest.__table__.delete())
    with db.session() as session:
        assert "VAE" not in search_document(session, record.id)["descriptor_terms"]

    edit(db, "add_label", vae, "alt", "fr", "VAE")

    assert queued(db) == {record.id}
    with db.session() as session:
        document = search_document(session, record.id)
        assert "VAE" in document["descriptor_terms"]
        assert document["descriptor_terms"] == [
            "Accreditation of prior learning", "Validation des acquis de l'expérience", "VAE"]
        assert document["descriptors"][0]["labels"][-1] == {"kind": "alt", "language": "fr", "text": "VAE"}
        assert "VAE" not in str(search_document(session, other.id))


def test_the_document_of_a_record(db):
    top = make_concept(db, "Emploi")
    middle = make_concept(db, "Recherche d'emploi", broader=[top])
    leaf = make_concept(db, "Entretien d'embauche", broader=[middle], hidden=["Entretient"])
    record = make_record(db)
    index_record(db, record.id, leaf)
    with db.transaction() as session:
        from catalogue.models import RecordSubject
        session.add(RecordSubject(record_id=record.id, heading="Emploi -- Recherche", vocabulary="rameau"))
    with db.session() as session:
        document = search_document(session, record.id)
        assert search_document(session, 999) is None
    assert document["title"] == "Réussir son entretien d'embauche"
    assert document["contributors"] == ["Martin, Léa"] and document["poles"] == ["job_search"]
    assert document["subjects"] == ["Emploi -- Recherche"]
    assert document["descriptor_paths"] == sorted([top, middle, leaf])
    assert document["descriptor_terms"] == ["Entretien d'embauche", "Entretient"]
    [descriptor] = document["descriptors"]
    assert (descriptor["id"], descriptor["label_fr"], descriptor["status"], descriptor["replaced_by"]) == (
        leaf, "Entretien d'embauche", "approved", None)


def test_descendants_and_ancestors_follow_polyhierarchy(db):
    a = make_concept(db, "A")
    b = make_concept(db, "B", broader=[a])
    c = make_concept(db, "C")
    d = make_concept(db, "D", broader=[b, c])
    e = make_concept(db, "E", broader=[d])
    with db.session() as session:
        assert descendants(session, [a]) == {b, d, e}
        assert descendants(session, [c]) == {d, e}
        assert descendants(session, [e]) == set()
        assert ancestors(session, [e]) == {a, b, c, d}
        assert ancestors(session, [b, d]) == {a, b, c}


def test_marking_is_exact(db):
    """Each edit marks exactly the records whose search document changed."""
    a = make_concept(db, "A")
    b = make_concept(db, "B", broader=[a])
    c = make_concept(db, "C", broader=[b])
    d = make_concept(db, "D")
    e = make_concept(db, "E")
    records = {name: make_record(db, title=name, isbn=None).id for name in ("ra", "rb", "rc", "rd", "rbd", "none")}
    index_record(db, records["ra"], a)
    index_record(db, records["rb"], b)
    index_record(db, records["rc"], c)
    index_record(db, records["rd"], d)
    index_record(db, records["rbd"], b, d)
    ids = list(records.values())

    def descriptors_of(name, *concepts):
        with db.transaction() as session:
            service = RecordService(session)
            record = service.get(records[name])
            data = record_fields(record)
            service.update(record.id, {**data, "descriptors": list(concepts)}, expected_version=record.version)

    steps = [
        (lambda: edit(db, "add_label", b, "alt", "fr", "Bé"), {"rb", "rbd"}),
        (lambda: edit(db, "update", a, {"notes": [{"kind": "scope", "language": "fr", "text": "Note"}]},
                      version=1), set()),
        (lambda: edit(db, "update", a, {"notation": "A1"}, version=2), set()),
        (lambda: edit(db, "update", a, {"pref_labels": {"fr": "A'"}}, version=3), {"ra"}),
        (lambda: edit(db, "relate", a, e), set()),
        (lambda: edit(db, "move", c, [d]), {"rc"}),
        (lambda: edit(db, "move", c, [b]), {"rc"}),
        (lambda: edit(db, "move", b, [d]), {"rb", "rbd", "rc"}),  # below B too: their path
        (lambda: edit(db, "move", b, [a]), {"rb", "rbd", "rc"}),
        (lambda: edit(db, "deprecate", d, e), {"rd", "rbd"}),
        (lambda: edit(db, "set_status", d, "approved"), {"rd", "rbd"}),
        (lambda: edit(db, "set_status", e, "candidate"), set()),  # indexes nothing
        (lambda: edit(db, "merge", b, e), {"rb", "rbd", "rc"}),
        (lambda: descriptors_of("none", a), {"none"}),
        (lambda: descriptors_of("ra", a), set()),
    ]
    for number, (step, expected) in enumerate(steps):
        with db.transaction() as session:
            session.execute(ReindexRequest.__table__.delete())
        before = documents(db, ids)
        step()
        after = documents(db, ids)
        changed = {i for i in ids if before[i] != after[i]}
        assert queued(db) == changed, f"step {number}"
        assert changed == {records[name] for name in expected}, f"step {number}"


def test_mark_records_refreshes_one_row_per_record(db):
    a = make_concept(db, "A")
    b = make_concept(db, "B", broader=[a])
    r1, r2 = make_record(db, title="R1", isbn=None), make_record(db, title="R2", isbn=None)
    index_record(db, r1.id, a)
    index_record(db, r2.id, a, b)
    with db.transaction() as session:
        assert mark_records(session, [a], "first") == 2
    with db.transaction() as session:
        assert mark_records(session, [b], "second") == 1
        assert mark_records(session, [a], "third", with_narrower=True) == 2
    with db.session() as session:
        rows = session.execute(select(ReindexRequest.record_id, ReindexRequest.reason)).all()
        assert sorted(tuple(r) for r in rows) == [(r1.id, "third"), (r2.id, "third")]


@pytest.mark.parametrize("size", [1200])
def test_edit_checks_stay_fast_on_a_large_hierarchy(db, size):
    """A move under a deep chain is checked with a few queries per level, not
    a reload: 1,200 concepts in a chain of depth 40."""
    import time

    from sqlalchemy import insert

    from thesaurus.models import Concept, ConceptLabel, ConceptRelation, ConceptScheme
    with db.transaction() as session:
        scheme = ConceptScheme(uri="http://example.org/s", title="S", titles={})
        session.add(scheme)
        session.flush()
        session.execute(insert(Concept), [{"id": i, "uri": f"http://example.org/c/{i}", "scheme_id": scheme.id,
                                           "pref_label_fr": f"C{i}", "version": 1} for i in range(1, size + 1)])
        session.execute(insert(ConceptLabel), [{"concept_id": i, "kind": "pref", "language": "fr",
                                                "text": f"C{i}", "key": f"c{i}"} for i in range(1, size + 1)])
        # 30 chains of 40: i's broader is i - 1 within a chain.
        session.execute(insert(ConceptRelation), [{"source_id": i, "kind": "broader", "target_id": i - 1}
                                                  for i in range(1, size + 1) if i % 40 != 1])
    started = time.perf_counter()
    findings = []
    from thesaurus.errors import ThesaurusRuleViolation
    try:
        edit(db, "move", 1, [40])
    except ThesaurusRuleViolation as error:
        findings = error.findings
    edit(db, "add_label", 41, "alt", "fr", "Autre")
    assert time.perf_counter() - started < 2.0
    assert [f.code for f in findings] == ["hierarchy_cycle"]
    assert findings[0].params["chain"].startswith("C1 > C2 > C3") and findings[0].params["chain"].endswith("C40 > C1")
