"""Every file of the qSKOS and ScoLOMFR test suites (../shared/data), mapped to
the code(s) its deliberate fault must be reported under.

Sources: skos-qskos-tests/SOURCE.txt (one file per qSKOS quality issue) and
skos-scolomfr-recette-tests/{SOURCE.txt,tests.yml} (test ids a*, q*, s*).
A file may carry other findings too (most qSKOS files use relative URIs and
have no labels): the table names the fault the file was made for. Faults we
deliberately do not check are listed with the reason, and valid twins are
asserted clean of the code their invalid sibling gets.
"""
from __future__ import annotations

from dataclasses import dataclass

import pytest

from thesaurus.skos.checks import check, dropped_concepts
from thesaurus.skos.findings import errors_in
from thesaurus.skos.read import SkosReadError, read

QSKOS = "skos-qskos-tests/"
SCOLOMFR = "skos-scolomfr-recette-tests/scolomfr-tests-"


@dataclass(frozen=True)
class Faulty:
    codes: frozenset[str]
    note: str = ""


@dataclass(frozen=True)
class Clean:
    """A valid twin (or a file without deliberate fault): none of ``absent``."""
    absent: frozenset[str]
    note: str = ""


@dataclass(frozen=True)
class NotChecked:
    reason: str
    absent: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Unreadable:
    reason: str


def faulty(*codes, note=""):
    return Faulty(frozenset(codes), note)


def clean(*codes, note=""):
    return Clean(frozenset(codes), note)


SPELLING = "a15/a19: spelling (\"exammen\") and abbreviations (\"RES\") need a French dictionary; not a SKOS fault"
CASE = "a23: ScoLOMFR case and acronym conventions (lower-case first letter, no \"sigle\"), a house style"
NAMING = ("a7: ScoLOMFR's URI naming charter (scolomfr-voc-NNN-num-NNNN matching the scheme), a project "
          "convention; the URIs are valid http URIs")
VDEX = "a17/a22: consistency with a VDEX twin; VDEX is not SKOS and is not imported"

