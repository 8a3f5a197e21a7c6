"""`catalogue scheduler`: every package's jobs, one scheduler at a time.

Real processes against the test database: a work saved through the API
while the search cluster is down is indexed by the scheduler's drain, with
no harvest configured; a second scheduler started beside the first waits,
runs nothing, and takes over when the first stops.
"""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from cite import create_app
from cite.scheduler import exclusive
from core.db import Database
from core.outbox import waiting
from search.embedded import EmbeddedEngine
from search.engine import SearchRequest
from search.query import parse
from tests.support.api import bearer
from tests.support.factories import record_data
from tests.support.postgres import free_port

ROOT = Path(__file__).resolve().parents[2]
STARTED = "Search index kept current"
WAITING = "Another scheduler is running jobs on this database"


class Scheduler:
    """`catalogue scheduler` in a process of its own, its output in a file."""

    def __init__(self, database_url: str, instance: Path, name: str):
        self.output = instance / f"{name}.out"
        env = {k: v for k, v in os.environ.items() if not k.startswith("CATALOGUE_")}
        env["CATALOGUE_DEFAULT_LOCALE"] = "en"  # the command line speaks it: the messages checked are English
        env.update({"CATALOGUE_DATABASE_URL": database_url, "CATALOGUE_INSTANCE_DIR": str(instance),
                    "CATALOGUE_SECRET_KEY": "scheduler-test", "CATALOGUE_SEARCH_DRAIN_SECONDS": "1",
                    "CATALOGUE_LOG_LEVEL": "INFO", "PYTHONUNBUFFERED": "1",
                    "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)})
        with open(self.output, "wb") as out:
            self.process = subprocess.Popen([sys.executable, "-c", "from cite.cli import main; main()", "scheduler"],
                                            env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)

    def text(self) -> str:
        return self.output.read_text(errors="replace")

    def wait_for(self, needle: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while needle not in self.text():
            assert self.process.poll() is None, f"the scheduler stopped:\n{self.text()}"
            assert time.monotonic() < deadline, f"no {needle!r} after {timeout} s:\n{self.text()}"
            time.sleep(0.1)

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.terminate()
        return self.process.wait(timeout=20)


def until(condition, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"not within {timeout} s"
        time.sleep(0.2)


def found(index: Path, words: str) -> list[int]:
    engine = EmbeddedEngine(str(index))
    try:
        return [hit.id for hit in engine.search(SearchRequest(parse(words))).hits]
    finally:
        engine.close()


def test_one_scheduler_drains_the_outbox_without_a_harvest_and_a_second_one_waits(database_url, tmp_path):
    # The search cluster is down when a documentalist saves a work: it is
    # saved, and waits in the outbox.
    down = create_app({"DATABASE_URL": database_url, "SECRET_KEY": "x", "INSTANCE_DIR": str(tmp_path / "api"),
                       "SEARCH_ENGINE": "elasticsearch", "SEARCH_URL": f"http://127.0.0.1:{free_port()}"})
    database = down.extensions["catalogue.db"]
    headers = bearer(database)
    saved = down.test_client().post("/api/v1/records", json=record_data(title="Le guide du curriculum vitae"),
                                    headers=headers)
    assert saved.status_code == 201, saved.get_data(as_text=True)
    assert waiting(database) == 1

    instance = tmp_path / "scheduler"
    instance.mkdir()
    first = Scheduler(database_url, instance, "first")
    second = None
    try:
        first.wait_for(STARTED)
        assert "No harvest: CATALOGUE_HARVEST_URL is not set." in first.text()
        second = Scheduler(database_url, instance, "second")
        second.wait_for(WAITING)

        until(lambda: waiting(database) == 0)
        index = instance / "search.db"
        assert found(index, "curriculum") == [saved.get_json()["id"]]

        health = create_app({"DATABASE_URL": database_url, "SECRET_KEY": "x", "INSTANCE_DIR": str(instance)})
        report = health.test_client().get("/healthz").get_json()
        assert report["scheduler"]["last_heartbeat"] is not None
        assert report["search"]["last_drain"] is not None
        assert (report["search"]["waiting"], report["search"]["documents"]) == (0, 1)
        health.extensions["catalogue.db"].dispose()

        time.sleep(2)  # two drain intervals: the waiting scheduler ran nothing meanwhile
        assert STARTED not in second.text()

        # The first stops: the second takes over, and drains what comes next.
        assert first.stop() == 0
        second.wait_for(STARTED)
        again = down.test_client().post("/api/v1/records", json=record_data(title="Créer son entreprise",
                                                                           isbn=None), headers=headers)
        assert again.status_code == 201
        until(lambda: waiting(database) == 0)
        assert found(index, "entreprise") == [again.get_json()["id"]]
    finally:
        first.stop()
        if second is not None:
            assert second.stop() == 0, second.text()
        down.extensions["catalogue.db"].dispose()


def test_the_scheduler_lock_is_taken_once(database_url):
    told = []
    first_db, second_db = Database(database_url), Database(database_url)
    try:
        with exclusive(first_db, waiting=lambda: told.append("first")):
            holder = subprocess.Popen(
                [sys.executable, "-c", "import sys, time\n"
                 "from core.db import Database\nfrom cite.scheduler import exclusive\n"
                 f"with exclusive(Database({database_url!r}), waiting=lambda: print('waiting', flush=True)):\n"
                 "    print('taken', flush=True)\n"],
                cwd=ROOT, stdout=subprocess.PIPE, text=True)
            assert holder.stdout.readline().strip() == "waiting"
            time.sleep(1.5)
            assert holder.poll() is None  # still waiting while we hold it
        assert holder.stdout.readline().strip() == "taken"
        assert holder.wait(timeout=20) == 0
        with exclusive(second_db, waiting=lambda: told.append("second")):
            pass
        assert told == []
    finally:
        first_db.dispose()
        second_db.dispose()
