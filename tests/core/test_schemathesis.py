"""The standing schemathesis run (issue 14): every operation of the OpenAPI
document at /api/openapi.json, fuzzed against a real ``catalogue serve`` on a
database with the demo loaded.

On SQLite, three callers: nobody (no token), an administrator (every
permission but the counsellors' vote) and a counsellor of one pole (the vote,
and the refusals); on PostgreSQL, the administrator. Each answer must be as
the document says (``call_and_validate``'s checks): no 5xx; a documented
status, content type, headers and body; a request the document forbids
refused (4xx); a method the path lacks answered 405.

Path ids are mostly those of real demo objects, and versions current ones
(``Demo.call``), so that bodies reach the services instead of stopping at a
404 or a 409. Left out:
- ``positive_data_acceptance``: the services refuse, with a 422 naming the
  field, what no JSON Schema can say (an ISBN's check digit, a concept that
  does not exist, a move the proposal's state forbids). What the document
  can say (null, required, JSON types) it does: tests/core/test_hostile_input.py;
- ``max_response_time`` (off unless given a limit): no timed assertions in tests;
- the stateful phase: the pytest integration runs none.
Nothing is excluded: no operation can delete the caller's account or token.

Bounded: ``EXAMPLES`` per operation, generation mode and phase; the coverage
phase (boundary values, missing and extra fields, wrong types, other
methods) for the administrator on SQLite only. ``CATALOGUE_FUZZ_SEED``
(default fixed, so CI sees the same run) and ``CATALOGUE_FUZZ_EXAMPLES``
explore further.
"""
from __future__ import annotations

import itertools
import os
import tempfile
from pathlib import Path
from urllib.parse import urlencode

import pytest
import requests
import schemathesis
from click.testing import CliRunner
from schemathesis.core.parameters import ParameterLocation
from schemathesis.generation import GenerationMode
from sqlalchemy import text

from cite import create_app
from cite.cli import main
from core.db import Database
from tests.support.factories import make_token
from tests.support.live import live_server

BACKENDS = [b.strip() for b in os.environ.get("CATALOGUE_TEST_BACKENDS", "sqlite,postgresql").split(",")]
SEED = int(os.environ.get("CATALOGUE_FUZZ_SEED", "14"))
EXAMPLES = int(os.environ.get("CATALOGUE_FUZZ_EXAMPLES", "8"))
# The demo's staff accounts (cite.demo): the callers with a token.
CALLERS = {"administrator": "admin", "counsellor": "conseiller"}
# Path parameter -> the table whose ids it takes; where two paths give one
# name to ids of different tables, the path's start tells them apart.
TABLES = {"record_id": "records", "item_id": "items", "concept_id": "concepts", "label_id": "concept_labels",
          "proposal_id": "proposals", "fund_id": "funds", "order_id": "orders", "campaign_id": "weeding_campaigns",
          "rule_id": "weeding_rules", "held_id": "import_held",
          "/api/v1/imports run_id": "import_runs", "/api/v1/reports run_id": "report_runs"}


def _document() -> dict:
    """The OpenAPI document, built in-process: the operations to parametrize
    over are known at collection, before any server runs. The test checks
    the server serves the same one."""
    with tempfile.TemporaryDirectory(prefix="catalogue-openapi-") as folder:
        app = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{folder}/unused.db",
                          "SECRET_KEY": "openapi", "INSTANCE_DIR": folder})
        document = app.test_client().get("/api/openapi.json").get_json()
        app.extensions["catalogue.db"].dispose()
    return document


def _config(*, coverage: bool, examples: int = EXAMPLES) -> schemathesis.Config:
    return schemathesis.Config.from_dict({
        "seed": SEED,
        # Drawing a large body on a busy CI machine is slow, not wrong; and the
        # address filter (fits_a_request_line) drops some of the search's drawings.
        "suppress-health-check": ["too_slow", "filter_too_much"],
        # The token is ours to send (or not): schemathesis neither draws nor drops it.
        "generation": {"max-examples": examples, "database": "none", "with-security-parameters": False},
        "phases": {"coverage": {"enabled": coverage}, "stateful": {"enabled": False}},
        "checks": {
            "positive_data_acceptance": {"enabled": False},
            # Schemathesis's list, with the answers to a request too large (413) or an address too long (414).
            "negative_data_rejection": {"expected-statuses": [
                "400", "401", "403", "404", "405", "406", "409", "413", "414", "415", "422", "428", "429", "5xx"]},
        },
    })


