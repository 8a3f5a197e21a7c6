"""The rules as the librarians write them, judged in SQL: which copies are
candidates, by which rule, and every reason with its figures."""
from __future__ import annotations

import datetime as dt

from tests.weeding.support import NOW, rule, years_ago
from thesaurus.models import Concept, ConceptRelation
from thesaurus.vocab import RelationKind
from weeding.services.candidates import evaluate
from weeding.services.scope import clean_scope


def judged(db, scope=None):
    with db.session() as session:
        return {flag.item_id: flag for flag in evaluate(session, scope=clean_scope(session, scope or {}))}


def reasons(flag) -> dict:
    return {reason["code"]: reason for reason in flag.reasons}


def test_each_criterion_fires_with_its_figures(db, shelf):
    rule(db, max_age_years=5, max_unused_years=3, low_use_min=3, low_use_years=5, superseded=True,
         conditions=["damaged"])
    old = shelf.copy(title="Le droit du travail", year=NOW.year - 12, uses=[years_ago(4.5), years_ago(4.6)])
    shelf.copy(title="Le droit du travail", year=NOW.year - 1, uses=[years_ago(0.1)] * 4)
    never = shelf.copy(year=NOW.year - 2, acquired_on=(NOW - dt.timedelta(days=4 * 366)).date())
    damaged = shelf.copy(year=NOW.year - 1, condition="damaged", uses=[years_ago(0.2)] * 5)
    fresh = shelf.copy(year=NOW.year - 1, acquired_on=(NOW - dt.timedelta(days=30)).date())

    flags = judged(db)

    age, no_use, low, newer = (reasons(flags[old.id])[c] for c in ("age", "no_use", "low_use", "superseded"))
    assert age == {"code": "age", "year": NOW.year - 12, "age_years": 12, "max_years": 5}
    assert no_use["last_use"] == years_ago(4.5).date().isoformat() and no_use["max_years"] == 3
    assert low == {"code": "low_use", "uses": 2, "years": 5, "min_uses": 3}
    assert newer["newer_year"] == NOW.year - 1 and newer["newer_record_id"] is not None
    assert set(reasons(flags[never.id])) == {"no_use"}
    assert reasons(flags[never.id])["no_use"]["held_since"] == (NOW - dt.timedelta(days=4 * 366)).date().isoformat()
    assert set(reasons(flags[damaged.id])) == {"condition"}
    # Bought a month ago: too new to be judged on use, and published last year.
    assert fresh.id not in flags
    assert len(flags) == 3


def test_the_first_rule_whose_scope_covers_a_copy_judges_it(db, shelf):
    rule(db, name="Fiches métiers", position=10, document_type="job_sheet", max_age_years=3)
    rule(db, name="Fonds général", position=20, max_age_years=10)
    sheet = shelf.copy(document_type="job_sheet", year=NOW.year - 5)
    book = shelf.copy(year=NOW.year - 5)
    older = shelf.copy(year=NOW.year - 15)

    flags = judged(db)

    assert reasons(flags[sheet.id])["age"]["max_years"] == 3
    assert book.id not in flags  # the general rule allows ten years
    assert reasons(flags[older.id])["age"]["max_years"] == 10


def test_periodical_issues_beyond_retention(db, shelf):
    rule(db, document_type="periodical", periodical_keep_years=2)
    record = shelf.copy(document_type="periodical", year=2015, acquired_on=(NOW - dt.timedelta(days=900)).date())
    recent = shelf.copy(record_id=record.record_id, acquired_on=(NOW - dt.timedelta(days=100)).date())

    flags = judged(db)

    assert reasons(flags[record.id])["periodical_retention"]["keep_years"] == 2
    assert recent.id not in flags


def test_scopes_narrow_by_pole_type_shelf_and_concept_with_narrower(db, shelf):
    with db.transaction() as session:
        broad = Concept(uri="http://example.org/c/formation", pref_label_fr="Formation")
        narrow = Concept(uri="http://example.org/c/alternance", pref_label_fr="Alternance")
        session.add_all([broad, narrow])
        session.flush()
        session.add(ConceptRelation(source_id=narrow.id, target_id=broad.id, kind=RelationKind.BROADER.value))
        broad_id, narrow_id = broad.id, narrow.id
    rule(db, max_age_years=5)
    pathway = shelf.copy(year=2000, poles=["pathway"], call_number="PAR 1 DUP")
    job = shelf.copy(year=2000, poles=["job_search"], call_number="EMP 2 MAR")
    indexed = shelf.copy(year=2000, poles=["job_search"], descriptors=[narrow_id], call_number="EMP 3")

    assert set(judged(db, {"pole": "pathway"})) == {pathway.id}
    assert set(judged(db, {"shelf": "emp 2"})) == {job.id}
    assert set(judged(db, {"concept_id": broad_id})) == {indexed.id}
    assert set(judged(db, {"document_type": "job_sheet"})) == set()


def test_withdrawn_and_main_library_copies_are_never_candidates(db, shelf):
    rule(db, max_age_years=5)
    kept = shelf.copy(year=2000)
    shelf.copy(year=2000, library="main")
    shelf.copy(year=2000, status="withdrawn")

    assert set(judged(db)) == {kept.id}


def test_a_rule_scoped_by_a_concept_covers_its_narrower_concepts(db, shelf):
    with db.transaction() as session:
        law = Concept(uri="http://example.org/c/droit", pref_label_fr="Droit du travail")
        contract = Concept(uri="http://example.org/c/cdd", pref_label_fr="Contrat à durée déterminée")
        session.add_all([law, contract])
        session.flush()
        session.add(ConceptRelation(source_id=contract.id, target_id=law.id, kind=RelationKind.BROADER.value))
        law_id, contract_id = law.id, contract.id
    rule(db, name="Droit du travail", position=10, concept_id=law_id, max_age_years=3)
    rule(db, name="Fonds général", position=20, max_age_years=10)
    cdd = shelf.copy(year=NOW.year - 5, descriptors=[contract_id])

    assert reasons(judged(db)[cdd.id])["age"]["max_years"] == 3
