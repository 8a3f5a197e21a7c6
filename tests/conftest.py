"""Fixtures: every database test runs on real SQLite and on a real,
throwaway PostgreSQL server.

Choose backends with CATALOGUE_TEST_BACKENDS (default "sqlite,postgresql").
Without PostgreSQL binaries the PostgreSQL run is skipped with a reason,
except under CI, where it fails.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from tests.support import bytecode

# Keep create_app from writing ./instance in the working tree.
_SESSION_DIR = Path(tempfile.mkdtemp(prefix="catalogue-tests-"))
os.environ["CATALOGUE_INSTANCE_DIR"] = str(_SESSION_DIR / "instance")
os.environ.setdefault("CATALOGUE_LOG_LEVEL", "WARNING")
# Real argon2id, with argon2-cffi's profile for test suites: the suite hashes and checks
# thousands of passwords (in this process and in the servers it starts, which inherit it).
os.environ.setdefault("CATALOGUE_PASSWORD_HASH_PROFILE", "cheapest")
# Bytecode, cached. Where PYTHONDONTWRITEBYTECODE is set (as on these machines), every
# process the suite starts (xdist workers, servers, commands) compiled the project's
# sources again: about 0.2 s of CPU each, hundreds of times (bench/README.md).
bytecode.cache_bytecode()

from cite import (
    create_app,  # noqa: E402
    migrate,  # noqa: E402
)
from cite.schema import metadata  # noqa: E402
from core.db import Database  # noqa: E402
from tests.support import demo_copy  # noqa: E402
from tests.support.postgres import PostgresServer, find_binaries  # noqa: E402
from tests.support.schedule import longest_first  # noqa: E402
from tests.support.templates import SHARED as SHARED_BYTECODE  # noqa: E402

BACKENDS = [b.strip() for b in os.environ.get("CATALOGUE_TEST_BACKENDS", "sqlite,postgresql").split(",") if b.strip()]
SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def pytest_configure(config):
    config.addinivalue_line("markers", demo_copy.MARKER)


def pytest_sessionfinish(session, exitstatus):
    shutil.rmtree(_SESSION_DIR, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_server():
    bindir = find_binaries()
    if bindir is None:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL binaries (initdb, pg_ctl) are missing: install Debian's postgresql package.")
        pytest.skip("PostgreSQL binaries (initdb, pg_ctl) are not installed")
    server = PostgresServer(bindir)
    server.start()
    yield server
    for database in _RESETTERS.values():
        database.dispose()
    server.stop()


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request):
    return request.param


_TEMPLATES: dict[str, dict] = {}


@pytest.fixture(scope="session")
def template_database(backend, request):
    """A migrated database per backend, made once per process. Once, not once
    per fixture setup: under pytest-xdist a worker's tests may alternate
    between the backends, and pytest then sets this fixture up again."""
    if backend not in _TEMPLATES:
        _TEMPLATES[backend] = _make_template(backend, request)
    return _TEMPLATES[backend]


def _make_template(backend, request) -> dict:
    if backend == "sqlite":
        path = _SESSION_DIR / "template.db"
        database = Database(f"sqlite:///{path}")
        migrate.upgrade(database)
        database.dispose()
        return {"backend": "sqlite", "path": path}
    server = request.getfixturevalue("postgres_server")
    url = server.create_database("catalogue_test")
    database = Database(url)
    migrate.upgrade(database)
    database.dispose()
    return {"backend": "postgresql", "url": url}


@pytest.fixture
def database_url(template_database, tmp_path, request):
    """A clean, migrated database for one test; for a test marked ``demo``,
    a copy of the demo of its own (tests/support/demo_copy.py)."""
    marker = request.node.get_closest_marker("demo")
    if template_database["backend"] == "sqlite":
        path = tmp_path / "catalogue.db"
        if marker is not None:
            variant = demo_copy.variant(marker)
            yield demo_copy.sqlite_copy(template_database["path"], _SESSION_DIR, path, *variant)
            return
        shutil.copyfile(template_database["path"], path)
        yield f"sqlite:///{path}"
        return
    if marker is not None:
        server = request.getfixturevalue("postgres_server")
        url, name = demo_copy.postgresql_copy(server, *demo_copy.variant(marker))
        yield url
        server.drop_database(name)
        return
    url = template_database["url"]
    empty_postgresql(url)
    yield url


_RESETTERS: dict[str, Database] = {}
# Every sequence a test used starts again at 1, as in a fresh database.
_RESTART_SEQUENCES = ("SELECT setval(quote_ident(schemaname) || '.' || quote_ident(sequencename), 1, false) "
                      "FROM pg_sequences WHERE schemaname = current_schema() AND last_value IS NOT NULL")


def empty_postgresql(url: str) -> None:
    """Empty every table and restart the sequences. DELETE, children first,
    rather than TRUNCATE: a test leaves a few rows in a few tables, and
    TRUNCATE's cost is per table (new files for each), five to ten times
    DELETE's on this schema of some 60 tables. The connection is kept for the
    next test."""
    if url not in _RESETTERS:
        _RESETTERS[url] = Database(url)
    with _RESETTERS[url].engine.begin() as conn:
        for table in reversed(metadata.sorted_tables):
            conn.exec_driver_sql(f'DELETE FROM "{table.name}"')
        conn.exec_driver_sql(_RESTART_SEQUENCES)


@pytest.fixture
def app(database_url, tmp_path):
    app = create_app({
        "TESTING": True,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test-secret-key",
        "SESSION_COOKIE_SECURE": False,
        "INSTANCE_DIR": str(tmp_path),
    })
    app.jinja_env.bytecode_cache = SHARED_BYTECODE  # each template compiled once per process
    yield app
    # The observatory's timer would write this test's last counts into the next test's database.
    from search.web import flush_observatory
    flush_observatory(app)
    app.extensions["catalogue.db"].dispose()


@pytest.fixture
def db(app):
    return app.extensions["catalogue.db"]


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def shared_data():
    if not SHARED_DATA.is_dir():
        pytest.skip(f"shared data folder {SHARED_DATA} is absent")
    return SHARED_DATA


# Last, after pytest's own reordering (by backend), which would split modules again.
@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    # schemathesis makes one item per API operation but, under pytest 9
    # (whose node ids are structured, in ``_id``), leaves them all the test
    # function's id. pytest-xdist tells tests apart by id and would run one
    # operation per function: the operation, as the id's parameter, makes
    # each unique, as schemathesis meant.
    for item in items:
        label = getattr(item, "operation_label", None)
        node_id = getattr(item, "_id", None)
        if label and node_id is not None and getattr(node_id, "params", "") is None:
            item._id = node_id.with_params(label)
    seen: set[str] = set()
    twice = sorted({item.nodeid for item in items if item.nodeid in seen or seen.add(item.nodeid)})
    if twice:  # a parallel run would silently drop all but one of each
        raise pytest.UsageError(f"tests share a node id: {', '.join(twice[:5])}")
    items[:] = longest_first(items)  # see tests/support/schedule.py
