"""A full rebuild of the embedded engine (search/embedded/build.py) writes
the same rows whether it analyses in worker processes or here, and the
same rows as indexing the documents one by one."""
from __future__ import annotations

import pytest

from search.embedded import EmbeddedEngine, build
from tests.search.corpus import DOCUMENTS

# the corpus again and again under new ids: several batches, repeated words
MANY = [{**doc, "id": doc["id"] + 100 * copy} for copy in range(12) for doc in DOCUMENTS]

TABLES = {
    "fts": "SELECT rowid, * FROM fts ORDER BY rowid",
    "docs": "SELECT * FROM docs ORDER BY id",
    "completions": "SELECT * FROM completions ORDER BY rowid",
    "vocab": "SELECT * FROM vocab ORDER BY word",
}


def contents(engine: EmbeddedEngine) -> dict[str, list[tuple]]:
    conn = engine.store.connection()
    return {table: conn.execute(query).fetchall() for table, query in TABLES.items()}


def loaded(path, documents, **options) -> EmbeddedEngine:
    engine = EmbeddedEngine(path)
    with engine.store.write_lock():
        file, conn = engine.store.new_generation()
        count, vocab = build.load(conn, file, documents, **options)
        engine.store.publish(file, conn)
    assert count == len(documents)
    assert len(vocab) == len(contents(engine)["vocab"])
    return engine


def test_workers_write_what_this_process_writes(tmp_path):
    here = loaded(tmp_path / "here" / "search.db", MANY, workers=0)
    # batches of 7: the workers take turns, and must still write in order
    there = loaded(tmp_path / "there" / "search.db", MANY, workers=2, batch=7, parallel_min=20)
    assert contents(there) == contents(here)
    here.close()
    there.close()


def test_a_rebuild_writes_what_indexing_writes(tmp_path):
    rebuilt = EmbeddedEngine(tmp_path / "rebuilt" / "search.db")
    rebuilt.rebuild(iter(MANY))
    indexed = EmbeddedEngine(tmp_path / "indexed" / "search.db")
    indexed.ensure_ready()
    indexed.index(MANY)
    assert contents(indexed) == contents(rebuilt)
    rebuilt.close()
    indexed.close()


def test_a_failing_document_fails_the_rebuild_in_workers_too(tmp_path):
    broken = [*MANY[:30], {"id": "not a number"}, *MANY[30:]]
    engine = EmbeddedEngine(tmp_path / "search.db")
    with engine.store.write_lock():
        file, conn = engine.store.new_generation()
        with pytest.raises(ValueError):
            build.load(conn, file, broken, workers=2, batch=7, parallel_min=20)
        conn.close()