DOCUMENT = _document()
# Nobody and the counsellor are mostly refused (401, 403) before their body
# is read: fewer examples tell as much.
nobody = schemathesis.openapi.from_dict(DOCUMENT, config=_config(coverage=False, examples=EXAMPLES // 2))
administrator = schemathesis.openapi.from_dict(DOCUMENT, config=_config(coverage=True))
counsellor = schemathesis.openapi.from_dict(DOCUMENT, config=_config(coverage=False, examples=EXAMPLES // 2))
# On PostgreSQL, what differs is what reaches the database: the administrator's
# writes, drawn at random (the coverage phase's wrong types stop at the edge).
administrator_on_postgresql = schemathesis.openapi.from_dict(DOCUMENT, config=_config(coverage=False))


def fits_a_request_line(context, case) -> bool:
    """Whether gunicorn hands the request to the application. It refuses a
    request line beyond 8 KB itself (``limit_request_line`` in cite/server.py,
    its largest bounded value; a reverse proxy has such a limit too) with its
    own page, before any of our code runs. The application's JSON 414, from 4 KB
    (core.web.limits), is in range and tested; the search's facets, up to 20
    values of 100 characters each, can make longer ones."""
    query = urlencode(case.query or {}, doseq=True)
    return len(case.formatted_path) + len(query) < 8000


for _schema in (nobody, administrator, counsellor, administrator_on_postgresql):
    _schema.hook("filter_case")(fits_a_request_line)


# The demo server -------------------------------------------------------------
class Demo:
    """The demo's server, its callers' headers, and the ids of what it holds."""

    def __init__(self, url: str, headers: dict[str, dict], ids: dict[str, list]):
        self.url, self.headers = url, headers
        # Each path parameter cycles through its real values, then once through
        # whatever schemathesis drew (None): mostly objects that exist, some not.
        self.cycles = {name: itertools.cycle([*values[:40], None]) for name, values in ids.items()}

    def call(self, case, caller: str):
        """``call_and_validate`` as ``caller``, the case first aimed at real
        objects: valid path ids replaced, most of the time, by those of objects
        the demo holds, and a body's integer ``version`` by the object's current
        one, so that the rest of the body is what the server judges (a drawn
        version gets a 409 first). What was drawn invalid on purpose stays so,
        and schemathesis, seeing the case changed, judges it as sent. Done here,
        not in a hook: the coverage phase's cases are made at collection, before
        any server runs."""
        path = case.meta.components.get(ParameterLocation.PATH) if case.meta else None
        if path is None or path.mode != GenerationMode.NEGATIVE:
            for name in list(case.path_parameters or {}):
                prefix = "/".join(case.path.split("/")[:4])
                cycle = self.cycles.get(f"{prefix} {name}") or self.cycles.get(name)
                value = next(cycle, None) if cycle else None
                if value is not None:
                    case.path_parameters[name] = value
        version = case.body.get("version") if isinstance(case.body, dict) else None
        if isinstance(version, int) and not isinstance(version, bool) and "}" in case.path:
            current = self.version_of(case)
            if current is not None:
                case.body["version"] = current
        return case.call_and_validate(base_url=self.url, headers=self.headers[caller])

    def version_of(self, case) -> int | None:
        """The version the object named by the path's first id has now (the
        concept of /concepts/{id}/labels...), or None when it has none to read."""
        owner = case.path[:case.path.index("}") + 1].format(**case.path_parameters)
        answer = requests.get(f"{self.url}{owner}", headers=self.headers["administrator"], timeout=10)
        version = answer.json().get("version") if answer.status_code == 200 else None
        return version if isinstance(version, int) else None


def serve_demo(database_url: str, folder: Path):
    """``catalogue init`` and ``catalogue demo`` (in-process), staff tokens,
    then ``catalogue serve`` on it: yields the Demo."""
    env = {"CATALOGUE_DATABASE_URL": database_url, "CATALOGUE_INSTANCE_DIR": str(folder),
           "CATALOGUE_SECRET_KEY": "schemathesis", "CATALOGUE_LOG_LEVEL": "WARNING"}
    for command in ("init", "demo"):
        result = CliRunner().invoke(main, [command], env=env, catch_exceptions=False)
        assert result.exit_code == 0, result.output
    database = Database(database_url)
    headers = {"anonymous": {}}
    headers.update({role: {"Authorization": f"Bearer {make_token(database, username)}"}
                    for role, username in CALLERS.items()})
    with database.session() as session:
        ids = {name: list(session.scalars(text(f"SELECT id FROM {table} ORDER BY id")))
               for name, table in TABLES.items()}
    database.dispose()
    with live_server(database_url, folder, secret_key="schemathesis") as url:
        reports = requests.get(f"{url}/api/v1/reports", headers=headers["administrator"], timeout=10).json()
        ids["name"] = [report["name"] for report in reports["items"]]
        yield Demo(url, headers, ids)


@pytest.fixture(scope="module")
def sqlite_demo(tmp_path_factory):
    if "sqlite" not in BACKENDS:
        pytest.skip("SQLite is not among CATALOGUE_TEST_BACKENDS")
    folder = tmp_path_factory.mktemp("schemathesis-sqlite")
    yield from serve_demo(f"sqlite:///{folder / 'demo.db'}", folder)


@pytest.fixture(scope="module")
def postgresql_demo(tmp_path_factory, request):
    if "postgresql" not in BACKENDS:
        pytest.skip("PostgreSQL is not among CATALOGUE_TEST_BACKENDS")
    url = request.getfixturevalue("postgres_server").create_database("schemathesis")
    yield from serve_demo(url, tmp_path_factory.mktemp("schemathesis-postgresql"))


# Tests -----------------------------------------------------------------------
def test_the_server_serves_the_document_under_test(sqlite_demo):
    assert requests.get(f"{sqlite_demo.url}/api/openapi.json", timeout=10).json() == DOCUMENT


@nobody.parametrize()
def test_without_a_token(case, sqlite_demo):
    sqlite_demo.call(case, "anonymous")


@administrator.parametrize()
def test_as_an_administrator(case, sqlite_demo):
    sqlite_demo.call(case, "administrator")


@counsellor.parametrize()
def test_as_a_counsellor(case, sqlite_demo):
    sqlite_demo.call(case, "counsellor")


@administrator_on_postgresql.parametrize()
def test_as_an_administrator_on_postgresql(case, postgresql_demo):
    postgresql_demo.call(case, "administrator")
