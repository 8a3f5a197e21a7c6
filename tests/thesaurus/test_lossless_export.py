"""An imported thesaurus goes out as it came in (issue 14, finding 11).

Each test imports a file, exports the thesaurus and compares the two graphs
with rdflib: ``rdflib.compare.isomorphic``, which matches blank nodes by
their place in the graph rather than by label, and ``graph_diff`` to show
what differs when they are not. The export must hold every triple of the
file and invent none.

The only exceptions are what the catalogue itself does, listed in
CREATED_HERE and in the README: a concept created here is dated
(dct:created; dct:modified once edited); a concept edited here gets the
catalogue's dct:modified instead of its file's, and is written from the
catalogue's model whole (its labels as stored, its links both ways), while
its file's triples about what the model does not hold still travel. A later
file that hangs a new concept under a stored one it does not describe gives
that one the inverse link (skos:narrower).
"""
from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from rdflib.namespace import DCTERMS, RDF, SKOS
from sqlalchemy import func, select

from cite import migrate
from cite.cli import main
from core.db import Database
from tests.conftest import SHARED_DATA
from tests.thesaurus.skos_samples import RDF_XML, VERSION_1
from thesaurus.errors import ThesaurusRuleViolation
from thesaurus.models import UnmodelledTriples
from thesaurus.services.concepts import ConceptService
from thesaurus.services.imports import ThesaurusImportService
from thesaurus.skos.read import read
from thesaurus.skos.write import write
from thesaurus.store import load_graph

# What an export may hold that its file did not state: dates of what was
# created or edited here (see the module docstring for which concepts).
CREATED_HERE = {DCTERMS.created, DCTERMS.modified}

EX = rdflib.Namespace("http://example.org/lossless/")
ISO_THES = rdflib.Namespace("http://purl.org/iso25964/skos-thes#")
SKOSXL = rdflib.Namespace("http://www.w3.org/2008/05/skos-xl#")
XSD = rdflib.Namespace("http://www.w3.org/2001/XMLSchema#")  # rdflib's own trips pytest's collection

# What the model does not hold, or holds differently: scheme metadata and a
# title given as rdfs:label only, a second type, a second notation, stray
# spaces, one-way links, a self-related link, skosxl labels (one used by
# nothing), blank nodes and lists, iso-thes groups, a collection with two
# parents and alt labels, dates in other forms than xsd:dateTime in UTC, a
# note whose text looks like a blank node, a sub-property declaration and an
# anonymous ontology header.
TRICKY = """\
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix skosxl: <http://www.w3.org/2008/05/skos-xl#> .
@prefix iso-thes: <http://purl.org/iso25964/skos-thes#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix dc: <http://purl.org/dc/elements/1.1/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix ex: <http://example.org/lossless/> .

ex:scheme a skos:ConceptScheme ; rdfs:label "Vocabulaire sans perte"@fr ;
    dct:license <https://creativecommons.org/licenses/by-sa/4.0/> ; dct:rightsHolder "Cité des métiers" ;
    dct:created "2001-02-03"^^xsd:date ; dc:creator [ a foaf:Person ; foaf:name "A. Dupont" ] .
ex:emploi a skos:Concept, ex:Domaine ; skos:inScheme ex:scheme ; skos:topConceptOf ex:scheme ;
    skos:prefLabel "Emploi"@fr ; skos:altLabel "Travail  salarié"@fr ;
    skos:narrower ex:cdi ; skos:related ex:emploi ; skos:notation "E1", "E01" ;
    dct:modified "2020-05-06T07:08:09"^^xsd:dateTime ; skosxl:altLabel ex:xl-boulot .
ex:xl-boulot a skosxl:Label ; skosxl:literalForm "Boulot"@fr .
ex:xl-job a skosxl:Label ; skosxl:literalForm "Job"@en .
ex:cdi a skos:Concept ; skos:inScheme ex:scheme ; skos:prefLabel " CDI "@fr ; skos:related ex:interim ;
    skos:editorialNote "Voir _:b0 ."@fr ;
    ex:contrat [ ex:duree "indéterminée" ; ex:clauses ( "a" "b" ) ] .
ex:interim a skos:Concept ; skos:inScheme ex:scheme ; skos:prefLabel "Intérim"@fr ; skos:broader ex:emploi ;
    dct:created "2019"^^xsd:gYear .
ex:groupe a skos:Collection, iso-thes:ConceptGroup ; skos:prefLabel "Groupe"@fr ; skos:altLabel "G"@fr ;
    iso-thes:subGroup ex:sous ; skos:member ex:sous .
ex:autre-groupe a skos:Collection ; skos:prefLabel "Autre groupe"@fr ; skos:member ex:sous .
ex:sous a skos:Collection ; skos:prefLabel "Sous-groupe"@fr ; iso-thes:superGroup ex:groupe ;
    skos:memberList ( ex:cdi ex:interim ) .
ex:monBroader rdfs:subPropertyOf skos:broader .
[] a <http://www.w3.org/2002/07/owl#Ontology> ; rdfs:comment "Copie de _:b0 ."@fr .
"""

