"""SKOS import and export through the real store, on SQLite and PostgreSQL:
what a re-import reports, refusals that apply nothing, round trips."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from core.audit import AuditEvent
from core.outbox import ReindexRequest
from tests.support.factories import make_record
from tests.thesaurus.skos_samples import EX, RDF_XML, VERSION_1, VERSION_2, WITH_CYCLE, read_text
from tests.thesaurus.support import index_record
from thesaurus.errors import ThesaurusRuleViolation
from thesaurus.models import Concept, ConceptCollection, ConceptLabel, ConceptRelation
from thesaurus.services.imports import ThesaurusImportService
from thesaurus.skos.read import read
from thesaurus.skos.write import write
from thesaurus.store import load, load_graph


def run_import(db, graph, **options):
    with db.transaction() as session:
        return ThesaurusImportService(session).import_graph(graph, **options)


def export(db, fmt="turtle", scheme=None) -> bytes:
    with db.session() as session:
        return write(load_graph(session, scheme), fmt)


def count(db, model) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(model))


def concept(db, name: str) -> Concept:
    with db.session() as session:
        found = session.scalars(select(Concept).where(Concept.uri == EX + name)).one()
        found.labels  # noqa: B018 - loaded before the session closes
        return found


def uris(*names):
    return [EX + name for name in names]


def test_a_first_import_stores_every_concept_with_its_labels_relations_and_collections(db):
    report = run_import(db, read_text(VERSION_1), source="v1.ttl")
    assert report.applied and report.counts() == {"added": 6, "changed": 0, "deprecated": 0, "unchanged": 0,
                                                  "dropped": 0}
    assert report.added == uris("emploi", "metier", "salaire", "smic", "travail", "vae")
    vae = concept(db, "vae")
    assert vae.pref_label_fr == "Validation des acquis de l'expérience"
    assert vae.pref_label_en == "Accreditation of prior learning"
    assert {(label.kind, label.text, label.key) for label in vae.labels} >= {
        ("alt", "VAE", "vae"), ("hidden", "Validation des aquis", "validation des aquis")}
    assert concept(db, "emploi").top_concept and not concept(db, "travail").top_concept
    with db.session() as session:
        graph = load(session).graph
        assert graph.concepts[EX + "smic"].broader == {EX + "salaire"}
        assert graph.concepts[EX + "salaire"].related == {EX + "travail"}  # stored both ways
        assert graph.concepts[EX + "travail"].related == {EX + "salaire"}
        assert graph.collections[EX + "pole-emploi"].members == {EX + "emploi", EX + "vae"}
        assert graph.schemes[EX + "scheme"].titles == {"fr": "Thésaurus de test", "en": "Test thesaurus"}
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "thesaurus.import")).one()
    assert event.entity_type == "scheme" and event.label == "v1.ttl" and event.changes["added"] == 6


def test_a_new_version_reports_added_changed_deprecated_unchanged_and_dropped(db):
    run_import(db, read_text(VERSION_1))
    report = run_import(db, read_text(VERSION_2))
    assert report.added == uris("cv")
    assert report.changed == uris("salaire", "travail")
    assert report.deprecated == uris("vae")
    assert report.unchanged == uris("emploi", "smic")
    assert report.dropped == uris("metier")
    assert "concept_dropped" in {f.code for f in report.findings}
    # Dropped concepts are kept: records may be indexed with them.
    metier = concept(db, "metier")
    assert metier.status.value == "approved"
    travail, vae = concept(db, "travail"), concept(db, "vae")
    assert travail.pref_label_fr == "Travail salarié" and travail.version == 2
    assert vae.status.value == "deprecated" and vae.replaced_by_id == travail.id
    with db.session() as session:
        graph = load(session).graph
    assert graph.concepts[EX + "salaire"].broader == {EX + "travail"}
    assert graph.concepts[EX + "travail"].related == set() == graph.concepts[EX + "salaire"].related
    assert graph.collections[EX + "pole-emploi"].members == set(uris("emploi", "vae", "cv"))


def test_a_re_import_marks_exactly_the_records_whose_descriptors_changed(db):
    run_import(db, read_text(VERSION_1))
    records = {name: make_record(db, title=f"Sur {name}", isbn=None).id
               for name in ("emploi", "travail", "salaire", "smic", "vae", "metier")}
    for name, record_id in records.items():
        index_record(db, record_id, concept(db, name).id)
    with db.transaction() as session:
        session.query(ReindexRequest).delete()
    report = run_import(db, read_text(VERSION_2))
    with db.session() as session:
        marked = set(session.scalars(select(ReindexRequest.record_id)))
    # travail renamed, vae deprecated, salaire moved (and smic, below it, with it).
    assert marked == {records[name] for name in ("travail", "vae", "salaire", "smic")}
    assert report.records_marked == 4


def test_a_dry_run_reports_and_writes_nothing(db):
    report = run_import(db, read_text(VERSION_1), dry_run=True)
    assert len(report.added) == 6 and not report.applied
    assert count(db, Concept) == count(db, AuditEvent) == 0


def test_an_import_with_an_error_is_refused_whole(db):
    run_import(db, read_text(VERSION_1))
    before = export(db)
    bad = read_text(WITH_CYCLE.replace('"Travail"@fr', '"Travail modifié"@fr'))
    with pytest.raises(ThesaurusRuleViolation) as refused:
        run_import(db, bad)
    assert "hierarchy_cycle" in {f.code for f in refused.value.findings}
    assert all(f.is_error for f in refused.value.findings)
    assert export(db) == before  # not even the label change went in
    with pytest.raises(ThesaurusRuleViolation):
        run_import(db, read_text(WITH_CYCLE), dry_run=True)


def test_an_error_already_in_the_store_is_judged_with_the_file(db):
    """The checks see the thesaurus as it would be: a file whose concept
    makes a loop with stored ones is refused although the file alone is fine."""
    run_import(db, read_text(VERSION_1))
    addition = read_text("""@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix ex: <http://example.org/thesaurus/> .
