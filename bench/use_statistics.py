"""How fast are the use statistics over a million scans?

Builds a fresh SQLite database (in a temporary directory) holding --items
copies (default 100,000) of --records works (default 60,000; one or two
poles each, eight document types, publication years 1960-2026, rows as wide
as imported ones: a 1,200-character summary, 1,500 bytes of MARC; a tenth of
the copies the main library's, 3% withdrawn, acquisition dates 1995-2026
or unknown), seven portals (one per pole, one on books of the 2020s, one
without filter) and --uses scans (default 1,000,000) over the last three
years, skewed towards a popular part of the collection, all bulk-inserted
from a fixed seed. Then prints:
  - the first fold of every scan into the monthly tallies, timed once;
  - each statistics answer as the web computes it, in-process, a fresh
    session each (consultations over the last 36 months by month, pole,
    document type and portal, through read_current; the age profile by
    publication and by acquisition year): p50/p95 over --rounds runs,
    interleaved, with the ratio to a baseline SELECT 1 in a fresh session;
  - the same read of consultations by month when 20 scans wait to be
    folded (each run adds 20 scans first: the cost of always-current figures);
  - GET /api/v1/statistics/consultations?by=pole and GET /staff/statistics
    (all six charts) through Flask's test client, against GET /healthz;
  - a table against the target (each statistics answer p95 <= 200 ms).

Usage: .venv/bin/python bench/use_statistics.py [--items N] [--records N] [--uses N] [--rounds N] [--seed N]
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import statistics as stats  # the standard library, which a bench/statistics.py would hide from every bench
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select, text  # noqa: E402

from accounts.services import AccountService  # noqa: E402
from bench.figures import STAMP, figures, p, timed  # noqa: E402
from catalogue.vocab import DocumentType  # noqa: E402
from cite import create_app, migrate  # noqa: E402
from core.db import Database, utcnow  # noqa: E402
from core.vocab import Pole  # noqa: E402
from weeding.models import UseTally  # noqa: E402
from weeding.services import statistics  # noqa: E402

TARGET = 200.0  # ms, p95 of each statistics answer


# ---------------------------------------------------------------- the data

def build(database: Database, args, now: dt.datetime) -> None:
    rng = random.Random(args.seed)
    stamp = now.replace(tzinfo=None).strftime(STAMP)
    poles, types = Pole.values(), DocumentType.values()
    began = time.perf_counter()
    with database.engine.begin() as connection:
        connection.exec_driver_sql(
            # As wide as imported works, whose rows the age profile reads: a summary and raw MARC.
            "INSERT INTO records (id, title, year, languages, document_type, origin, version, created_at, "
            "updated_at, summary, raw_marc) VALUES (?, ?, ?, ?, ?, 'local', 1, ?, ?, printf('%.1200c', 'x'), "
            "randomblob(1500))",
            [(n, f"Guide des métiers n° {n}", rng.randint(1960, 2026) if rng.random() < 0.95 else None,
              '["fre"]', rng.choice(types), stamp, stamp) for n in range(1, args.records + 1)])
        connection.exec_driver_sql(
            "INSERT INTO record_poles (record_id, pole) VALUES (?, ?)",
            [(n, pole) for n in range(1, args.records + 1)
             for pole in rng.sample(poles, 1 if rng.random() < 0.7 else 2)])
        connection.exec_driver_sql(
            "INSERT INTO items (id, record_id, barcode, library, status, acquired_on, use_count, version, "
            "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 0, 1, ?, ?)",
            [(n, rng.randint(1, args.records), f"CM{n:08d}", "main" if rng.random() < 0.1 else "cite",
              "withdrawn" if rng.random() < 0.03 else "available",
              None if rng.random() < 0.15 else dt.date(rng.randint(1995, 2026), rng.randint(1, 12),
                                                       rng.randint(1, 28)).isoformat(), stamp, stamp)
             for n in range(1, args.items + 1)])
        connection.exec_driver_sql(
            "INSERT INTO portals (slug, title_fr, base_filter, boost, kiosk_idle_seconds, position, "
            "published, version, created_at, updated_at) VALUES (?, ?, ?, '{}', 120, 0, 1, 1, ?, ?)",
            [(pole.replace("_", "-"), f"Portail {pole}", f'{{"pole": ["{pole}"]}}', stamp, stamp)
             for pole in poles]
            + [("livres-recents", "Livres récents",
                '{"document_type": ["book"], "year_range": ["2020-2029"]}', stamp, stamp),
               ("tout", "Tout le fonds", "{}", stamp, stamp)])
        span = 3 * 365 * 86400
        naive = now.replace(tzinfo=None)
        # In time order, as scans arrive: ids and the used_at index grow together.
        ages = sorted((rng.randrange(span) for _ in range(args.uses)), reverse=True)
        connection.exec_driver_sql(
            "INSERT INTO item_uses (item_id, used_at, tallied) VALUES (?, ?, 0)",
            [(int(args.items * rng.random() ** 2) + 1, (naive - dt.timedelta(seconds=age)).strftime(STAMP))
             for age in ages])
    print(f"data: {args.records:,} works, {args.items:,} copies, {args.uses:,} scans over three years, "
          f"bulk-inserted in {time.perf_counter() - began:.1f} s")


def first_fold(database: Database, uses: int) -> None:
    began = time.perf_counter()
    with database.transaction() as session:
        folded = statistics.fold_tallies(session)
    elapsed = time.perf_counter() - began
    with database.transaction() as session:
        total = session.scalar(select(func.sum(UseTally.uses)).where(UseTally.dimension == "total"))
        rows = session.scalar(select(func.count()).select_from(UseTally))
    assert folded == uses == total, (folded, uses, total)
    print(f"first fold: {folded:,} scans into {rows:,} tallies in {elapsed:.2f} s "
          f"({folded / elapsed:,.0f} scans/s)")


# ---------------------------------------------------------------- the answers

def answers(database: Database, rounds: int, now: dt.datetime) -> dict[str, list[float]]:
    first, last = statistics.period(None, None, now.date())

    def fresh(read):
        session = database.session()
        try:
            return timed(lambda: read(session))
        finally:
            session.close()

    def consultations(by):
        return lambda s: statistics.read_current(database, s, lambda r: statistics.consultations(
            r, by=by, start=first, end=last, fold=False))

    calls = {f"consultations by {by}": consultations(by) for by in statistics.BY}
    calls.update({f"age profile by {by}": (lambda by: lambda s: statistics.age_profile(s, by=by))(by)
                  for by in statistics.PROFILES})
    calls["baseline SELECT 1"] = lambda s: s.execute(text("SELECT 1")).scalar()
    samples: dict[str, list[float]] = {label: [] for label in calls}
    for label, call in calls.items():  # warm up
        for _ in range(3):
            fresh(call)
    for _ in range(rounds):  # interleaved: drift in the machine's load hits every figure alike
        for label, call in calls.items():
            samples[label].append(fresh(call))
    samples["consultations by month, 20 scans pending"] = pending_reads(database, rounds, now, fresh,
                                                                        consultations("month"))
    return samples


def pending_reads(database: Database, rounds: int, now: dt.datetime, fresh, read) -> list[float]:
    stamp = now.replace(tzinfo=None).strftime(STAMP)
    out = []
    for n in range(rounds):
        with database.engine.begin() as connection:
            connection.exec_driver_sql("INSERT INTO item_uses (item_id, used_at, tallied) VALUES (?, ?, 0)",
                                       [(1 + (n * 20 + k) % 5000, stamp) for k in range(20)])
        out.append(fresh(read))
    return out


def over_http(url: str, workdir: Path, rounds: int) -> dict[str, list[float]]:
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "INSTANCE_DIR": str(workdir / "instance"),
                      "SESSION_COOKIE_SECURE": False})
    with app.extensions["catalogue.db"].transaction() as session:
        service = AccountService(session)
        service.create("bench-librarian", "bench-password-2026", "librarian", display_name="Bench")
        _, token = service.issue_token("bench-librarian", "bench")
    headers = {"Authorization": f"Bearer {token}"}
    client = app.test_client()
    page = client.get("/login")
    csrf = page.get_data(as_text=True).split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    client.post("/login", data={"csrf_token": csrf, "username": "bench-librarian",
                                "password": "bench-password-2026"})
    paths = {"/healthz": {}, "/api/v1/statistics/consultations?by=pole": headers, "/staff/statistics": {}}
    samples: dict[str, list[float]] = {path: [] for path in paths}
    for path, extra in paths.items():
        for _ in range(3):
            assert client.get(path, headers=extra).status_code == 200, path
    for _ in range(rounds):
        for path, extra in paths.items():
            samples[path].append(timed(lambda: client.get(path, headers=extra)))
    app.extensions["catalogue.db"].dispose()
    return samples


# ---------------------------------------------------------------- main

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--records", type=int, default=60_000)
    parser.add_argument("--uses", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=50)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="bench-statistics-"))
    try:
        run(args, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def run(args, workdir: Path) -> None:
    url = f"sqlite:///{workdir / 'statistics.db'}"
    database = Database(url)
    migrate.upgrade(database)
    now = utcnow()
    build(database, args, now)
    first_fold(database, args.uses)
    samples = answers(database, args.rounds, now)
    database.dispose()
    base = stats.median(samples["baseline SELECT 1"])
    print(f"\nstatistics answers in-process, a fresh session each, {args.rounds} runs each, interleaved:")
    for label, values in samples.items():
        ratio = "" if label.startswith("baseline") else f"  x{stats.median(values) / base:.0f} baseline"
        print(f"  {label:<44} {figures(values)}{ratio}")
    web = over_http(url, workdir, args.rounds)
    health = stats.median(web["/healthz"])
    print(f"\nthrough Flask's test client, logged in as a librarian, {args.rounds} requests each, "
          "interleaved:")
    for path, values in web.items():
        ratio = "" if path == "/healthz" else f"  x{stats.median(values) / health:.1f} /healthz"
        print(f"  GET {path:<42} {figures(values)}{ratio}")
    print(f"\ntarget: each statistics answer p95 <= {TARGET:.0f} ms (nothing here asserts):")
    rows = [(label, values) for label, values in samples.items() if not label.startswith("baseline")]
    rows += [(f"GET {path}", values) for path, values in web.items() if path != "/healthz"]
    for label, values in rows:
        verdict = "within" if p(values, 95) <= TARGET else "OVER"
        print(f"  {label:<48} p50 {stats.median(values):7.2f} ms  p95 {p(values, 95):7.2f} ms  {verdict}")
    print(f"load average {', '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