SAMPLES = {"tricky": (TRICKY.encode(), "turtle"), "version_1": (VERSION_1.encode(), "turtle"),
           "rdf_xml": (RDF_XML, "rdfxml")}
RDFLIB_FORMATS = {"turtle": "turtle", "rdfxml": "xml", "ntriples": "nt"}


def rdf(data: bytes, fmt: str) -> rdflib.Graph:
    graph = rdflib.Graph().parse(data=data, format=RDFLIB_FORMATS[fmt])
    # RDF 1.1: "x" and "x"^^xsd:string are one literal; rdflib 7 still tells them apart.
    for s, p, o in list(graph):
        if isinstance(o, rdflib.Literal) and o.datatype == XSD.string:
            graph.remove((s, p, o))
            graph.add((s, p, rdflib.Literal(str(o))))
    return graph


def differences(source: rdflib.Graph, exported: rdflib.Graph) -> tuple[list, list]:
    """(triples of the source missing from the export, triples the export adds)."""
    _, missing, added = graph_diff(to_isomorphic(source), to_isomorphic(exported))
    return sorted(missing), sorted(added)


def assert_same(source: rdflib.Graph, exported: rdflib.Graph) -> None:
    if not isomorphic(source, exported):
        missing, added = differences(source, exported)
        pytest.fail(f"{len(source)} triples in, {len(exported)} out; missing {missing[:20]}; added {added[:20]}")


def run_import(db, data: bytes, fmt: str, **options):
    with db.transaction() as session:
        return ThesaurusImportService(session).import_graph(read(data, format=fmt), **options)


def export(db, fmt: str = "turtle", scheme: str | None = None) -> bytes:
    with db.session() as session:
        return write(load_graph(session, scheme), fmt)


@pytest.fixture
def fresh_db(backend, request, tmp_path):
    """A second migrated database, for a round trip into a thesaurus that never saw the file."""
    if backend == "sqlite":
        database = Database(f"sqlite:///{tmp_path / 'second.db'}")
    else:
        server = request.getfixturevalue("postgres_server")
        database = Database(server.create_database(f"second_{tmp_path.name[-20:].lower().replace('-', '_')}"))
    migrate.upgrade(database)
    yield database
    database.dispose()


@pytest.mark.parametrize("sample", sorted(SAMPLES))
@pytest.mark.parametrize("fmt", ["turtle", "rdfxml", "ntriples"])
def test_every_export_format_holds_every_triple_of_the_file_and_invents_none(db, sample, fmt):
    data, source_format = SAMPLES[sample]
    run_import(db, data, source_format)
    assert_same(rdf(data, source_format), rdf(export(db, fmt), fmt))


@pytest.mark.parametrize("fmt", ["turtle", "rdfxml"])
def test_the_export_command_writes_the_same_graph(database_url, db, tmp_path, fmt):
    """`catalogue thesaurus export`, the thesaurus's only way out (the API
    and the pages have no SKOS export), goes through the same writer."""
    source = tmp_path / "tricky.ttl"
    source.write_text(TRICKY, encoding="utf-8")
    target = tmp_path / f"out.{fmt}"
    env = {"CATALOGUE_DATABASE_URL": database_url, "CATALOGUE_INSTANCE_DIR": str(tmp_path / "instance"),
           "CATALOGUE_LOG_LEVEL": "ERROR"}
    for args in (["import", source], ["export", "--format", fmt, "--output", target]):
        result = CliRunner().invoke(main, ["thesaurus", *map(str, args)], env=env, catch_exceptions=False)
        assert result.exit_code == 0, result.output
    assert_same(rdf(TRICKY.encode(), "turtle"), rdf(target.read_bytes(), fmt))
    assert target.read_bytes() == export(db, fmt)


def scolomfr_files() -> list[Path]:
    folder = SHARED_DATA / "skos-scolomfr-recette-tests"
    return sorted(p for p in folder.glob("**/*") if p.suffix in (".skos", ".rdf")) if folder.is_dir() else []


