"""How fast are the weeding candidates and the counsellor's review page at scale?

Builds a fresh SQLite database (in a temporary directory) holding --items
copies (default 100,000) of --records works (default 60,000: one or two
poles, eight document types, call numbers by pole, publication years
1960-2026, a twentieth of the works in an older and a newer edition, a
fifth indexed with the concepts the default rules name, 3 % of copies
damaged, a tenth the main library's) and --uses scans (default 1,000,000)
over the last three years, skewed towards a popular part of the
collection, with each copy's use count and last use; then installs the
default rules. All from a fixed seed. Prints:
  - the candidate list over the whole collection and over one pole,
    weeding.services.candidates.evaluate in a fresh session: p50/p95 over
    --rounds runs, with the ratio to a baseline SELECT 1;
  - opening a campaign over the whole collection (the candidates computed,
    inserted with their reasons, the age profile): p50 over --rounds,
    each rolled back;
  - the counsellor's review page, GET /staff/weeding/campaigns/ID/review
    on the real server (`catalogue serve`, one worker, one keep-alive
    client logged in as a counsellor of the campaign's pole), candidate by
    candidate, --requests times, interleaved with GET /healthz;
  - a table against the targets (candidates <= 2 s, review page p95 <= 150 ms).

Usage: .venv/bin/python bench/weeding.py [--items N] [--records N] [--uses N] [--rounds N] [--requests N]
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import select, text  # noqa: E402

from accounts.services import AccountService  # noqa: E402
from bench.figures import STAMP, figures, p, timed  # noqa: E402
from bench.keepalive import Client  # noqa: E402
from catalogue.vocab import DocumentType  # noqa: E402
from cite import migrate  # noqa: E402
from core.db import Database, utcnow  # noqa: E402
from core.vocab import Pole  # noqa: E402
from tests.support.live import live_server  # noqa: E402
from thesaurus.models import Concept  # noqa: E402
from weeding.models import WeedingCandidate  # noqa: E402
from weeding.services.campaigns import CampaignService  # noqa: E402
from weeding.services.candidates import evaluate  # noqa: E402
from weeding.services.rules import install_defaults  # noqa: E402
from weeding.services.scope import clean_scope  # noqa: E402

TARGETS = {"candidates": 2000.0, "review": 150.0}  # ms
COUNSELLOR, PASSWORD = "bench-counsellor", "bench-password-2026"
CONCEPTS = ("Droit du travail", "Concours", "Formation continue", "Recherche d'emploi")
SHELVES = {"orientation": "ORI", "pathway": "PAR", "job_search": "EMP", "career_change": "REC",
           "business_creation": "CRE"}


# ---------------------------------------------------------------- the data

def build(database: Database, args, now: dt.datetime) -> None:
    rng = random.Random(args.seed)
    stamp = now.replace(tzinfo=None).strftime(STAMP)
    poles, types = Pole.values(), DocumentType.values()
    began = time.perf_counter()
    works, record_poles, descriptors = [], [], []
    for n in range(1, args.records + 1):
        year = rng.randint(1960, 2026) if rng.random() < 0.95 else None
        title = f"guide des metiers n {n if rng.random() > 0.05 else n - 1}"  # some works in two editions
        works.append((n, title.capitalize(), year, rng.choice(types), f"{title}|martin|{year or ''}", stamp, stamp))
        chosen = rng.sample(poles, 1 if rng.random() < 0.7 else 2)
        record_poles += [(n, pole) for pole in chosen]
        if rng.random() < 0.2:
            descriptors.append((n, rng.randint(1, len(CONCEPTS)), stamp))
    with database.transaction() as session:
        session.add_all([Concept(id=i, uri=f"http://example.org/bench/{i}", pref_label_fr=label)
                         for i, label in enumerate(CONCEPTS, 1)])
    with database.engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO records (id, title, year, languages, document_type, match_key, origin, version, "
            "created_at, updated_at) VALUES (?, ?, ?, '[\"fre\"]', ?, ?, 'local', 1, ?, ?)", works)
        connection.exec_driver_sql("INSERT INTO record_poles (record_id, pole) VALUES (?, ?)", record_poles)
        connection.exec_driver_sql("INSERT INTO record_descriptors (record_id, concept_id, added_at) "
                                   "VALUES (?, ?, ?)", descriptors)
        pole_of = dict(record_poles)
        items = []
        for n in range(1, args.items + 1):
            record = rng.randint(1, args.records)
            acquired = None if rng.random() < 0.15 else dt.date(rng.randint(1995, 2026), rng.randint(1, 12),
                                                                  rng.randint(1, 28)).isoformat()
            items.append((n, record, f"CM{n:08d}", "main" if rng.random() < 0.1 else "cite",
                          f"{SHELVES[pole_of[record]]} {rng.randint(1, 4)} {n % 997:03d}", acquired,
                          "damaged" if rng.random() < 0.03 else None, stamp, stamp))
        connection.exec_driver_sql(
            "INSERT INTO items (id, record_id, barcode, library, status, call_number, acquired_on, condition, "
            "use_count, version, created_at, updated_at) VALUES (?, ?, ?, ?, 'available', ?, ?, ?, 0, 1, ?, ?)",
            items)
        span, naive = 3 * 365 * 86400, now.replace(tzinfo=None)
        ages = sorted((rng.randrange(span) for _ in range(args.uses)), reverse=True)
        connection.exec_driver_sql(
            "INSERT INTO item_uses (item_id, used_at, tallied) VALUES (?, ?, 0)",
            [(int(args.items * rng.random() ** 2) + 1, (naive - dt.timedelta(seconds=age)).strftime(STAMP))
             for age in ages])
        connection.exec_driver_sql(
            "UPDATE items SET use_count = (SELECT count(*) FROM item_uses u WHERE u.item_id = items.id), "
            "last_used_at = (SELECT max(used_at) FROM item_uses u WHERE u.item_id = items.id)")
    with database.transaction() as session:
        rules = install_defaults(session)
    print(f"data: {args.records:,} works, {args.items:,} copies, {args.uses:,} scans over three years, "
          f"{rules} default rules; built in {time.perf_counter() - began:.1f} s")


# ---------------------------------------------------------------- in process

def in_process(database: Database, rounds: int) -> dict[str, list[float]]:
    samples: dict[str, list[float]] = {"SELECT 1": [], "candidates, whole collection": [],
                                       "candidates, pole pathway": [], "open a campaign (rolled back)": []}
    counts = {}

    def candidates(scope: dict, label: str) -> None:
        with database.session() as session:
            counts[label] = len(evaluate(session, scope=clean_scope(session, scope)))

    def campaign() -> None:
        session = database.session()
        try:
            CampaignService(session).open({"name": "bench", "scope": {}})
            session.flush()
        finally:
            session.rollback()
            session.close()

    def baseline() -> None:
        with database.session() as session:
            session.execute(text("SELECT 1"))

    for _ in range(rounds):  # interleaved, so drift in the machine's load hits every figure alike
        samples["SELECT 1"].append(timed(baseline))
        samples["candidates, whole collection"].append(timed(lambda: candidates({}, "all")))
        samples["candidates, pole pathway"].append(timed(lambda: candidates({"pole": "pathway"}, "pathway")))
        samples["open a campaign (rolled back)"].append(timed(campaign))
    base = statistics.median(samples["SELECT 1"])
    print(f"in process, {rounds} rounds each, a fresh session each: {counts['all']:,} candidates in the whole "
          f"collection, {counts['pathway']:,} in the pole pathway")
    for label, values in samples.items():
        ratio = "" if label == "SELECT 1" else f"  x{statistics.median(values) / base:,.0f} SELECT 1"
        print(f"  {label:<32} {figures(values)}{ratio}")
    return samples


# ---------------------------------------------------------------- over HTTP

def review_page(url: str, workdir: Path, requests: int) -> dict[str, list[float]]:
    database = Database(url)
    with database.transaction() as session:
        AccountService(session).create(COUNSELLOR, PASSWORD, "counsellor", pole="pathway",
                                       display_name="Bench Counsellor")
        campaign = CampaignService(session).open({"name": "bench pathway", "scope": {"pole": "pathway"}})
        items = list(session.scalars(select(WeedingCandidate.item_id).where(
            WeedingCandidate.campaign_id == campaign.id).order_by(WeedingCandidate.id).limit(requests)))
        campaign_id = campaign.id
    database.dispose()
    review = f"/staff/weeding/campaigns/{campaign_id}/review"
    samples: dict[str, list[float]] = {"/healthz": [], "review page": []}
    with live_server(url, workdir / "instance", extra_env={"CATALOGUE_SESSION_COOKIE_SECURE": "false"}) as base:
        client = Client(base)
        client.login(COUNSELLOR, PASSWORD)
        for item_id in items[:5]:  # warm up, and check the page is the review of that candidate
            status, body = client.request("GET", f"{review}?item={item_id}")
            if status != 200 or b"review" not in body:
                raise RuntimeError(f"GET {review}?item={item_id} answered {status}")
        for n in range(requests):
            for label, path in (("/healthz", "/healthz"), ("review page", f"{review}?item={items[n % len(items)]}")):
                began = time.perf_counter()
                status, _ = client.request("GET", path)
                samples[label].append((time.perf_counter() - began) * 1000)
                assert status == 200, (path, status)
    base_median = statistics.median(samples["/healthz"])
    print(f"review page over HTTP: `catalogue serve` (1 worker), one keep-alive client logged in as a counsellor "
          f"of the pole pathway, {requests} requests each, a different candidate each time, interleaved:")
    for label, values in samples.items():
        ratio = "" if label == "/healthz" else f"  x{statistics.median(values) / base_median:.1f} /healthz"
        print(f"  GET {label:<28} {figures(values)}{ratio}")
    return samples


# ---------------------------------------------------------------- main

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--records", type=int, default=60_000)
    parser.add_argument("--uses", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=5, help="runs of each in-process measure")
    parser.add_argument("--requests", type=int, default=200, help="requests of the review page (and /healthz)")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="bench-weeding-"))
    try:
        url = f"sqlite:///{workdir / 'catalogue.db'}"
        database = Database(url)
        migrate.upgrade(database)
        build(database, args, utcnow())
        local = in_process(database, args.rounds)
        database.dispose()
        pages = review_page(url, workdir, args.requests)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"\ntargets, at {args.items:,} copies and {args.uses:,} scans (nothing here asserts):")
    rows = [(label, values, TARGETS["candidates"]) for label, values in local.items() if label != "SELECT 1"]
    rows.append(("GET review page (p95)", pages["review page"], TARGETS["review"]))
    for label, values, target in rows:
        measure = p(values, 95) if "p95" in label else statistics.median(values)
        verdict = "within" if measure <= target else "OVER"
        print(f"  {label:<34} {measure:8.1f} ms  target {target:6.0f} ms  {verdict}")
    print(f"load average {', '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
