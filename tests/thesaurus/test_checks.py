"""Each file-level check on a small hand-written thesaurus, and the real
UNESCO thesaurus passing with warnings only."""
from __future__ import annotations

import pytest

from thesaurus.skos.checks import check, dropped_concepts
from thesaurus.skos.checks_labels import valid_language_tag
from thesaurus.skos.findings import CODES, ERROR, WARNING, errors_in
from thesaurus.skos.read import read

PREFIXES = b"""@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix : <http://example.org/t/> .
:s a skos:ConceptScheme ; skos:prefLabel "Essai"@fr ; skos:hasTopConcept :top .
:top a skos:Concept ; skos:inScheme :s ; skos:prefLabel "Racine"@fr .
"""
T = "http://example.org/t/"


def findings(turtle: str, **kwargs):
    return check(read(PREFIXES + turtle.encode(), format="turtle"), **kwargs)


def codes(turtle: str) -> set[str]:
    return {finding.code for finding in findings(turtle)}


def concept(name: str, fr: str, extra: str = "") -> str:
    return f':{name} a skos:Concept ; skos:inScheme :s ; skos:prefLabel "{fr}"@fr ; skos:broader :top {extra} .\n'


def test_a_clean_thesaurus_has_no_finding():
    turtle = (concept("a", "Emploi", "; skos:related :c") + concept("b", "Travail")
              + concept("c", "Ch\u00f4mage", "; skos:broader :b ; skos:related :a") + ":top skos:narrower :a, :b .\n"
              + ":b skos:narrower :c .\n")
    turtle = turtle.replace("; skos:broader :top ; skos:broader :b", "; skos:broader :b")
    assert findings(turtle) == []


def test_a_cycle_is_named_by_its_chain_of_labels():
    found = findings(concept("emploi", "Emploi", "; skos:broader :travail")
                     + concept("travail", "Travail", "; skos:broader :emploi"))

    cycle = next(f for f in found if f.code == "hierarchy_cycle")
    assert cycle.severity == ERROR
    assert set(cycle.concepts) == {T + "emploi", T + "travail"}
    assert cycle.text() == "The hierarchy loops back on itself: \u201cEmploi\u201d > \u201cTravail\u201d > \u201cEmploi\u201d."


def test_a_long_cycle_through_narrower_links_is_found():
    # a > b > c by broader links, and "a narrower c" closes the loop.
    found = findings(concept("a", "A", "; skos:broader :b ; skos:narrower :c") + concept("b", "B", "; skos:broader :c")
                     + concept("c", "C"))
    assert [f.params["chain"] for f in found if f.code == "hierarchy_cycle"] == [
        "\u201cA\u201d > \u201cB\u201d > \u201cC\u201d > \u201cA\u201d"]


def test_reflexive_links():
    assert "reflexive_relation" in codes(concept("a", "A", "; skos:broader :a"))
    found = codes(concept("a", "A", "; skos:related :a"))
    assert "self_related" in found and "reflexive_relation" not in found


@pytest.mark.parametrize("turtle, code, severity", [
    (concept("a", "A", '; skos:prefLabel "Autre"@fr'), "duplicate_pref_label", ERROR),
    (concept("a", "Emploi") + concept("b", "emploi"), "pref_label_shared", ERROR),
    (concept("a", "Emploi", '; skos:prefLabel "Work"@en') + concept("b", "Travail", '; skos:prefLabel "work"@en'),
     "pref_label_shared_translation", WARNING),
    (concept("a", "Emploi") + concept("b", "Travail", '; skos:altLabel "EMPLOI"@fr'), "pref_alt_clash", ERROR),
    (concept("a", "Emploi", '; skos:prefLabel "Job"@en')
     + concept("b", "Travail", '; skos:altLabel "Job"@en'), "pref_alt_clash_translation", WARNING),
    (concept("a", "Emploi", '; skos:hiddenLabel "Emploi"@fr'), "disjoint_labels", ERROR),
    (':a a skos:Concept ; skos:inScheme :s ; skos:broader :top ; skos:altLabel "Seul"@fr .', "missing_pref_label",
     ERROR),
    (':a a skos:Concept ; skos:inScheme :s ; skos:broader :top ; skos:prefLabel "Work"@en .',
     "missing_french_label", ERROR),
    (concept("a", "A", '; skos:altLabel "  "@fr'), "empty_label", ERROR),
    (concept("a", "A", '; skos:altLabel "B"@xy'), "invalid_language_tag", ERROR),
    (concept("a", "A", '; skos:altLabel " Deux  espaces"@fr'), "untidy_label", WARNING),
    (concept("a", "A", '; skos:altLabel "ligne\\nbris\u00e9e"@fr'), "unprintable_characters", WARNING),
    (concept("a", "A", "; skos:related :top"), "related_in_hierarchy", ERROR),
    (concept("a", "A", "; skos:related :b") + concept("b", "B"), "related_siblings", WARNING),
    (concept("a", "A") + concept("b", "B", "; skos:broader :a"), "hierarchical_redundancy", WARNING),
    (':a a skos:Concept ; skos:inScheme :s ; skos:prefLabel "Seul"@fr .', "orphan_concept", WARNING),
    (concept("a", "A") + ":top skos:broader :a .", "top_concept_has_broader", WARNING),
    (':t2 a skos:ConceptScheme ; skos:prefLabel "Vide"@fr .', "missing_top_concepts", WARNING),
    (':t2 a skos:ConceptScheme ; skos:hasTopConcept :top .', "scheme_without_title", WARNING),
    (concept("a", "A") + ":top skos:narrower :b .\n" + concept("b", "B"), "omitted_inverse", WARNING),
    (concept("a", "A", "; skos:exactMatch <http://x/1> ; skos:broadMatch <http://x/1>"), "mapping_clash", ERROR),
    (concept("a", "A", "; skos:broadMatch :b") + concept("b", "B"), "mapping_misuse", WARNING),
    (concept("a", "A", '; skos:notation "1"') + concept("b", "B", '; skos:notation "1"'), "ambiguous_notation",
     WARNING),
    ('<urn:isbn:1> a skos:Concept ; skos:inScheme :s ; skos:prefLabel "U"@fr ; skos:broader :top .',
     "non_http_uri", WARNING),
    (concept("a", "A", "; owl:deprecated true ; <http://purl.org/dc/terms/isReplacedBy> :gone"),
     "replacement_missing", ERROR),
    (':x a skos:Concept ; skos:inScheme :s ; skos:prefLabel "X"@fr ; skos:related :y .\n'
     ':y a skos:Concept ; skos:inScheme :s ; skos:prefLabel "Y"@fr ; skos:related :x .', "disconnected_clusters",
     WARNING),
])
def test_each_check_reports_its_code(turtle, code, severity):
    found = [f for f in findings(turtle) if f.code == code]
    assert found, f"{code} not reported"
    assert {f.severity for f in found} == {severity} == {CODES[code][0]}
    for finding in found:   # every message formats with the parameters given
        assert "%(" not in finding.text()