@pytest.mark.parametrize("path", scolomfr_files(), ids=lambda p: p.name)
def test_scolomfr_files_come_back_whole_or_leave_nothing(db, path):
    """Most of these files carry a fault the import refuses: then nothing at
    all is stored, unmodelled triples included. The others come back whole."""
    try:
        run_import(db, path.read_bytes(), "rdfxml")
    except ThesaurusRuleViolation:
        with db.session() as session:
            assert session.scalar(select(func.count()).select_from(UnmodelledTriples)) == 0
        assert len(rdf(export(db, "ntriples"), "ntriples")) == 0
        return
    assert_same(rdf(path.read_bytes(), "rdfxml"), rdf(export(db), "turtle"))


def test_unesco_goes_out_as_it_came_in(db, shared_data, backend, request):
    """88,564 triples in, 88,564 out: the scheme's licence and rights, the 88
    iso-thes group links, the skosxl labels, the 61 alt labels of the
    micro-thesauri, the self-related link, the labels with doubled spaces and
    the 171 dct:created, and no date the file did not give."""
    if backend != "sqlite":
        pytest.skip("4,485 concepts: once is enough, on SQLite")
    fresh_db = request.getfixturevalue("fresh_db")
    data = (shared_data / "skos-unesco-thesaurus" / "unesco-thesaurus.ttl").read_bytes()
    run_import(db, data, "turtle")
    exported = export(db)
    source, out = rdf(data, "turtle"), rdf(exported, "turtle")
    assert len(source) == len(out) == 88_564
    assert_same(source, out)
    scheme = rdflib.URIRef("http://vocabularies.unesco.org/thesaurus")
    assert (scheme, DCTERMS.license, rdflib.URIRef("http://creativecommons.org/licenses/by-sa/3.0/igo/")) in out
    for predicate, count in ((DCTERMS.created, 171), (ISO_THES.subGroup, 88), (ISO_THES.superGroup, 88),
                             (SKOSXL.literalForm, 8)):
        assert len(list(out.triples((None, predicate, None)))) == count, predicate

    # Export, import into a thesaurus that never saw the file, export: the same bytes.
    run_import(fresh_db, exported, "turtle")
    assert export(fresh_db) == exported


def test_export_import_export_is_stable_to_the_byte(db, fresh_db):
    run_import(db, TRICKY.encode(), "turtle")
    for fmt in ("turtle", "rdfxml", "ntriples"):
        first = export(db, fmt)
        run_import(fresh_db, first, fmt)
        assert export(fresh_db, fmt) == first
        again = run_import(db, first, fmt)  # into the thesaurus it came from: nothing changes
        assert again.counts() == {"added": 0, "changed": 0, "deprecated": 0, "unchanged": 3, "dropped": 0}
        assert export(db, fmt) == first


def test_a_re_import_replaces_what_the_file_said_before(db):
    run_import(db, TRICKY.encode(), "turtle")
    with db.session() as session:
        rows = session.scalar(select(func.count()).select_from(UnmodelledTriples))
    newer = TRICKY.replace("by-sa/4.0", "by/4.0").replace('"Job"@en', '"Gig"@en')
    run_import(db, newer.encode(), "turtle")
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(UnmodelledTriples)) == rows
    assert_same(rdf(newer.encode(), "turtle"), rdf(export(db), "turtle"))


def test_free_standing_resources_go_out_with_their_scheme_only(db):
    run_import(db, TRICKY.encode(), "turtle")
    run_import(db, VERSION_1.encode(), "turtle")
    own = rdf(export(db, scheme="http://example.org/thesaurus/scheme"), "turtle")
    assert_same(rdf(VERSION_1.encode(), "turtle"), own)
    assert (EX["xl-job"], SKOSXL.literalForm, rdflib.Literal("Job", lang="en")) in rdf(export(db), "turtle")


def concept_dates(graph: rdflib.Graph, uri) -> dict:
    return {p: graph.value(uri, p) for p in CREATED_HERE if graph.value(uri, p) is not None}


