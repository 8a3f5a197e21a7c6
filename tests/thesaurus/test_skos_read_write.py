"""Reading and writing SKOS: what the reader keeps, what it refuses, and that
the writer's output reads back to the same bytes."""
from __future__ import annotations

import datetime as dt

import pytest

from thesaurus.skos.graph import Label, Note
from thesaurus.skos.read import SkosReadError, clean_label, normalise, read
from thesaurus.skos.write import write

PREFIXES = b"""@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix skosxl: <http://www.w3.org/2008/05/skos-xl#> .
@prefix iso-thes: <http://purl.org/iso25964/skos-thes#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix : <http://example.org/t/> .
"""

THESAURUS = PREFIXES + """
:scheme a skos:ConceptScheme ; dct:title "Th\u00e9saurus d'essai"@fr, "Test thesaurus"@en ;
    skos:hasTopConcept :travail .
:travail a skos:Concept ; skos:inScheme :scheme ; skos:topConceptOf :scheme ;
    skos:prefLabel "Travail"@fr, "Work"@en ; skos:notation "T1" ;
    skos:narrower :emploi ; skos:scopeNote "Activit\u00e9 r\u00e9mun\u00e9r\u00e9e ou non."@fr ;
    dct:created "2020-01-02T03:04:05Z"^^xsd:dateTime ; dct:modified "2021-06-01"^^xsd:date .
:emploi a skos:Concept ; skos:inScheme :scheme ;
    skos:prefLabel "Emploi"@fr ; skos:altLabel "  Job "@fr ; skos:hiddenLabel "emploie"@fr ;
    skos:related :chomage ; skos:definition "Un poste."@fr ; skos:exactMatch <http://rameau.example/emploi> .
:chomage a skos:Concept ; skos:inScheme :scheme ; skos:prefLabel "Ch\u00f4mage"@fr ;
    :myBroader :travail ; skosxl:altLabel :xl1 ; iso-thes:status "candidate" .
:myBroader rdfs:subPropertyOf skos:broader .
:xl1 a skosxl:Label ; skosxl:literalForm "Sans-emploi"@fr .
:vieux a skos:Concept ; skos:prefLabel "Vieux"@fr ; owl:deprecated true ; dct:isReplacedBy :emploi ;
    skos:broader :ailleurs .
:pole a skos:Collection, iso-thes:ConceptGroup ; skos:prefLabel "P\u00f4le emploi"@fr ; skos:notation "P" ;
    skos:member :emploi ; iso-thes:subGroup :souspole .
:souspole a iso-thes:ConceptGroup ; skos:prefLabel "Sous-p\u00f4le"@fr ; iso-thes:superGroup :pole ;
    skos:member :chomage .
""".encode()

T = "http://example.org/t/"


def test_read_concepts_labels_notes_and_relations():
    graph = read(THESAURUS, format="turtle")

    travail, emploi, chomage = (graph.concepts[T + name] for name in ("travail", "emploi", "chomage"))
    assert travail.pref("fr") == "Travail" and travail.pref("en") == "Work"
    assert travail.notation == "T1"
    assert travail.notes == [Note("scope", "fr", "Activit\u00e9 r\u00e9mun\u00e9r\u00e9e ou non.")]
    assert travail.narrower == {T + "emploi"} and travail.top_of == {T + "scheme"}
    assert travail.created == dt.datetime(2020, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)
    assert travail.modified == dt.datetime(2021, 6, 1)
    # Label texts are kept as given: the checks report the stray spaces.
    assert Label("alt", "fr", "  Job ") in emploi.labels and Label("hidden", "fr", "emploie") in emploi.labels
    assert emploi.related == {T + "chomage"}
    assert emploi.mappings == {("exactMatch", "http://rameau.example/emploi")}
    assert emploi.notes == [Note("definition", "fr", "Un poste.")]
    # A sub-property of skos:broader declared in the file is a broader link;
    # a SKOS-XL label is a label.
    assert chomage.broader == {T + "travail"}
    assert Label("alt", "fr", "Sans-emploi") in chomage.labels
    assert chomage.status == "candidate"


def test_read_status_schemes_and_collections():
    graph = read(THESAURUS, format="turtle")

    vieux = graph.concepts[T + "vieux"]
    assert vieux.status == "deprecated" and vieux.replaced_by == T + "emploi"
    # Only met as the end of a relation: a concept, marked untyped.
    assert graph.concepts[T + "ailleurs"].typed is False and vieux.typed is True
    scheme = graph.schemes[T + "scheme"]
    assert scheme.titles == {"fr": "Th\u00e9saurus d'essai", "en": "Test thesaurus"}
    assert scheme.top_concepts == {T + "travail"}
    pole = graph.collections[T + "pole"]
    assert pole.labels == {"fr": "P\u00f4le emploi"} and pole.notation == "P"
    assert pole.members == {T + "emploi", T + "souspole"}
    assert graph.collections[T + "souspole"].members == {T + "chomage"}
    assert graph.reader_findings == []


