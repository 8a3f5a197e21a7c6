"""An import killed with SIGKILL halfway (issue 14, finding 4): what it
committed stays, its run shows "interrupted" with counts that add up the
next time anyone looks, and the next import completes with every record
accounted for. A real `catalogue import` process, really killed."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select

from catalogue.models import Record
from core.db import Database
from importers.marc.runner import import_file
from importers.models import ImportRun
from importers.services.imports import ImportService

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = "marc21-loc-booksall-2016-sample/BooksAll.2016.part01.first10000.utf8.mrc"


def test_a_killed_import_is_interrupted_and_the_next_one_completes(database_url, tmp_path, shared_data):
    env = {k: v for k, v in os.environ.items() if not k.startswith("CATALOGUE_")}
    env.update(CATALOGUE_DATABASE_URL=database_url, CATALOGUE_INSTANCE_DIR=str(tmp_path),
               CATALOGUE_LOG_LEVEL="WARNING", PYTHONPATH=str(ROOT))
    process = subprocess.Popen([sys.executable, "-c", "from cite.cli import main; main()", "import", "--json",
                                "--source", "loc", str(shared_data / SAMPLE)], env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    database = Database(database_url)
    try:
        deadline = time.monotonic() + 120
        read = 0
        while read < 2000:  # a few batches committed, most of the file still to come
            assert process.poll() is None, process.stderr.read().decode()
            assert time.monotonic() < deadline, "the import did not get going"
            time.sleep(0.2)
            with database.session() as session:
                read = session.scalar(select(func.coalesce(func.max(ImportRun.read), 0)))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)

        with database.transaction() as session:
            [killed] = ImportService(session).runs()[0]
            assert killed.status == "interrupted" and "killed" in killed.error
            assert killed.read == killed.created + killed.updated + killed.unchanged + killed.held + killed.rejected
            assert 2000 <= killed.read < 10000 and killed.finished_at is not None
            assert session.scalar(select(func.count()).select_from(Record)) == killed.created

        report = import_file(database, shared_data / SAMPLE, source="loc", workers=0)
        assert report.status == "finished"
        assert report.read == report.created + report.updated + report.unchanged + report.held + report.rejected
        with database.session() as session:
            # The works the killed run wrote are matched, not made twice.
            assert session.scalar(select(func.count()).select_from(Record)) == killed.created + report.created
            assert report.unchanged + report.updated >= killed.created
    finally:
        if process.poll() is None:
            process.kill()
        database.dispose()