def test_only_what_was_created_or_edited_here_is_dated_by_the_catalogue(db):
    run_import(db, TRICKY.encode(), "turtle")
    with db.transaction() as session:
        new = ConceptService(session).create({"pref_labels": {"fr": "Contrat aidé"}, "broader": []})
        new_uri, new_id = rdflib.URIRef(new.uri), new.id
        created = new.created_at
    out = rdf(export(db), "turtle")
    # Imported: the file's dates as the file wrote them, and no others.
    assert concept_dates(out, EX.cdi) == {}
    assert concept_dates(out, EX.interim) == {DCTERMS.created: rdflib.Literal("2019", datatype=XSD.gYear)}
    assert concept_dates(out, EX.emploi) == {
        DCTERMS.modified: rdflib.Literal("2020-05-06T07:08:09", datatype=XSD.dateTime)}
    # Created here: dct:created, and no dct:modified until it is edited.
    assert concept_dates(out, new_uri) == {DCTERMS.created: rdflib.Literal(created.isoformat(),
                                                                           datatype=XSD.dateTime)}
    with db.transaction() as session:
        service = ConceptService(session)
        edited = service.add_label(new_id, "alt", "fr", "CUI")
        assert edited.version > 1
        cdi = service.get_by_uri(str(EX.cdi))
        service.add_label(cdi.id, "alt", "fr", "Contrat à durée indéterminée")
        emploi = service.get_by_uri(str(EX.emploi))
        service.update(emploi.id, {"notation": "E1"}, version=emploi.version)
    out = rdf(export(db), "turtle")
    assert set(concept_dates(out, new_uri)) == {DCTERMS.created, DCTERMS.modified}
    assert set(concept_dates(out, EX.cdi)) == {DCTERMS.modified}
    assert out.value(EX.emploi, DCTERMS.modified) != rdflib.Literal("2020-05-06T07:08:09", datatype=XSD.dateTime)


def test_a_concept_edited_here_is_written_from_the_model_and_keeps_the_rest(db):
    run_import(db, TRICKY.encode(), "turtle")
    with db.transaction() as session:
        service = ConceptService(session)
        cdi = service.get_by_uri(str(EX.cdi))
        service.add_label(cdi.id, "alt", "fr", "Contrat à durée indéterminée")
    source, out = rdf(TRICKY.encode(), "turtle"), rdf(export(db), "turtle")
    # The model's own form: the label trimmed as stored, the links both ways.
    assert out.value(EX.cdi, SKOS.prefLabel) == rdflib.Literal("CDI", lang="fr")
    assert (EX.cdi, SKOS.broader, EX.emploi) in out
    # What the model does not hold still travels: the contract and its list.
    contract = out.value(EX.cdi, EX.contrat)
    assert out.value(contract, EX.duree) == rdflib.Literal("indéterminée")
    assert list(rdflib.collection.Collection(out, out.value(contract, EX.clauses))) == [
        rdflib.Literal("a"), rdflib.Literal("b")]
    # Everything else is as the file said.
    missing, added = differences(source, out)
    assert {s for s, _, _ in missing} == {EX.cdi} and {s for s, _, _ in added} == {EX.cdi}
    assert {p for _, p, _ in added} == {SKOS.prefLabel, SKOS.altLabel, SKOS.broader, DCTERMS.modified}
    assert (EX.emploi, SKOS.narrower, EX.cdi) in out and (EX.interim, SKOS.related, EX.cdi) not in out
    assert (EX.cdi, RDF.type, SKOS.Concept) in out


def test_a_file_that_only_names_stored_resources_leaves_what_was_kept_of_them(db):
    """A file of new concepts, hung under a stored one in a stored scheme it
    does not restate: the first file's triples all stay. The one triple the
    export adds is the inverse of the new link, on the stored concept."""
    run_import(db, TRICKY.encode(), "turtle")
    more = """@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix ex: <http://example.org/lossless/> .
ex:portage a skos:Concept ; skos:inScheme ex:scheme ; skos:prefLabel "Portage salarial"@fr ;
    skos:broader ex:emploi .
"""
    report = run_import(db, more.encode(), "turtle")
    assert report.added == [str(EX.portage)] and report.unchanged == [str(EX.emploi)]
    both = rdf(TRICKY.encode(), "turtle") + rdf(more.encode(), "turtle")
    missing, added = differences(both, rdf(export(db), "turtle"))
    assert missing == [] and added == [(EX.emploi, SKOS.narrower, EX.portage)]


def test_rdfxml_refuses_a_kept_property_it_cannot_name_and_turtle_writes_it(db, database_url, tmp_path):
    """An RDF/XML element needs a name at the end of the property's IRI; the
    writer behind it would write invalid XML without a word."""
    data = TRICKY.replace('ex:interim a skos:Concept ;',
                          'ex:interim a skos:Concept ; <http://example.org/p/7> "sept" ;').encode()
    run_import(db, data, "turtle")
    with pytest.raises(ValueError, match="p/7"):
        export(db, "rdfxml")
    assert_same(rdf(data, "turtle"), rdf(export(db, "turtle"), "turtle"))
    result = CliRunner().invoke(main, ["thesaurus", "export", "--format", "rdfxml"],
                                env={"CATALOGUE_DATABASE_URL": database_url,
                                     "CATALOGUE_INSTANCE_DIR": str(tmp_path)})
    assert result.exit_code == 1 and "export as Turtle" in result.output, result.output
