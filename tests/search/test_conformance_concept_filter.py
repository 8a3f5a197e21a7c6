"""Conformance: the "concept" filter (a portal's subjects) on every engine.

Unlike ``concept_ids`` (an alternative to the words), it narrows: a work is
kept when one of its descriptors is one of the concepts or a narrower one
(``descriptor_paths``), whatever the words, and the facet counts follow.
Documents from tests.search.corpus: 1 has paths [10, 11], 5 has [20, 21],
7 has [30]."""
from __future__ import annotations

import pytest

from tests.search.corpus import DOCUMENTS, facet, found, order, search


@pytest.fixture
def loaded(engine):
    engine.index(DOCUMENTS)
    return engine


def test_a_concept_keeps_the_works_indexed_with_it_or_a_narrower_one(loaded):
    assert found(loaded, filters={"concept": ["10"]}) == {1}
    assert found(loaded, filters={"concept": ["11"]}) == {1}  # 11 is in the path: a broader concept
    assert found(loaded, filters={"concept": ["21", "30"]}) == {5, 7}  # ORed


def test_it_narrows_the_words_and_the_other_filters(loaded):
    assert found(loaded, "formation") == {1, 2, 8}
    assert found(loaded, "formation", filters={"concept": ["11"]}) == {1}
    assert found(loaded, "formation", filters={"concept": ["30"]}) == set()
    assert found(loaded, filters={"concept": ["20", "30"], "pole": ["orientation"]}) == {7}
    # an alternative named by the words still has to be inside the filter
    assert found(loaded, "zzyzx", concept_ids=[21], filters={"concept": ["20"]}) == {5}
    assert found(loaded, "zzyzx", concept_ids=[21], filters={"concept": ["30"]}) == set()


def test_facet_counts_count_only_the_works_inside(loaded):
    result = search(loaded, filters={"concept": ["20", "30"]})
    assert result.total == 2
    assert facet(result, "pole") == [("emploi", 1), ("orientation", 1)]
    assert facet(result, "document_type") == [("job_sheet", 1), ("website", 1)]
    assert "concept" not in result.facets  # a filter, not a facet


def test_sorts_and_pages_inside_the_filter(loaded):
    inside = {"concept": ["10", "20", "30"]}
    assert order(loaded, sort="title", filters=inside) == [1, 7, 5]
    assert order(loaded, sort="date", filters=inside) == [7, 5, 1]
    first = search(loaded, sort="title", filters=inside, size=2, page=1)
    second = search(loaded, sort="title", filters=inside, size=2, page=2)
    assert [h.id for h in first.hits + second.hits] == [1, 7, 5] and first.total == second.total == 3


def test_an_unknown_concept_or_a_value_that_is_no_id_keeps_nothing(loaded):
    assert found(loaded, filters={"concept": ["999"]}) == set()
    assert found(loaded, filters={"concept": ["∅"]}) == set()
    assert search(loaded, filters={"concept": ["abc"]}).total == 0
