"""An import's workers analyse the search documents of the works they map
(search.embedded.prepared), and the drain that follows loads those rows
instead of reading the works back. The rows are exactly those the works read
back give; the index answers exactly as a rebuild from the database does; a
work changed since, given another work's copy or a descriptor is read back.
The command does not take this road by default (search/__init__.py says
why); these tests take it explicitly, so it stays correct."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select, update

from catalogue.models import Record
from cite import create_app
from cite.cli import main
from core import outbox
from core.outbox import mark_record_ids, waiting
from core.prepared import Prepared
from importers.marc.runner import import_file
from search import indexer
from search.embedded import EmbeddedEngine, build
from search.embedded.prepared import ANALYSE, rows
from search.engine import FACETS, SearchRequest
from search.projection import search_documents
from search.query import parse
from tests.support.factories import make_item, make_record
from tests.support.marc import cf, df, record
from tests.thesaurus.support import make_concept
from thesaurus.models import HeadingMapping

REBUILD = {"rebuild_min": 1, "rebuild_share": 0.0}
QUERIES = ("", "métier", "boulanger revu", "menuisier", "guide", "histoire", "france", "site")
LEADER = "00000nam a2200000 a 4500"


def own_records() -> bytes:
    """Works with what real files seldom carry: copies in both libraries and
    every status (withdrawn only: weeded, out of the public catalogue),
    poles, audiences, websites, series, ISBN-10s, several authors."""
    out = []
    for n in range(40):
        trade = ("boulanger", "menuisier", "infirmier", "électricien")[n % 4]
        fields = [cf("001", f"own-{n}"), cf("008", f"200101s{1975 + n}    fr            000 0 fre d"),
                  df("100", "1 ", ("a", f"Durand, Jeanne {n}")), df("700", "1 ", ("a", "Martin, Paul")),
                  df("245", "10", ("a", f"Le métier de {trade} :"), ("b", f"guide numéro {n}")),
                  df("260", "  ", ("a", "Paris"), ("b", "Onisep"), ("c", str(1975 + n))),
                  df("490", "0 ", ("a", "Parcours")), df("520", "  ", ("a", f"Histoire du métier de {trade}.")),
                  df("650", " 7", ("a", f"{trade.capitalize()}s"), ("2", "rameau")),
                  df("650", " 7", ("a", "Orientation professionnelle"), ("2", "rameau"))]
        if n % 3 == 0:
            fields.append(df("020", "  ", ("a", "2-07-036822-X")))
        if n % 5 == 0:
            fields += [df("856", "40", ("u", f"https://example.org/{n}")),
                       df("959", "  ", ("t", "website"), ("a", "orientation"), ("b", "pupil"))]
        else:
            fields.append(df("959", "  ", ("a", ("pathway", "job_search")[n % 2]), ("b", "student")))
        statuses = (["available"], ["missing"], ["withdrawn"], ["on_display", "withdrawn"], [])[n % 5]
        for copy, status in enumerate(statuses):
            fields.append(df("852", "  ", ("a", ("cite", "main")[(n + copy) % 2]), ("p", f"PR{n:04d}{copy}"),
                             ("h", f"{n}.{copy}"), ("9", status)))
        out.append(record(LEADER, *fields).as_marc())
    return b"".join(out)


@pytest.fixture
def marc_file(tmp_path, shared_data) -> Path:
    french = shared_data / "marc21-evergreen-datasets" / "lul_fre_500.mrc"
    if not french.exists():
        pytest.skip(f"{french} is absent (it comes with ../shared/data)")
    path = tmp_path / "works.mrc"
    path.write_bytes(own_records() + french.read_bytes())
    return path


def import_prepared(db, path: Path, prepared: Prepared, source: str = "test"):
    # two workers, as for a big file: the rows are analysed there
    return import_file(db, path, source=source, workers=2, analyse=ANALYSE, prepared=prepared)


def answers(engine) -> dict:
    """What visitors see: totals, hits in order, every facet, completions."""
    found = {}
    for text in QUERIES:
        result = engine.search(SearchRequest(parse(text), size=200, sort="relevance", highlight=True))
        found[text] = (result.total, [(hit.id, hit.title, round(hit.score, 9), hit.highlight) for hit in result.hits],
                       {name: [(v.value, v.count) for v in result.facets.get(name, [])] for name in FACETS})
    found["completions"] = [engine.complete(prefix) for prefix in ("le", "dur", "mar", "hist")]
    found["spelling"] = [engine.spelling(text) for text in ("menuisiez", "boulangre")]
    return found


def test_the_workers_rows_are_those_of_the_works_read_back(db, marc_file):
    prepared = Prepared()
    report = import_prepared(db, marc_file, prepared)
    assert report.created > 500 and prepared.works == report.created
    compared = 0
    with db.session() as session:
        for number, works in prepared:
            ids = {position: record_id for position, record_id, _ in works}
            got = rows(prepared.rows(number), ids)
            documents = search_documents(session, ids.values())
            want = build.analyse([documents[i] for i in sorted(documents)])
            assert sorted(got[0]) == sorted(want[0])  # fts rows: same ids (weeded works in neither)
            assert sorted(got[1]) == sorted(want[1])  # docs rows
            assert sorted(got[2]) == sorted(want[2])  # completions
            assert {word: got[3][word] for word in want[3]} == want[3]
            compared += len(want[0])
    assert 0 < compared < report.created  # works whose copies are all withdrawn are weeded: in neither


def test_a_drain_with_the_rows_answers_as_a_rebuild_from_the_database(db, marc_file, tmp_path):
    engine = EmbeddedEngine(tmp_path / "search.db")
    prepared = Prepared()
    report = import_prepared(db, marc_file, prepared)
    # changed after the import: its row is newer than the import's, so it is read back
    [(_, first_batch)] = list(prepared)[:1]
    changed = first_batch[0][1]  # (position, record id, time queued) of the first own record
    with db.transaction() as session:
        session.execute(update(Record).where(Record.id == changed).values(title="Le métier de boulanger revu"))
        mark_record_ids(session, [changed], "test")
    assert indexer.drain(db, engine, prepared=prepared, **REBUILD) == report.created
    assert waiting(db) == 0
    drained = answers(engine)
    assert (changed, "Le métier de boulanger revu") in [hit[:2] for hit in drained["boulanger revu"][1]]

    indexer.rebuild(db, engine)  # the safety net: every document read from the database
    assert answers(engine) == drained


def own_ids(db) -> set[int]:
    with db.session() as session:
        return set(session.scalars(select(Record.id).where(Record.source_id.like("own-%"))))


def test_a_work_given_another_works_copy_or_a_batch_given_descriptors_is_read_back(db, marc_file, tmp_path):
    owner = make_record(db, title="Un autre ouvrage")
    make_item(db, owner.id, barcode="PR00010")  # the copy of the second own record
    concept = make_concept(db, "Boulangerie")
    with db.transaction() as session:
        session.add(HeadingMapping(heading_key="boulangers", heading="Boulangers", concept_id=concept))
    prepared = Prepared()
    import_prepared(db, marc_file, prepared)
    # the first batch (500 records) holds every own record, and ten of them got the descriptor
    trusted = {record_id for _, works in prepared for _, record_id, _ in works}
    assert trusted and not trusted & own_ids(db)
    engine = EmbeddedEngine(tmp_path / "search.db")
    indexer.drain(db, engine, prepared=prepared, **REBUILD)
    drained = answers(engine)
    indexer.rebuild(db, engine)
    assert answers(engine) == drained


def test_the_drain_loads_the_rows_instead_of_reading_the_works_back(db, marc_file, tmp_path):
    prepared = Prepared()
    import_prepared(db, marc_file, prepared)
    [(_, first_batch)] = list(prepared)[:1]
    untold = first_batch[0][1]
    # Written behind the outbox's back (no row queued): only a drain that reads the work back sees it.
    with db.transaction() as session:
        session.execute(update(Record).where(Record.id == untold).values(title="Titre jamais indexé"))
    engine = EmbeddedEngine(tmp_path / "search.db")
    indexer.drain(db, engine, prepared=prepared, **REBUILD)
    assert engine.search(SearchRequest(parse("jamais"))).total == 0
    indexer.rebuild(db, engine)
    assert [hit.id for hit in engine.search(SearchRequest(parse("jamais"))).hits] == [untold]


def test_the_setting_sends_the_command_down_this_road_on_the_embedded_engine_only(database_url, tmp_path):
    def analyser(**config):
        app = create_app({"TESTING": True, "DATABASE_URL": database_url, "SECRET_KEY": "k",
                          "INSTANCE_DIR": str(tmp_path), **config})
        try:
            return outbox.analyser(app)
        finally:
            app.extensions["catalogue.db"].dispose()
    assert analyser() is None  # off by default: slower on 2 CPUs (bench/README.md)
    assert analyser(IMPORT_ANALYSE_IN_WORKERS=True) == ANALYSE
    assert analyser(IMPORT_ANALYSE_IN_WORKERS=True, SEARCH_ENGINE="elasticsearch",
                    SEARCH_URL="http://127.0.0.1:9") is None


def test_the_command_with_the_setting_ends_searchable_as_a_reindex_would(database_url, db, backend, shared_data,
                                                                          tmp_path):
    # 10,000 records: big enough for the command's workers and for a rebuild, the road's conditions
    if backend != "sqlite":
        pytest.skip("10,000 records through the whole command: once is enough, on SQLite")
    path = shared_data / "marc21-loc-booksall-2016-sample" / "BooksAll.2016.part01.first10000.utf8.mrc"
    if not path.exists():
        pytest.skip(f"{path} is absent (it comes with ../shared/data)")
    env = {"CATALOGUE_DATABASE_URL": database_url, "CATALOGUE_INSTANCE_DIR": str(tmp_path / "instance"),
           "CATALOGUE_LOG_LEVEL": "ERROR", "CATALOGUE_DEFAULT_LOCALE": "en",
           "CATALOGUE_IMPORT_ANALYSE_IN_WORKERS": "true"}

    def cli(*args):
        result = CliRunner().invoke(main, [*map(str, args)], env=env, catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result.stdout

    report = json.loads(cli("import", "--json", path))
    assert waiting(db) == 0
    queries = ("", "history", "united states", "poetry", "war")
    found = {text: json.loads(cli("search", "--json", "--size", "100", text)) for text in queries}
    assert found[""]["total"] == report["created"] > 9000
    cli("reindex")
    assert {text: json.loads(cli("search", "--json", "--size", "100", text)) for text in queries} == found
