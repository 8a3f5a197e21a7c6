"""How fast is counting in-house use by scanning barcodes?

Starts the real service (`catalogue serve`) on a fresh SQLite database
holding the demo collection, then times, over keep-alive HTTP:
  - baseline: GET /healthz (a request that reads the database);
  - scan (page): POST /staff/uses as the scanning screen sends it;
  - scan (API): POST /api/v1/uses with one barcode;
and the time to scan a trolley of 60 documents one by one.

Usage: .venv/bin/python bench/scan_uses.py [--rounds 300]
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from accounts.services import AccountService  # noqa: E402
from bench.keepalive import Client  # noqa: E402
from catalogue.models import Item  # noqa: E402
from cite import migrate  # noqa: E402
from cite.demo import DEMO_PASSWORD, load_demo  # noqa: E402
from core.db import Database  # noqa: E402
from tests.support.live import live_server  # noqa: E402


def timed(call, rounds: int) -> list[float]:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def describe(name: str, samples: list[float], baseline: float | None = None) -> str:
    median = statistics.median(samples)
    p90 = statistics.quantiles(samples, n=10)[-1]
    ratio = f"  x{median / baseline:.2f} baseline" if baseline else ""
    return f"{name:<22} median {median:7.2f} ms   p90 {p90:7.2f} ms{ratio}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=300)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="bench-scan-"))
    url = f"sqlite:///{workdir / 'catalogue.db'}"
    database = Database(url)
    migrate.upgrade(database)
    with database.transaction() as session:
        load_demo(session)
        _, token = AccountService(session).issue_token("documentaliste", "bench")
        barcodes = [b for (b,) in session.query(Item.barcode).filter(Item.status != "withdrawn")]
    database.dispose()

    with live_server(url, workdir / "instance", extra_env={"CATALOGUE_SESSION_COOKIE_SECURE": "false"}) as base:
        page = Client(base, timeout=30)
        page.login("documentaliste", DEMO_PASSWORD)
        csrf = page.csrf_token("/staff/uses")
        api = Client(base, timeout=30)
        auth = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        cycle = iter(barcodes * (args.rounds * 3 // len(barcodes) + 3))

        def scan_page():
            body = urlencode({"csrf_token": csrf, "barcode": next(cycle)}).encode()
            status, data = page.request("POST", "/staff/uses", body, {
                "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json",
                "X-CSRFToken": csrf})
            assert status == 200 and json.loads(data)["results"][0]["ok"], data

        def scan_api():
            status, data = api.request("POST", "/api/v1/uses", json.dumps({"barcodes": [next(cycle)]}).encode(), auth)
            assert status == 200 and json.loads(data)["recorded"] == 1, data

        for call in (scan_page, scan_api):  # warm up
            timed(call, 20)
        baseline = timed(lambda: api.request("GET", "/healthz"), args.rounds)
        page_scans = timed(scan_page, args.rounds)
        api_scans = timed(scan_api, args.rounds)
        trolleys = [sum(timed(scan_page, 60)) / 1000 for _ in range(5)]

    base_median = statistics.median(baseline)
    print(f"scan_uses: {args.rounds} rounds each, SQLite, `catalogue serve`, demo collection ({len(barcodes)} items)")
    print(describe("baseline GET /healthz", baseline))
    print(describe("scan via staff page", page_scans, base_median))
    print(describe("scan via API", api_scans, base_median))
    print(f"{'trolley of 60 scans':<22} median {statistics.median(trolleys):7.2f} s (5 trolleys)")


if __name__ == "__main__":
    main()