TABLE = {
    QSKOS + "aggregations.rdf": clean("hierarchy_cycle", note="finds schemes and collections; no fault"),
    QSKOS + "ambiguousLabels.rdf": faulty("duplicate_pref_label", "disjoint_labels"),
    QSKOS + "ambiguousNotationReferences.rdf": faulty("ambiguous_notation"),
    QSKOS + "commonlanguage_en.rdf": faulty(
        "missing_french_label", note="q3's valid twin (all share English); our common language is French"),
    QSKOS + "components_1.rdf": faulty("disconnected_clusters"),
    QSKOS + "components_2.rdf": clean("disconnected_clusters", note="two trees joined by related links"),
    QSKOS + "concepts.rdf": faulty("undefined_skos_term", note="skos:altSymbol, skos:blabla, skos:InventedConcept"),
    QSKOS + "cycles.rdf": faulty("hierarchy_cycle"),
    QSKOS + "deprecatedAndIllegalTerms.rdf": faulty("undefined_skos_term", "invalid_language_tag"),
    QSKOS + "documentedConcepts.rdf": NotChecked(
        "q4 undocumented concepts: a note is optional (UNESCO documents 3,296 of its 4,485 concepts)"),
    QSKOS + "emptyLabels.rdf": faulty("empty_label"),
    QSKOS + "exactVsAssociativeMappingClashes.rdf": faulty("mapping_clash"),
    QSKOS + "hierarchicalAndAssociativeRelations.rdf": faulty("related_in_hierarchy"),
    QSKOS + "hierarchicalRedundancy.rdf": faulty("hierarchical_redundancy"),
    QSKOS + "invalidCharacters.rdf": faulty("invalid_uri"),
    QSKOS + "labelMatch.rdf": NotChecked(
        "qSKOS's configurable label-pattern test (labels under 3 characters): short terms such as \"PC\" are "
        "legitimate"),
    QSKOS + "labelsWithUnprintableCharacters.rdf": faulty("unprintable_characters"),
    QSKOS + "languageTags.rdf": faulty("invalid_language_tag", note="xy, sl-blabla, x-other"),
    QSKOS + "mappingRelationsMisuse.rdf": faulty("mapping_misuse"),
    QSKOS + "missingLabels.rdf": faulty("missing_pref_label", "scheme_without_title"),
    QSKOS + "missingTopConcepts.rdf": faulty("missing_top_concepts"),
    QSKOS + "noBroaderAndNotTopConcepts.rdf": faulty("orphan_concept"),
    QSKOS + "nocommonlanguage.rdf": faulty("missing_french_label", "invalid_language_tag", note="\"cz\" is not Czech"),
    QSKOS + "nocontent.rdf": faulty("no_concepts"),
    QSKOS + "omittedInverseRelations.rdf": faulty("omitted_inverse"),
    QSKOS + "overlappingLabels.rdf": faulty("pref_label_shared", "pref_alt_clash"),
    QSKOS + "rankConcepts.rdf": NotChecked("qSKOS's concept ranking is a statistic, not a fault"),
    QSKOS + "redundantAssociativeRelations.rdf": faulty("related_siblings"),
    QSKOS + "reflexivelyRelatedConcepts.rdf": faulty("reflexive_relation"),
    QSKOS + "relatedConcepts.rdf": faulty(
        "no_concepts", note="a statistic test: two labelled resources, no skos:Concept"),
    QSKOS + "relationClashes.rdf": faulty("related_in_hierarchy"),
    QSKOS + "resources.rdf": faulty("invalid_uri", "non_http_uri"),
    QSKOS + "skosxl.rdf": Unreadable("stray \" ;\" text between RDF/XML property elements is not RDF/XML"),
    QSKOS + "solitaryTransitiveRelations.rdf": faulty("solely_transitive"),
    QSKOS + "stw.rdf": faulty("missing_french_label", "missing_pref_label",
                              note="real STW excerpt: German and English only; links leave the excerpt"),
    QSKOS + "topConceptsHavingBroaderConcept.rdf": faulty("top_concept_has_broader"),

    SCOLOMFR + "v0/a4/a4_all_defaults.rdf": Clean(frozenset(), "a4 compares with the normative MIME-type list; "
                                                              "no fault in the file"),
    SCOLOMFR + "v0/a6/a6_dup_pref_lab_invalid.skos": faulty("pref_label_shared"),
    SCOLOMFR + "v0/a6/a6_dup_pref_lab_valid.skos": clean("pref_label_shared"),
    SCOLOMFR + "v0/a7/a7_incoherent_uri.skos": NotChecked(NAMING, frozenset({"invalid_uri"})),
    SCOLOMFR + "v0/a7/a7_invalid_uri.skos": NotChecked(NAMING, frozenset({"invalid_uri"})),
    SCOLOMFR + "v0/a7/a7_weird_uri.skos": NotChecked(NAMING, frozenset({"invalid_uri"})),
    SCOLOMFR + "v0/a7/a7_valid_uri.skos": clean("invalid_uri", "non_http_uri"),
    SCOLOMFR + "v0/a15/a15_abbr.rdf": NotChecked(SPELLING),
    SCOLOMFR + "v0/a15/a15_invalid.rdf": NotChecked(SPELLING),
    SCOLOMFR + "v0/a15/a15_invalid_abbr.rdf": NotChecked(SPELLING),
    SCOLOMFR + "v0/a15/a15_valid.rdf": clean("empty_label", "duplicate_pref_label"),
    SCOLOMFR + "v0/a17/a17_valid.vdex": Unreadable(VDEX),
    SCOLOMFR + "v0/a19/a19_label_invalid.rdf": NotChecked(SPELLING),
    SCOLOMFR + "v0/a19/a19_na_invalid.rdf": NotChecked(SPELLING),
    SCOLOMFR + "v0/a19/a19_ta_invalid.rdf": faulty(
        "omitted_inverse", note="the related term (TA) is stated one way only"),
    SCOLOMFR + "v0/a19/a19_valid.rdf": clean("omitted_inverse"),
    SCOLOMFR + "v0/a22/a22_duplicate.vdex": Unreadable(VDEX),
    SCOLOMFR + "v0/a22/a22_empty.vdex": Unreadable(VDEX),
    SCOLOMFR + "v0/a22/a22_nouri.vdex": Unreadable(VDEX),
    SCOLOMFR + "v0/a22/a22_valid.vdex": Unreadable(VDEX),
    SCOLOMFR + "v0/a23/a23_invalid.rdf": NotChecked(CASE),
    SCOLOMFR + "v0/a23/a23_sigle.rdf": NotChecked(CASE),
    SCOLOMFR + "v0/a23/a23_valid.rdf": clean("empty_label", "duplicate_pref_label"),
    SCOLOMFR + "v0/q12/q12_invalid.skos": faulty("hierarchy_cycle"),
    SCOLOMFR + "v0/q14/q14_invalid.skos": faulty("solely_transitive"),
    SCOLOMFR + "v0/q17/q17_invalid.skos": faulty("top_concept_has_broader"),
    SCOLOMFR + "v0/q19/q19_invalid.skos": faulty("reflexive_relation"),
    SCOLOMFR + "v0/q23/q23_invalid.skos": faulty("undefined_skos_term", "invalid_language_tag",
                                                note="tests.yml: undefined SKOS resources; SOURCE.txt: \"blubb\""),
    SCOLOMFR + "v0/q24/q24_invalid.skos": faulty("invalid_uri", "non_http_uri"),
    SCOLOMFR + "v0/q25/q25_invalid.skos": faulty("related_in_hierarchy"),
    SCOLOMFR + "v0/q26/q26_invalid.skos": faulty("mapping_clash"),
    SCOLOMFR + "v0/q27/q27_invalid.skos": faulty("duplicate_pref_label", "disjoint_labels"),
    SCOLOMFR + "v0/q5/q5_invalid.skos": faulty("pref_label_shared"),
    SCOLOMFR + "v0/q5/q5_valid.skos": clean("pref_label_shared", "pref_alt_clash"),
    SCOLOMFR + "v0/q8/q8_invalid.skos": faulty("empty_label"),
    SCOLOMFR + "v0/q8/q8_valid.skos": clean("empty_label"),
    # s2 compares two versions: see test_s2_concepts_are_kept_between_versions.
    SCOLOMFR + "v0/s2/s2_conservation_concepts_invalid_v0.skos": clean("hierarchy_cycle", note="s2 pair, v0"),
    SCOLOMFR + "v0/s2/s2_conservation_concepts_valid_v0.skos": clean("hierarchy_cycle", note="s2 pair, v0"),
    SCOLOMFR + "v1/s2/s2_conservation_concepts_invalid_v1.skos": clean("hierarchy_cycle", note="s2 pair, v1"),
    SCOLOMFR + "v1/s2/s2_conservation_concepts_valid_v1.skos": clean("hierarchy_cycle", note="s2 pair, v1"),
    SCOLOMFR + "v2/a17/a17_valid.skos": NotChecked(VDEX),
    SCOLOMFR + "v2/a17/a17_valid.vdex": Unreadable(VDEX),
    SCOLOMFR + "v3/a17/a17_invalid_uri.skos": NotChecked(VDEX),
    SCOLOMFR + "v3/a17/a17_invalid_uri.vdex": Unreadable(VDEX),
    SCOLOMFR + "v4/a17/a17_invalid_label.skos": NotChecked(VDEX),
    SCOLOMFR + "v4/a17/a17_invalid_label.vdex": Unreadable(VDEX),
    SCOLOMFR + "v5/a17/a17_missing_uri.skos": NotChecked(VDEX),
    SCOLOMFR + "v5/a17/a17_missing_uri.vdex": Unreadable(VDEX),
}