def test_normalise_folds_narrower_and_makes_related_symmetric():
    graph = normalise(read(THESAURUS + b":emploi skos:related :emploi .", format="turtle"))

    assert graph.concepts[T + "emploi"].broader == {T + "travail"}
    assert all(not concept.narrower for concept in graph.concepts.values())
    assert graph.concepts[T + "chomage"].related == {T + "emploi"}
    assert graph.concepts[T + "emploi"].related == {T + "chomage"}   # the link to itself is dropped


def test_rdfxml_reads_like_turtle():
    turtle = read(THESAURUS, format="turtle")
    again = read(write(turtle, "rdfxml"))   # format guessed from the content

    assert write(normalise(again)) == write(normalise(turtle))


def test_unknown_skos_terms_and_solely_transitive_links_are_reported_by_the_reader():
    graph = read(PREFIXES + b""":a a skos:Concept ; skos:prefLabel "A"@fr ; skos:symbol "x" ;
        skos:broaderTransitive :b .
        :b a skos:Concept ; skos:prefLabel "B"@fr .""", format="turtle")

    codes = sorted(finding.code for finding in graph.reader_findings)
    assert codes == ["solely_transitive", "undefined_skos_term"]


def test_entity_declarations_are_refused():
    bomb = b"""<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns:skos="http://www.w3.org/2004/02/skos/core#">
  <skos:Concept rdf:about="http://example.org/x"><skos:prefLabel>&b;</skos:prefLabel></skos:Concept>
</rdf:RDF>"""
    with pytest.raises(SkosReadError, match="entities"):
        read(bomb)


def test_syntax_errors_name_the_line():
    with pytest.raises(SkosReadError) as raised:
        read(PREFIXES + b':a a skos:Concept ;\n  skos:prefLabel "open .\n', format="turtle")
    assert raised.value.params["line"] == 10


def test_unknown_format_and_missing_file_are_read_errors(tmp_path):
    with pytest.raises(SkosReadError):
        read(THESAURUS, format="json-ld")
    with pytest.raises(SkosReadError):
        read(tmp_path / "absent.ttl")


def test_format_is_guessed_from_the_extension(tmp_path):
    path = tmp_path / "thesaurus.ttl"
    path.write_bytes(THESAURUS)
    assert set(read(path).concepts) == set(read(THESAURUS, format="turtle").concepts)


def test_write_is_sorted_and_round_trips_byte_for_byte():
    graph = read(THESAURUS, format="turtle")
    for fmt in ("turtle", "rdfxml", "ntriples"):
        first = write(graph, fmt)
        assert write(read(first, format=fmt), fmt) == first
    turtle = write(graph).decode()
    # Readable prefixes, the hierarchy written both ways, candidate status kept.
    assert "@prefix skos:" in turtle and "voc:emploi" in turtle
    assert "skos:broader voc:travail" in turtle and "skos:narrower voc:chomage , voc:emploi" in turtle
    assert 'iso-thes:status "candidate"' in turtle and "owl:deprecated true" in turtle


def test_clean_label_strips_and_collapses_whitespace_and_control_characters():
    assert clean_label("  Job \n\t en  CDI\x07 ") == "Job en CDI"
    assert clean_label("Validation des acquis") == "Validation des acquis"


# The real UNESCO thesaurus.

def unesco_path(shared_data):
    return shared_data / "skos-unesco-thesaurus" / "unesco-thesaurus.ttl"


def test_unesco_reads_with_every_concept_in_french(shared_data):
    graph = read(unesco_path(shared_data))

    assert len(graph.concepts) == 4485 and all(c.typed for c in graph.concepts.values())
    assert len(graph.collections) == 95 and len(graph.schemes) == 1
    assert all(concept.pref("fr") for concept in graph.concepts.values())
    assert sum(len(c.labels) for c in graph.concepts.values()) > 40_000


@pytest.mark.parametrize("fmt", ["turtle", "rdfxml"])
def test_unesco_round_trips_byte_for_byte(shared_data, fmt):
    graph = normalise(read(unesco_path(shared_data)))
    first = write(graph, fmt)
    again = normalise(read(first, format=fmt))

    assert write(again, fmt) == first
    assert set(again.concepts) == set(graph.concepts)
