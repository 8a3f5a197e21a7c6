"""Conformance: a fuzzy request (SearchRequest.fuzzy) finds words a typing
mistake away, as Elasticsearch's ``fuzziness: AUTO``, and ranks every exact
match above every fuzzy one, on every engine."""
from __future__ import annotations

import pytest

from tests.search.corpus import DOCUMENTS, document, search


@pytest.fixture
def loaded(engine):
    engine.index(DOCUMENTS)
    return engine


def fuzzy_found(engine, text: str, **options) -> set[int]:
    return {hit.id for hit in search(engine, text, fuzzy=True, size=100, **options).hits}


@pytest.mark.parametrize("text, ids", [
    ("frmation adultes", {1}),          # a letter dropped
    ("formation adulets", {1}),         # two letters swapped
    ("entrerpise", {3, 4}),
    ("l'entreprse", {3, 4}),            # elision, and a letter dropped
    ("ormation professionnelle", {1}),  # the first letter too
    ("metiers numerqiue", {2}),
    ("vea", {5}),                       # three letters: one edit (VAE)
    ("fomraton professionnelle", {1}),  # more than five letters: two edits
])
def test_a_typing_mistake_finds_the_work(loaded, text, ids):
    assert search(loaded, text).total == 0
    assert fuzzy_found(loaded, text) == ids


def test_auto_fuzziness_allows_no_edit_to_short_words_and_at_most_two(loaded):
    loaded.index([document(40, "Le jeu de go"), document(41, "Un an au Japon")])
    assert fuzzy_found(loaded, "ga") == set()           # two letters: exact only
    assert fuzzy_found(loaded, "vae") == {5}            # exact words still match
    assert fuzzy_found(loaded, "veae") == {5}           # four letters: one edit
    assert fuzzy_found(loaded, "vaee") == {5}
    assert fuzzy_found(loaded, "vxye") == set()         # two edits in four letters: too far
    assert fuzzy_found(loaded, "fxrmaxyon") == set()    # three edits: too far


def test_phrases_fielded_words_and_isbns_stay_exact(loaded):
    assert fuzzy_found(loaded, '"formaton professionnelle"') == set()
    assert fuzzy_found(loaded, "titre:entrerpise") == set()
    assert fuzzy_found(loaded, "titre:entreprise entrerpise") == {3, 4}


def test_every_exact_match_ranks_above_every_fuzzy_one(engine):
    engine.index([
        # the word only deep in a long summary: a weak exact match
        document(70, "Guide pratique", year=1990, title_sort="guide pratique",
                 summary="Un guide pratique pour se préparer, avec un chapitre sur l'entretien, des exemples "
                         "de questions, des conseils de tenue et des exercices pour le jour venu."),
        # a record catalogued with a typing mistake: the fuzzy match is in its short title
        document(71, "Entretein", year=2020, title_sort="entretein"),
        document(72, "Entretiens", year=1980, title_sort="entretiens"),
        document(73, "Jardinage", year=2000, title_sort="jardinage"),
    ])
    result = search(engine, "entretien", fuzzy=True)
    assert [hit.id for hit in result.hits] in ([72, 70, 71], [70, 72, 71])
    assert [hit.fuzzy for hit in result.hits] == [False, False, True]
    assert (result.total, result.exact) == (3, 2)
    for sort in ("date", "title"):
        result = search(engine, "entretien", fuzzy=True, sort=sort)
        assert [hit.id for hit in result.hits][2:] == [71], sort
        assert [hit.fuzzy for hit in result.hits] == [False, False, True]
    # boosted fuzzy hits stay below too
    result = search(engine, "entretien", fuzzy=True, boost={"document_type": ["book"]})
    assert [hit.id for hit in result.hits][2:] == [71]


def test_pages_run_through_the_exact_tier_then_the_fuzzy_one(engine):
    engine.index([document(80, "Entretien"), document(81, "Entretien annuel"),
                  document(82, "Entretein"), document(83, "Entretiens du jeudi")])
    pages = [search(engine, "entretien", fuzzy=True, size=1, page=n) for n in (1, 2, 3, 4, 5)]
    ids = [hit.id for page in pages for hit in page.hits]
    assert len(ids) == 4 and set(ids) == {80, 81, 82, 83}
    assert ids[-1] == 82 and [hit.fuzzy for page in pages for hit in page.hits] == [False] * 3 + [True]
    assert all(page.total == 4 and page.exact == 3 for page in pages)


def test_filters_and_facets_apply_to_fuzzy_matches(loaded):
    assert fuzzy_found(loaded, "formaton", filters={"pole": ["emploi"]}) == {1}
    assert fuzzy_found(loaded, "formaton", filters={"pole": ["creation"]}) == set()
    result = search(loaded, "formaton", fuzzy=True, filters={"pole": ["emploi"]})
    counts = {v.value: v.count for v in result.facets["pole"]}
    assert counts == {"emploi": 1, "orientation": 1}  # the pole facet counts without its own filter
    assert result.exact == 0


def test_a_request_that_is_not_fuzzy_is_unchanged(loaded):
    result = search(loaded, "entrerpise")
    assert (result.total, result.exact) == (0, None)
    result = search(loaded, "entreprise")
    assert result.exact is None and not any(hit.fuzzy for hit in result.hits)


def test_the_interview_guides_despite_a_swapped_letter(engine):
    engine.index([document(90, "Réussir son entretien d'embauche"), document(91, "Le CV qui décroche l'entretien"),
                  document(92, "Embaucher son premier salarié")])
    result = search(engine, "entretein d'embauche", fuzzy=True)
    assert [hit.id for hit in result.hits][:1] == [90] and result.hits[0].fuzzy