DATA_SUFFIXES = {".rdf", ".skos", ".vdex", ".ttl"}


def test_every_test_file_is_in_the_table(shared_data):
    on_disk = {str(path.relative_to(shared_data)) for folder in ("skos-qskos-tests", "skos-scolomfr-recette-tests")
               for path in (shared_data / folder).rglob("*") if path.suffix in DATA_SUFFIXES}
    assert on_disk == set(TABLE)


@pytest.mark.parametrize("relative", sorted(TABLE))
def test_file_is_reported_under_the_right_code(shared_data, relative):
    expected = TABLE[relative]
    if isinstance(expected, Unreadable):
        with pytest.raises(SkosReadError):
            read(shared_data / relative)
        return
    found = check(read(shared_data / relative))
    codes = {finding.code for finding in found}
    if isinstance(expected, Faulty):
        assert expected.codes <= codes, f"{relative}: expected {sorted(expected.codes)}, got {sorted(codes)}"
        # The concepts each finding names are ones the file has.
        assert all(finding.concepts for finding in found if finding.code in expected.codes
                   and finding.code != "no_concepts")
    else:
        assert not expected.absent & codes, f"{relative}: unexpected {sorted(expected.absent & codes)}"
    if relative.endswith("a4_all_defaults.rdf"):
        assert errors_in(found) == []


def test_s2_concepts_are_kept_between_versions(shared_data):
    def pair(kind):
        return [read(shared_data / f"{SCOLOMFR}v{v}/s2/s2_conservation_concepts_{kind}_v{v}.skos") for v in (0, 1)]

    invalid = dropped_concepts(*pair("invalid"))
    assert [finding.code for finding in invalid] == ["concept_dropped"]
    assert invalid[0].concepts == ("http://data.education.fr/voc/scolomfr/concept/scolomfr-voc-014-num-1086",)
    assert dropped_concepts(*pair("valid")) == []

