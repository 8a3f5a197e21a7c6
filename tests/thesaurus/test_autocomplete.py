"""The concept autocomplete: preferred labels and entry terms, insensitive to
accents and case, one line per concept, showing where an entry term leads."""
from __future__ import annotations

import pytest

from tests.thesaurus.skos_samples import EX, VERSION_1, VERSION_2, read_text
from thesaurus.services.imports import ThesaurusImportService
from thesaurus.services.lookup import autocomplete


@pytest.fixture
def thesaurus(db):
    with db.transaction() as session:
        ThesaurusImportService(session).import_graph(read_text(VERSION_1))
    return db


def lookup(db, text, **options):
    with db.session() as session:
        return autocomplete(session, text, **options)


def test_an_entry_term_shows_the_concept_it_leads_to(thesaurus):
    [match] = lookup(thesaurus, "vae")
    assert (match.label, match.kind, match.language) == ("VAE", "alt", "fr")
    assert match.pref_label == "Validation des acquis de l'expérience"
    assert match.uri == EX + "vae" and match.status == "approved"


def test_accents_and_case_do_not_matter(thesaurus):
    for typed in ("METIER", "métier", "Mét", "  me"):
        assert [m.label for m in lookup(thesaurus, typed)] == ["Métier"]


def test_one_line_per_concept_preferred_labels_first_then_shorter(thesaurus):
    matches = lookup(thesaurus, "s")
    assert [m.label for m in matches] == ["Salaire", "Salaire minimum"]  # not also "SMIC"
    assert [m.label for m in lookup(thesaurus, "sm")] == ["SMIC"]
    assert [m.label for m in lookup(thesaurus, "emp")] == ["Emploi"]          # French before "Employment"
    assert [m.label for m in lookup(thesaurus, "employm")] == ["Employment"]


def test_a_hidden_label_matches_but_shows_the_preferred_label(thesaurus):
    [match] = lookup(thesaurus, "validation des aq")
    assert match.kind == "hidden" and match.label == "Validation des acquis de l'expérience"


def test_deprecated_concepts_only_on_request(thesaurus):
    with thesaurus.transaction() as session:
        ThesaurusImportService(session).import_graph(read_text(VERSION_2))
    assert lookup(thesaurus, "vae") == []
    [match] = lookup(thesaurus, "vae", include_deprecated=True)
    assert match.status == "deprecated"


def test_blank_text_matches_nothing_and_the_limit_holds(thesaurus):
    assert lookup(thesaurus, "  ") == [] and lookup(thesaurus, "") == []
    assert len(lookup(thesaurus, "e", limit=1)) == 1
    assert [m.label for m in lookup(thesaurus, "zzz")] == []