def test_invalid_uris_and_empty_files():
    graph = read(b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:skos="http://www.w3.org/2004/02/skos/core#">
  <skos:Concept rdf:about="www.example.org"><skos:prefLabel xml:lang="fr">A</skos:prefLabel></skos:Concept>
  <skos:Concept rdf:about="http://example.org/a b"><skos:prefLabel xml:lang="fr">B</skos:prefLabel></skos:Concept>
</rdf:RDF>""")
    assert [f.concepts for f in check(graph) if f.code == "invalid_uri"] == [("http://example.org/a b",),
                                                                             ("www.example.org",)]
    assert [f.code for f in check(read(b"", format="turtle"))] == ["no_concepts"]


def test_accents_make_different_terms():
    # "Dipl\u00f4me" (diploma) and "Dipl\u00f4m\u00e9" (graduate) are two French terms.
    assert findings(concept("a", "Dipl\u00f4me") + concept("b", "Dipl\u00f4m\u00e9")) == []


def test_deprecated_concepts_are_exempt_from_label_clashes():
    turtle = concept("a", "Emploi") + concept("b", "Emploi", "; owl:deprecated true")
    assert "pref_label_shared" not in codes(turtle)


def test_related_in_hierarchy_names_the_chain():
    found = findings(concept("a", "Travail") + ':b a skos:Concept ; skos:inScheme :s ; skos:prefLabel "Emploi"@fr ;'
                     ' skos:broader :a ; skos:related :top .')
    clash = next(f for f in found if f.code == "related_in_hierarchy")
    assert clash.params["chain"] == "\u201cEmploi\u201d > \u201cTravail\u201d > \u201cRacine\u201d"


def test_focus_keeps_findings_on_the_given_concepts():
    turtle = concept("a", "Emploi") + concept("b", "emploi") + concept("c", "C", '; skos:altLabel " x"@fr')
    assert {f.code for f in findings(turtle, focus={T + "c"})} == {"untidy_label"}
    assert {f.code for f in findings(turtle, focus={T + "a"})} == {"pref_label_shared"}


def test_findings_are_sorted_errors_first_and_serialisable():
    found = findings(concept("a", "A", '; skos:altLabel " x"@fr ; skos:broader :a'))
    assert [f.severity for f in found] == sorted((f.severity for f in found), key=lambda s: s != ERROR)
    assert found[0].as_dict()["message"]["en"]


def test_language_tags():
    for tag in ("fr", "fr-CA", "en-gb", "mn-Cyrl-MN", "sl-rozaj", "zh-cn", "es-419", "fr-x-local"):
        assert valid_language_tag(tag), tag
    for tag in ("xy", "blubb", "cz", "x-other", "sl-blabla", "fr-", "fre"):
        assert not valid_language_tag(tag), tag


def test_dropped_concepts_between_versions():
    before = read(PREFIXES + concept("a", "A").encode(), format="turtle")
    after = read(PREFIXES, format="turtle")
    assert [(f.code, f.concepts) for f in dropped_concepts(before, after)] == [("concept_dropped", (T + "a",))]


def test_unesco_passes_with_warnings_only(shared_data):
    # how fast the checks run is measured by bench/thesaurus.py, never asserted here
    graph = read(shared_data / "skos-unesco-thesaurus" / "unesco-thesaurus.ttl")
    found = check(graph)

    assert errors_in(found) == []
    assert {f.code for f in found} <= {"related_siblings", "pref_alt_clash_translation", "self_related",
                                       "pref_label_shared_translation", "untidy_label", "disconnected_clusters",
                                       "disjoint_labels_translation"}
