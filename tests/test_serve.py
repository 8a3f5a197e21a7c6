"""`catalogue serve` with several worker processes: each serves, and a
stopped server has written every search to the observatory."""
from __future__ import annotations

import json
import urllib.request

from sqlalchemy import func, select

from catalogue.db import Database
from search.models import SearchDay
from tests.support.live import live_server

SEARCHES = 24


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
