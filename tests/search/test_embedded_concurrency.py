"""The embedded engine under the web server's load: threads of one process
search while another process indexes, deletes and rebuilds (the outbox
drain and `catalogue reindex` run in their own processes)."""
from __future__ import annotations

import multiprocessing
import threading

from search.embedded import EmbeddedEngine
from search.engine import SearchRequest
from search.query import parse
from tests.search.corpus import document


def docs(ids, word):
    return [document(i, f"{word} numéro {i}", poles=["emploi" if i % 2 else "orientation"]) for i in ids]


def writer(path: str) -> None:
    engine = EmbeddedEngine(path)
    for start in range(100, 400, 20):
        engine.index(docs(range(start, start + 20), "guide"))
    engine.rebuild(iter(docs(range(1, 301), "atlas")))
    engine.delete(list(range(1, 101)))
    engine.index(docs(range(1, 51), "guide"))
    engine.close()


def test_searches_in_threads_while_another_process_writes(tmp_path):
    path = str(tmp_path / "search.db")
    engine = EmbeddedEngine(path)
    engine.ensure_ready()
    engine.index(docs(range(1, 100), "guide"))
    errors, stop = [], threading.Event()

    def reader():
        try:
            while not stop.is_set():
                result = engine.search(SearchRequest(parse("guide"), filters={"pole": ["emploi"]}))
                assert result.total == sum(v.count for v in result.facets["pole"] if v.value == "emploi")
                engine.search(SearchRequest(parse("atlas"), sort="date"))
        except Exception as error:  # reported below, with the thread's traceback
            errors.append(error)
    readers = [threading.Thread(target=reader) for _ in range(4)]
    for thread in readers:
        thread.start()
    process = multiprocessing.get_context("spawn").Process(target=writer, args=(path,))
    process.start()
    process.join(120)
    stop.set()
    for thread in readers:
        thread.join()
    assert process.exitcode == 0 and errors == []
    # the readers' snapshot followed the other process: rebuild, delete, index
    assert engine.count() == 250
    found = engine.search(SearchRequest(parse("guide"), size=0))
    assert found.total == 50
    assert engine.search(SearchRequest(parse("atlas"), size=0)).total == 200
    assert {v.value: v.count for v in found.facets["pole"]} == {"emploi": 25, "orientation": 25}
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(("-wal", "-shm", ".lock"))) \
        == ["search.db", engine.store.target().name]  # the old generations are gone
    engine.close()


def test_repeated_searches_are_answered_from_the_cache_but_never_stale(tmp_path):
    from search.embedded import EmbeddedEngine
    from search.engine import SearchRequest
    from search.query import parse

    engine = EmbeddedEngine(tmp_path / "search.db", cache_size=8)
    engine.ensure_ready()
    engine.index([{"id": 1, "title": "Guide des formations", "document_type": "book"}])
    request = SearchRequest(parse("formation"))
    first = engine.search(request)
    assert engine.search(SearchRequest(parse("formation"))) is first  # the same answer, not recomputed
    engine.index([{"id": 2, "title": "Formation continue", "document_type": "book"}])
    assert engine.search(request).total == 2  # a write changes the index's state: a new answer
    engine.delete([1])
    assert [hit.id for hit in engine.search(request).hits] == [2]
    uncached = EmbeddedEngine(tmp_path / "search.db", cache_size=0)
    assert uncached.search(request) is not uncached.search(request)
    engine.close()
    uncached.close()
