"""Conformance: what words find, on every engine (French analysis, AND,
phrases, fields, ISBNs, thesaurus expansion by concept ids)."""
from __future__ import annotations

import pytest

from tests.search.corpus import DOCUMENTS, found


@pytest.fixture
def loaded(engine):
    engine.index(DOCUMENTS)
    return engine


@pytest.mark.parametrize("text", ["formations", "formation", "FORMATION", "Formation"])
def test_singular_plural_and_case_find_the_same_works(loaded, text):
    assert found(loaded, text) == {1, 2, 8}


@pytest.mark.parametrize("text", ["métiers", "métier", "metiers", "METIER"])
def test_metier_and_metiers(loaded, text):
    assert found(loaded, text) == {2, 4, 7}


@pytest.mark.parametrize("text", ["creation", "création", "CRÉATION", "créations"])
def test_accents_are_ignored(loaded, text):
    assert found(loaded, text) == {3}


@pytest.mark.parametrize("text", ["l'entreprise", "l’entreprise", "entreprise", "d'entreprise", "entreprises"])
def test_elision(loaded, text):
    assert found(loaded, text) == {3, 4}


def test_words_are_anded(loaded):
    assert found(loaded, "formation adultes") == {1}
    assert found(loaded, "formation numérique") == {2, 8}  # 8: "numérique" in its summary
    assert found(loaded, "formation zzyzx") == set()


def test_words_may_be_in_different_fields(loaded):
    assert found(loaded, "creation eyrolles durand") == {3}


def test_summary_notes_publisher_and_series_are_searched(loaded):
    assert found(loaded, "financer") == {1}
    assert found(loaded, "eyrolles") == {3}
    assert found(loaded, "parcours") == {2}


def test_phrase(loaded):
    assert found(loaded, '"formation professionnelle"') == {1}
    assert found(loaded, '"professionnelle formation"') == set()
    assert found(loaded, '"création d\'entreprise"') == {3}
    assert found(loaded, '"formation en france"') == {8}


def test_a_phrase_does_not_span_two_values_of_a_field(engine):
    engine.index([DOCUMENTS[0] | {"id": 50, "subjects": ["Ateliers formation", "professionnelle libre"]}])
    assert found(engine, 'sujet:"formation professionnelle"') == set()


@pytest.mark.parametrize("text, ids", [
    ("titre:entreprise", {3, 4}),
    ("title:numérique", {2}),
    ("titre:dunod", set()),
    ("auteur:dupont", {1, 4}),
    ('author:"Dupont, Jean"', {1}),
    ("sujet:vae", {5}),
    ('subject:"création d\'entreprise"', {3}),
    ("sujet:continue", {1}),
    ("editeur:dunod", {1}),
    ("éditeur:Dunod", {1}),
    ("publisher:onisep", {2}),
    ("collection:parcours", {2}),
    ('series:"guides pratiques"', {1}),
    ("auteur:dupont titre:entreprise", {4}),
])
def test_field_search(loaded, text, ids):
    assert found(loaded, text) == ids


@pytest.mark.parametrize("text", ["978-2-07-036024-6", "9782070360246", "2070360245", "2-07-036024-5",
                                  "isbn:2070360245", "isbn:978-2-07-036024-6", "978 2 07 036024 6"])
def test_isbn_with_or_without_hyphens_and_isbn10_or_13(loaded, text):
    assert found(loaded, text) == {1}


def test_an_entry_term_finds_the_concept_s_records(loaded):
    assert found(loaded, "VAE") == {5}


def test_concept_ids_match_the_whole_query_as_an_alternative(loaded):
    assert found(loaded, "zzyzx", concept_ids=[21]) == {5}
    assert found(loaded, "entreprise", concept_ids=[10]) == {1, 3, 4}
    assert found(loaded, "entreprise", concept_ids=[999]) == {3, 4}


def test_concept_ids_alone_find_only_the_concept_s_records(loaded):
    # the record page's "works on the same subjects": no words, the descriptors' ids
    assert found(loaded, "", concept_ids=[30, 20]) == {5, 7}


def test_an_empty_query_finds_everything(loaded):
    assert found(loaded, "") == {d["id"] for d in DOCUMENTS}
