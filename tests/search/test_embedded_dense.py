"""The embedded engine's paths for large collections, taken on the small
conformance corpus by lowering their thresholds: dense postings
(search/embedded/dense.py) and the ranking tiers of broad queries
(search/embedded/searching.py). Each must give what FTS5 alone gives."""
from __future__ import annotations

import pytest

from search.embedded import EmbeddedEngine, dense
from tests.search.corpus import DOCUMENTS, document, found, order, search

QUERIES = ["formation", "formations professionnelles", "entreprise", "l'entreprise métiers", '"guide pratique"',
           "titre:formation", "auteur:dupont", "sujet:entreprise", "métier", "vae", "zzyzx", "", "numérique",
           "creation entreprise", "isbn:2070360245", "editeur:dunod", "collection:parcours"]

def edit(doc_id: int, **fields) -> dict:
    base = next(d for d in DOCUMENTS if d["id"] == doc_id)
    return {**base, **fields}


def stored(engine: EmbeddedEngine) -> dict[tuple[str, str], int]:
    conn = engine.store.connection()
    return {(scope, term): dense.from_blob(blob) for scope, term, blob in conn.execute("SELECT * FROM dense")}


def assert_exact(engine: EmbeddedEngine) -> None:
    """Every stored bitset holds what FTS5 finds for its term and scope."""
    conn = engine.store.connection()
    entries = stored(engine)
    assert entries
    for (scope, term), members in entries.items():
        assert members == dense.ids_set(conn, f'{dense.column_filter(scope)} : "{term}"'), (scope, term)


@pytest.fixture
def engines(tmp_path):
    """The same corpus in an engine with every term dense and in one with none."""
    made = {name: EmbeddedEngine(tmp_path / name / "search.db", cache_size=0, dense_threshold=threshold)
            for name, threshold in (("dense", 1), ("plain", 10**9))}
    for engine in made.values():
        engine.ensure_ready()
        engine.rebuild(DOCUMENTS)
    yield made
    for engine in made.values():
        engine.close()


def test_rebuild_stores_frequent_terms_only(tmp_path):
    engine = EmbeddedEngine(tmp_path / "search.db", dense_threshold=3)
    engine.rebuild(DOCUMENTS)
    entries = stored(engine)
    assert ("all", "formation") in entries  # documents 1, 2, 8 (and "formations" is the same term)
    assert ("all", "infirmi") not in {(s, t[:7]) for s, t in entries}  # one document only
    assert all(members.bit_count() >= 3 for members in entries.values())
    assert_exact(engine)
    engine.close()


def test_bitsets_stay_exact_across_index_and_delete(engines):
    engine = engines["dense"]
    assert_exact(engine)
    engine.index([edit(1, title="Apprendre un métier", subtitle=None, descriptor_paths=[30]),
                  edit(3, subjects=["Formation professionnelle"]),
                  document(9, "Formation des formateurs", descriptor_paths=[10])])
    engine.delete([2, 8])
    assert_exact(engine)
    assert found(engine, "formation") == {1, 3, 9}  # 2 and 8 gone; 1 keeps it in its summary
    assert found(engine, "titre:formation") == {9}  # 1 renamed
    assert found(engine, "métier") == {1, 4, 7}


@pytest.mark.parametrize("text", QUERIES)
def test_dense_and_fts_answers_agree(engines, text):
    dense_answer, plain = (search(engines[name], text, size=50) for name in ("dense", "plain"))
    assert dense_answer == plain


def test_concepts_come_from_dense_postings_too(engines):
    assert ("concepts", "c10") in stored(engines["dense"])
    for engine in engines.values():
        assert found(engine, concept_ids=[10, 30]) == {1, 7}
        assert found(engine, "histoire", concept_ids=[20]) == {5, 8}


def test_broad_queries_rank_title_matches_first_shortest_title_first(tmp_path):
    """Past rank_limit matches bm25 is not computed: documents with every
    word in their title come first, the shortest title first, then the rest."""
    engine = EmbeddedEngine(tmp_path / "search.db", cache_size=0, rank_limit=1)
    engine.rebuild(DOCUMENTS)
    # "formation" is in the titles of 1 (long, with a subtitle), 2 and 8, and in 1's summary
    ranked = order(engine, "formation")
    assert ranked == [2, 8, 1]
    # "entreprise": titles of 3 (with a subtitle) and 4; 4 is shorter
    assert order(engine, "entreprise")[:2] == [4, 3]
    # a word in no title: every match, by id
    assert order(engine, "démarche") == [5]
    exact = EmbeddedEngine(tmp_path / "exact" / "search.db", cache_size=0)
    exact.rebuild(DOCUMENTS)
    assert set(order(exact, "formation")) == set(ranked)  # the same documents either way
    engine.close()
    exact.close()
