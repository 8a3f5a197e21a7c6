"""The demo as a test's starting point: loaded for real once per test
process, backend and variant, then copied for each test marked
``@pytest.mark.demo(accounts=..., today=...)`` (the ``database_url``
fixture in tests/conftest.py hands the copy over).

A load costs 1.5 s on SQLite and 2.5 s on PostgreSQL; a copy a few
milliseconds (a file copy of the closed SQLite file) or some 50 ms
(PostgreSQL's ``CREATE DATABASE ... TEMPLATE``, dropped after the test).
Every test gets a copy of its own, so a test may change the demo freely.

The copy holds what ``load_demo`` committed, its outbox rows included: the
test drains them into its own search index, as after a real load. Indexing
the demo takes a tenth of a second, less than keeping and copying an index
per engine would save. Tests whose subject is ``load_demo`` itself (a
second load, an older install) still call it.
"""
from __future__ import annotations

import datetime as dt
import itertools
import shutil
from pathlib import Path

from cite import migrate
from cite.demo import load_demo
from core.db import Database, utcnow

MARKER = "demo(accounts=True, today=None): the test's database starts as the demo, loaded with these " \
         "arguments once per process and copied for the test (tests/support/demo_copy.py)"

_SNAPSHOTS: dict[tuple, str] = {}  # (backend, accounts, today) -> SQLite path or PostgreSQL database name
_names = itertools.count(1)


def variant(marker) -> tuple[bool, dt.date]:
    """``load_demo``'s arguments from the marker; today's date made explicit,
    so that a run going past midnight loads the new day's demo."""
    accounts = marker.kwargs.get("accounts", True)
    return accounts, marker.kwargs.get("today") or utcnow().date()


def _load(url: str, accounts: bool, today: dt.date) -> None:
    database = Database(url)
    try:
        with database.transaction() as session:
            load_demo(session, accounts=accounts, today=today)
    finally:
        database.dispose()  # nobody connected: a file to copy, a database fit to be a template


def sqlite_copy(template: Path, folder: Path, target: Path, accounts: bool, today: dt.date) -> str:
    """The URL of ``target``, a copy of the demo loaded on a copy of ``template``."""
    key = ("sqlite", accounts, today)
    if key not in _SNAPSHOTS:
        path = folder / f"demo-{next(_names)}.db"
        shutil.copyfile(template, path)
        _load(f"sqlite:///{path}", accounts, today)
        _SNAPSHOTS[key] = str(path)
    shutil.copyfile(_SNAPSHOTS[key], target)
    return f"sqlite:///{target}"


def postgresql_copy(server, accounts: bool, today: dt.date) -> tuple[str, str]:
    """A new database copied from the demo's (made first if need be): its URL and name."""
    key = ("postgresql", accounts, today)
    if key not in _SNAPSHOTS:
        name = f"demo_{next(_names)}"
        database = Database(server.create_database(name))
        try:
            migrate.upgrade(database)
        finally:
            database.dispose()
        _load(server.url(name), accounts, today)
        _SNAPSHOTS[key] = name
    name = f"demo_copy_{next(_names)}"
    return server.create_database(name, template=_SNAPSHOTS[key]), name
