"""The fast roads of a big drain (search.indexer): a backlog that is a large
share of the index is rebuilt and swapped in, a big one is loaded in bulk.
Both give exactly what the batch-by-batch drain gives, empty the outbox,
keep a change made meanwhile and report their progress. The thresholds are
lowered by parameters, so a few records take each road."""
from __future__ import annotations

from sqlalchemy import select, update

from catalogue.models import Record
from core.outbox import mark_record_ids, waiting
from search.engine import FACETS, SearchRequest
from search.indexer import drain
from search.query import parse
from tests.support.factories import make_item, make_record
from tests.support.search import elasticsearch_url, search_app  # noqa: F401  (fixtures)

SLOW = {"bulk_min": 10**9, "rebuild_min": 10**9}
BULK = {"bulk_min": 1, "rebuild_min": 10**9}
REBUILD = {"rebuild_min": 1, "rebuild_share": 0.0}
QUERIES = ("", "métier", "boulanger OR menuisier", "guide")


def catalogue(database, count: int = 12) -> list[int]:
    ids = []
    for n in range(count):
        trade = ("boulanger", "menuisier", "infirmier")[n % 3]
        record = make_record(database, title=f"Métier de {trade} numéro {n}", isbn=None, year=1985 + 3 * n,
                             document_type=("book", "audiovisual")[n % 2], summary=f"Un guide du {trade}.")
        if n % 4:
            make_item(database, record.id, barcode=f"CM{n:07d}", library=("cite", "main")[n % 2],
                      status=("available", "missing")[n % 3 == 0])
        ids.append(record.id)
    return ids


def answers(engine) -> dict:
    """What visitors see: totals, hits in order, every facet."""
    found = {}
    for text in QUERIES:
        result = engine.search(SearchRequest(parse(text), size=100, sort="title", highlight=False))
        found[text] = (result.total, [(hit.id, hit.title) for hit in result.hits],
                       {name: [(v.value, v.count) for v in result.facets.get(name, [])] for name in FACETS})
    return found


def generation(engine):
    """What a rebuild replaces: the embedded file, or the cluster's index behind the alias."""
    if engine.name == "embedded":
        return engine.store.target()
    return engine._targets(engine.alias)


def requeue(database, ids) -> None:
    with database.transaction() as session:
        mark_record_ids(session, ids, "test")


def test_rebuild_and_bulk_roads_give_what_the_slow_drain_gives(search_app):  # noqa: F811
    database, engine = search_app.extensions["catalogue.db"], search_app.extensions["catalogue.search"]
    ids = catalogue(database)
    assert drain(database, engine, **SLOW) == len(ids)
    slow = answers(engine)
    assert slow[""][0] == len(ids)

    requeue(database, ids)
    before = generation(engine)
    assert drain(database, engine, **REBUILD) == len(ids)
    assert generation(engine) != before, "a backlog as big as the index is rebuilt and swapped in"
    assert waiting(database) == 0
    assert answers(engine) == slow

    requeue(database, ids)
    before = generation(engine)
    assert drain(database, engine, batch=5, **BULK) == len(ids)
    assert generation(engine) == before, "a bulk drain writes into the live index"
    assert waiting(database) == 0
    assert answers(engine) == slow


def test_a_small_share_of_the_index_is_not_rebuilt(search_app):  # noqa: F811
    database, engine = search_app.extensions["catalogue.db"], search_app.extensions["catalogue.search"]
    ids = catalogue(database, 6)
    drain(database, engine, **SLOW)
    requeue(database, ids[:2])
    before = generation(engine)
    assert drain(database, engine, rebuild_min=1, rebuild_share=0.5) == 2  # 2 of 6: below half
    assert generation(engine) == before
    assert drain(database, engine, rebuild_min=3, rebuild_share=0.0) == 0  # nothing waits


def test_a_deleted_record_leaves_the_index_on_every_road(search_app):  # noqa: F811
    database, engine = search_app.extensions["catalogue.db"], search_app.extensions["catalogue.search"]
    ids = catalogue(database, 4)
    drain(database, engine, **SLOW)
    for road in (REBUILD, BULK):
        with database.transaction() as session:
            gone = session.get(Record, ids.pop())
            session.delete(gone)
            mark_record_ids(session, [gone.id], "test")
        drain(database, engine, **road)
        assert engine.count() == len(ids)
        assert waiting(database) == 0


def test_a_change_made_during_the_rebuild_is_not_lost(search_app):  # noqa: F811
    database, engine = search_app.extensions["catalogue.db"], search_app.extensions["catalogue.search"]
    ids = catalogue(database, 8)
    changed = []

    def progress(done: int, total: int) -> None:
        if not changed:  # while the rebuild reads the catalogue, a documentalist edits a record
            changed.append(ids[-1])
            with database.transaction() as session:
                session.execute(update(Record).where(Record.id == ids[-1]).values(title="Titre corrigé"))
                mark_record_ids(session, [ids[-1]], "edit")

    drain(database, engine, progress=progress, **REBUILD)
    assert changed
    assert waiting(database) == 0
    hits = engine.search(SearchRequest(parse("corrigé"), highlight=False)).hits
    assert [hit.id for hit in hits] == [ids[-1]]
    assert engine.count() == len(ids)


def test_progress_is_reported_up_to_the_total(search_app):  # noqa: F811
    database, engine = search_app.extensions["catalogue.db"], search_app.extensions["catalogue.search"]
    ids = catalogue(database, 7)
    for road in (REBUILD, BULK, SLOW):
        calls = []
        requeue(database, ids)
        drain(database, engine, batch=3, progress=lambda done, total: calls.append((done, total)), **road)
        assert calls, road
        assert calls[-1] == (len(ids), len(ids))
        assert all(0 <= done <= total for done, total in calls)
        assert [done for done, _ in calls] == sorted(done for done, _ in calls)


def test_no_progress_when_nothing_waits(search_app):  # noqa: F811
    database, engine = search_app.extensions["catalogue.db"], search_app.extensions["catalogue.search"]
    calls = []
    assert drain(database, engine, progress=lambda *args: calls.append(args), **REBUILD) == 0
    assert calls == []
    with database.session() as session:
        assert session.scalars(select(Record.id)).all() == []