ex:emploi skos:broader ex:smic .
""")
    with pytest.raises(ThesaurusRuleViolation) as refused:
        run_import(db, addition)
    assert refused.value.findings[0].code == "hierarchy_cycle"


def test_a_file_of_new_concepts_hooks_them_under_stored_ones(db):
    run_import(db, read_text(VERSION_1))
    report = run_import(db, read_text("""@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix ex: <http://example.org/thesaurus/> .
ex:interim a skos:Concept ; skos:inScheme ex:scheme ; skos:prefLabel "Intérim"@fr ; skos:broader ex:travail .
"""))
    assert report.added == uris("interim")
    assert report.unchanged == uris("travail") and report.changed == []
    assert concept(db, "travail").pref_label_fr == "Travail"  # untouched: the file only names it
    assert count(db, Concept) == 7


def test_export_then_import_changes_nothing_in_turtle_and_rdf_xml(db):
    run_import(db, read_text(VERSION_1))
    for fmt in ("turtle", "rdfxml"):
        exported = export(db, fmt)
        report = run_import(db, read(exported, format=fmt))
        assert report.counts() == {"added": 0, "changed": 0, "deprecated": 0, "unchanged": 6, "dropped": 0}
        assert export(db, fmt) == exported


def test_rdf_xml_is_read_and_labels_are_stored_tidy(db):
    report = run_import(db, read(RDF_XML, format="rdfxml"))
    assert len(report.added) == 2
    with db.session() as session:
        texts = set(session.scalars(select(ConceptLabel.text)))
        assert session.scalar(select(func.count()).select_from(ConceptRelation)) == 1
    assert texts == {"Orientation professionnelle", "Bilan de compétences"}


def test_scheme_option_imports_into_one_scheme_and_exports_it_alone(db):
    run_import(db, read(RDF_XML, format="rdfxml"))
    report = run_import(db, read_text(VERSION_1), scheme_uri=EX + "scheme")
    assert len(report.added) == 6 and report.dropped == []
    exported = export(db, scheme=EX + "scheme").decode()
    assert "Salaire minimum" in exported and "Bilan de comp" not in exported
    with db.session() as session:
        assert session.scalar(select(ConceptCollection.label_fr)) == "Pôle emploi"
