"""Conformance: highlighting, completion, spelling, and keeping the index
current (index, delete, rebuild), on every engine."""
from __future__ import annotations

from html import unescape

import pytest

from search.engine import Completion
from tests.search.corpus import DOCUMENTS, facet, found, search


@pytest.fixture
def loaded(engine):
    engine.index(DOCUMENTS)
    return engine


def hit(result, doc_id):
    return next(h for h in result.hits if h.id == doc_id)


def test_highlight_marks_the_matched_words_of_the_title(loaded):
    result = search(loaded, "formations")
    assert hit(result, 2).title == "Formations aux métiers du numérique"
    assert hit(result, 2).highlight["title"] == "<mark>Formations</mark> aux métiers du numérique"
    assert hit(result, 8).highlight["title"] == "Histoire de la <mark>formation</mark> en France"


def test_highlight_escapes_html_and_covers_the_summary(loaded):
    highlight = hit(search(loaded, "financer"), 1).highlight
    assert highlight == {"summary": "Comment choisir sa formation &amp; <mark>financer</mark> son projet "
                                    "&lt;professionnel&gt;."}


def test_highlight_of_accented_and_elided_words(loaded):
    # an apostrophe may be escaped either way (&#x27; or &#39;)
    assert unescape(hit(search(loaded, "metier"), 7).highlight["title"]) == "Le <mark>métier</mark> d'infirmier"
    assert "<mark>entreprise</mark>" in hit(search(loaded, "l'entreprise"), 3).highlight["title"]


def test_no_highlight_when_not_asked(loaded):
    assert all(h.highlight == {} for h in search(loaded, "formation", highlight=False).hits)


def texts(completions, kind):
    return {c.text for c in completions if c.kind == kind}


def test_completion_of_titles_from_their_start_or_their_sort_title(loaded):
    completions = loaded.complete("form")
    assert Completion("title", "Formations aux métiers du numérique", 2) in completions
    assert Completion("title", "La formation professionnelle des adultes", 1) in completions
    assert texts(completions, "author") == set()


def test_completion_of_authors(loaded):
    completions = loaded.complete("dup")
    assert texts(completions, "author") == {"Dupont, Jean", "Dupont, Marie"}
    assert all(c.record_id is None for c in completions if c.kind == "author")


def test_completion_ignores_case_and_accents(loaded):
    assert texts(loaded.complete("CRÉ"), "title") == {"Créer son entreprise"}
    assert texts(loaded.complete("cre"), "title") == {"Créer son entreprise"}


def test_completion_size_and_empty_prefix(loaded):
    assert len(loaded.complete("d", size=1)) == 1
    assert loaded.complete("") == []
    assert loaded.complete("zzyzx") == []


def test_spelling_suggests_the_closest_indexed_word(loaded):
    assert loaded.spelling("fromation") == "formation"
    assert loaded.spelling("métiers entreprize") == "métiers entreprise"


def test_no_suggestion_for_known_or_hopeless_words(loaded):
    assert loaded.spelling("formation") is None
    assert loaded.spelling("qwxzv") is None


def test_index_replaces_a_document(loaded):
    loaded.index([DOCUMENTS[1] | {"title": "Cuisine du monde", "poles": ["emploi"]}])
    assert loaded.count() == 8
    assert found(loaded, "formations") == {1, 8}
    assert found(loaded, "cuisine") == {2}
    assert facet(search(loaded), "pole") == [("emploi", 5), ("creation", 2), ("orientation", 1)]


def test_delete(loaded):
    loaded.delete([2, 999])
    assert loaded.count() == 7
    assert found(loaded, "formations") == {1, 8}
    assert facet(search(loaded), "pole") == [("emploi", 4), ("creation", 2), ("orientation", 1)]
    assert texts(loaded.complete("form"), "title") == {"La formation professionnelle des adultes"}


def test_rebuild_replaces_everything(loaded):
    assert loaded.rebuild(iter(DOCUMENTS[2:4])) == 2
    assert loaded.count() == 2
    assert found(loaded, "entreprise") == {3, 4}
    assert found(loaded, "formation") == set()
    assert loaded.complete("form") == []
    assert facet(search(loaded), "pole") == [("creation", 2), ("emploi", 1)]


def test_ensure_ready_is_idempotent(loaded):
    loaded.ensure_ready()
    assert loaded.count() == 8


def test_an_empty_index(engine):
    result = search(engine, "formation")
    assert result.total == 0 and result.hits == []
    assert engine.count() == 0
    assert engine.complete("form") == []
    assert engine.spelling("formation") is None


def test_warming_up_changes_no_answer(engine):
    engine.warm()  # an empty index
    assert found(engine, "formation") == set()
    engine.index(DOCUMENTS)
    engine.warm()
    assert found(engine, "formation") == {1, 2, 8}
    engine.delete([2])
    engine.warm()
    assert found(engine, "formation") == {1, 8}
