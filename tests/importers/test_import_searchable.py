"""`catalogue import` ends with every imported work searchable: the outbox
is drained by the command itself, behind an "Indexing" progress bar (none
with --json), a big import through a rebuild of the index."""
from __future__ import annotations

import json
import sqlite3

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from catalogue.models import Record
from cite.cli import main
from core.outbox import waiting


@pytest.fixture
def cli(database_url, tmp_path):
    runner = CliRunner()
    env = {"CATALOGUE_DATABASE_URL": database_url, "CATALOGUE_INSTANCE_DIR": str(tmp_path / "instance"),
           "CATALOGUE_LOG_LEVEL": "ERROR", "CATALOGUE_DEFAULT_LOCALE": "en"}

    def invoke(*args):
        result = runner.invoke(main, [*map(str, args)], env=env, catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result
    return invoke


def records(db) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(Record))


def searched(cli) -> int:
    return json.loads(cli("search", "--json").stdout)["total"]


def test_an_import_is_searchable_when_the_command_ends(cli, db, shared_data):
    path = shared_data / "marc21-evergreen-datasets" / "lul_fre_500.mrc"
    result = cli("import", path)
    assert "Importing" in result.output and "Indexing" in result.output
    assert waiting(db) == 0
    assert searched(cli) == records(db) > 400


def test_with_json_no_bar_and_still_searchable(cli, db, shared_data):
    path = shared_data / "marc21-evergreen-datasets" / "lul_fre_500.mrc"
    result = cli("import", "--json", path)
    assert "Indexing" not in result.output
    [report] = [json.loads(line) for line in result.stdout.splitlines()]
    assert waiting(db) == 0
    assert searched(cli) == report["created"] == records(db)


def test_a_big_import_rebuilds_the_index_with_the_same_answers(cli, db, shared_data, backend, tmp_path):
    if backend != "sqlite":
        pytest.skip("10,000 records: once is enough, on SQLite")
    path = shared_data / "marc21-loc-booksall-2016-sample" / "BooksAll.2016.part01.first10000.utf8.mrc"
    folder = tmp_path / "instance"
    cli("import", "--json", path)
    with sqlite3.connect(folder / "search.db") as index:
        # a rebuilt generation has logged no change one by one
        assert index.execute("SELECT count(*) FROM changes").fetchone()[0] == 0
    assert waiting(db) == 0
    imported = json.loads(cli("search", "--json", "history").stdout)
    assert searched(cli) == records(db) > 9900
    cli("reindex")  # the safety net gives what the import's drain gave
    assert json.loads(cli("search", "--json", "history").stdout) == imported
