"""`catalogue serve` with several worker processes: each serves, and a
stopped server has written every search to the observatory."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy import func, select

from core.db import Database
from search.models import SearchDay
from tests.support.live import live_server

SEARCHES = 24
ROOT = Path(__file__).resolve().parents[2]


def get(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=30) as response:
        assert response.status == 200
        return json.load(response)


def test_several_workers_serve_and_write_every_count_when_stopped(database_url, tmp_path):
    with live_server(database_url, tmp_path / "instance", workers=2, threads=2) as base_url:
        assert get(f"{base_url}/healthz")["status"] == "ok"
        # One connection per request: the kernel hands them to both workers.
        for n in range(SEARCHES):
            assert get(f"{base_url}/api/v1/search?q=atlas{n % 3}")["total"] == 0
    # Stopped (SIGTERM) well within the recorder's 10 s: only the workers'
    # last flush can have written the counts.
    database = Database(database_url)
    try:
        with database.session() as session:
            assert session.scalar(select(func.sum(SearchDay.searches))) == SEARCHES
    finally:
        database.dispose()


def test_a_second_server_on_a_taken_port_refuses_to_start(database_url, tmp_path):
    """Workers listen with SO_REUSEPORT, which would let a second server
    share the port and answer half the visitors; it must fail instead."""
    with live_server(database_url, tmp_path / "first", workers=2, threads=2) as base_url:
        port = urlsplit(base_url).port
        env = {k: v for k, v in os.environ.items() if not k.startswith("CATALOGUE_")}
        env["CATALOGUE_DEFAULT_LOCALE"] = "en"  # the command line speaks it: the messages checked are English
        env.update({"CATALOGUE_DATABASE_URL": database_url, "CATALOGUE_INSTANCE_DIR": str(tmp_path / "second"),
                    "CATALOGUE_SECRET_KEY": "second", "PYTHONPATH": str(ROOT)})
        second = subprocess.run([sys.executable, "-c", "from cite.cli import main; main()", "serve",
                                 "--host", "127.0.0.1", "--port", str(port)],
                                env=env, capture_output=True, text=True, timeout=60)
        assert second.returncode != 0
        assert f"Cannot listen on 127.0.0.1:{port}" in second.stderr
        assert get(f"{base_url}/healthz")["status"] == "ok"
