"""Conformance: facets, filters, sorts, pagination and boosts on every engine."""
from __future__ import annotations

import pytest

from search.engine import FACETS
from tests.search.corpus import DOCUMENTS, facet, found, order, search


@pytest.fixture
def loaded(engine):
    engine.index(DOCUMENTS)
    return engine


def test_facet_counts_sorted_by_count_then_value(loaded):
    result = search(loaded)
    assert result.total == 8
    assert set(result.facets) == set(FACETS)
    assert facet(result, "pole") == [("emploi", 4), ("creation", 2), ("orientation", 2)]
    assert facet(result, "document_type") == [("book", 5), ("job_sheet", 1), ("periodical", 1), ("website", 1)]
    assert facet(result, "audience") == [("adultes", 4), ("jeunes", 2)]
    assert facet(result, "language") == [("fre", 7), ("eng", 1)]
    assert facet(result, "year_range") == [("2010-2019", 4), ("2000-2009", 1), ("2020-2029", 1), ("<1990", 1)]
    assert facet(result, "library") == [("Cité des métiers", 4), ("Médiathèque", 2)]
    assert facet(result, "availability") == [("available", 4), ("none", 2), ("online", 1), ("unavailable", 1)]


def test_facets_count_the_matches_of_the_words(loaded):
    result = search(loaded, "formation")
    assert result.total == 3
    assert facet(result, "pole") == [("emploi", 1), ("orientation", 1)]
    assert facet(result, "availability") == [("available", 1), ("none", 1), ("unavailable", 1)]


def test_only_the_facets_asked_for(loaded):
    assert set(search(loaded, facets=["pole", "language"]).facets) == {"pole", "language"}
    assert search(loaded, facets=[]).facets == {}


def test_a_filter_keeps_its_own_facet_counts_unfiltered(loaded):
    result = search(loaded, filters={"pole": ["emploi"]})
    assert result.total == 4
    assert {hit.id for hit in result.hits} == {1, 4, 5, 6}
    # multi-select: the other poles still show what choosing them would add
    assert facet(result, "pole") == [("emploi", 4), ("creation", 2), ("orientation", 2)]
    assert facet(result, "document_type") == [("book", 2), ("periodical", 1), ("website", 1)]


def test_values_of_one_facet_are_ored(loaded):
    assert found(loaded, filters={"pole": ["creation", "orientation"]}) == {2, 3, 4, 7}
    assert found(loaded, filters={"library": ["Médiathèque", "Cité des métiers"]}) == {1, 2, 3, 6, 7}


def test_facets_are_anded_and_each_facet_counts_under_the_others(loaded):
    result = search(loaded, filters={"pole": ["emploi"], "language": ["eng"]})
    assert result.total == 1 and [hit.id for hit in result.hits] == [6]
    assert facet(result, "language") == [("fre", 3), ("eng", 1)]   # under pole=emploi only
    assert facet(result, "pole") == [("emploi", 1)]                 # under language=eng only
    assert facet(result, "audience") == [("adultes", 1)]            # under both


def test_filters_combine_with_words(loaded):
    assert found(loaded, "formation", filters={"availability": ["available"]}) == {1}
    assert found(loaded, "formation", filters={"year_range": ["2020-2029", "2010-2019"]}) == {1, 2}
    assert found(loaded, "entreprise", filters={"audience": ["adultes"], "document_type": ["book"]}) == {3}


def test_an_unknown_value_or_an_empty_filter(loaded):
    assert search(loaded, filters={"pole": ["nowhere"]}).total == 0
    assert search(loaded, filters={"pole": []}).total == 8


def test_sort_by_date_newest_first_undated_last(loaded):
    assert order(loaded, sort="date") == [2, 7, 3, 5, 1, 6, 4, 8]
    assert order(loaded, "formation", sort="date") == [2, 1, 8]


def test_sort_by_title(loaded):
    assert order(loaded, sort="title") == [3, 4, 1, 2, 8, 6, 7, 5]
    assert order(loaded, "entreprise", sort="title") == [3, 4]


def test_relevance_ranks_title_matches_first(loaded):
    assert order(loaded, "numérique") == [2, 8]  # 2 in its title, 8 in its summary


def test_boost_ranks_the_boosted_values_first(loaded):
    assert order(loaded, "formation", boost={"pole": ["orientation"]})[0] == 2
    assert order(loaded, "formation", boost={"availability": ["none"]})[0] == 8


@pytest.mark.parametrize("sort", ["relevance", "date", "title"])
def test_pagination_is_stable(loaded, sort):
    everything = order(loaded, sort=sort)
    pages = [[hit.id for hit in search(loaded, sort=sort, page=page, size=3).hits] for page in (1, 2, 3)]
    assert [len(page) for page in pages] == [3, 3, 2]
    assert sum(pages, []) == everything
    if sort == "relevance":  # no words: every score is equal, ties by id
        assert everything == sorted(everything)


def test_equal_scores_are_ordered_by_id(engine):
    twins = [DOCUMENTS[1] | {"id": i, "title": "Formations aux métiers du numérique"} for i in (42, 17, 30)]
    engine.index(twins)
    assert order(engine, "formations") == [17, 30, 42]
    assert [search(engine, "formations", page=p, size=1).hits[0].id for p in (1, 2, 3)] == [17, 30, 42]


def test_a_page_past_the_end_is_empty_with_the_total(loaded):
    result = search(loaded, "formation", page=5, size=3)
    assert result.hits == [] and result.total == 3
