"""How fast does the UNESCO thesaurus import, and how fast is the autocomplete?

Imports ../shared/data/skos-unesco-thesaurus/unesco-thesaurus.ttl (4,485
concepts) into a fresh SQLite database in a temporary folder, through the
same code as `catalogue thesaurus import` (read, overlay, checks, bulk
writes), and prints:
  - the time to import and validate it, and its ratio to pyoxigraph's bare
    parse of the same file measured in the same run;
  - peak RSS (ru_maxrss) of the whole run;
  - p50 and p95 latency of the concept autocomplete (in-process, one
    session) over a fixed list of prefixes, and its ratio to a baseline
    `SELECT 1` through the same session.

Targets (issue 4): import + validation <= 5 s and <= 300 MB; autocomplete
p95 <= 5 ms.

Usage: .venv/bin/python bench/thesaurus.py [--file PATH] [--runs N] [--rounds N]
"""
from __future__ import annotations

import argparse
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pyoxigraph  # noqa: E402
from sqlalchemy import text  # noqa: E402

import cite.schema  # noqa: E402,F401 - every model, as the app has them
from cite import migrate  # noqa: E402
from core.db import Database  # noqa: E402
from thesaurus.services.imports import ThesaurusImportService  # noqa: E402
from thesaurus.services.lookup import autocomplete  # noqa: E402
from thesaurus.skos.read import read  # noqa: E402

DEFAULT = ROOT.parent / "shared" / "data" / "skos-unesco-thesaurus" / "unesco-thesaurus.ttl"
# One- to six-letter prefixes a documentalist types, French first: short ones
# match thousands of labels, long ones a handful.
PREFIXES = ["a", "e", "é", "s", "p", "c", "m", "t", "ch", "co", "re", "in", "de", "pr", "ma", "en",
            "educ", "droit", "emploi", "form", "trav", "mét", "pol", "cult", "sci", "inf", "soc",
            "dév", "éducation", "formation prof", "politique", "santé", "jeune", "femme", "vae", "zzz"]


def bare_parse(path: Path) -> float:
    started = time.perf_counter()
    count = sum(1 for _ in pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE))
    assert count
    return time.perf_counter() - started


def one_import(database: Database, path: Path):
    started = time.perf_counter()
    graph = read(path)
    with database.transaction() as session:
        report = ThesaurusImportService(session).import_graph(graph, source=path.name)
    return report, time.perf_counter() - started


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


def latencies(database: Database, rounds: int) -> tuple[list[float], list[float]]:
    lookups, baseline = [], []
    with database.session() as session:
        autocomplete(session, "warm up")
        for _ in range(rounds):
            for prefix in PREFIXES:
                started = time.perf_counter()
                autocomplete(session, prefix)
                lookups.append((time.perf_counter() - started) * 1000)
                started = time.perf_counter()
                session.execute(text("SELECT 1")).all()
                baseline.append((time.perf_counter() - started) * 1000)
    return lookups, baseline


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, default=DEFAULT, help="SKOS Turtle file")
    parser.add_argument("--runs", type=int, default=3, help="imports, each into a fresh database; medians reported")
    parser.add_argument("--rounds", type=int, default=20, help="passes over the prefix list for the autocomplete")
    args = parser.parse_args()
    if not args.file.exists():
        sys.exit(f"{args.file} is absent (it comes with ../shared/data)")

    seconds, ratios = [], []
    with tempfile.TemporaryDirectory(prefix="catalogue-bench-") as folder:
        for run in range(1, args.runs + 1):
            database = Database(f"sqlite:///{folder}/run{run}.db")
            migrate.upgrade(database)
            parse = bare_parse(args.file)
            report, elapsed = one_import(database, args.file)
            seconds.append(elapsed)
            ratios.append(elapsed / parse)
            warnings = len(report.findings)
            print(f"run {run}: {len(report.added)} concepts imported and validated in {elapsed:.2f} s "
                  f"({warnings} warnings); pyoxigraph bare parse {parse:.2f} s; ratio {elapsed / parse:.1f}",
                  flush=True)
            if run < args.runs:
                database.dispose()
        lookups, baseline = latencies(database, args.rounds)
        database.dispose()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    p50, p95 = statistics.median(lookups), percentile(lookups, 0.95)
    base = statistics.median(baseline)
    print(f"import + validation: median {statistics.median(seconds):.2f} s over {args.runs} run(s) (target <= 5 s), "
          f"{statistics.median(ratios):.1f} x the bare parse; peak RSS {peak:.0f} MB (target <= 300 MB)")
    print(f"autocomplete over {len(PREFIXES)} prefixes x {args.rounds}: p50 {p50:.2f} ms, p95 {p95:.2f} ms "
          f"(target p95 <= 5 ms); baseline SELECT 1 p50 {base:.3f} ms, ratio p50/baseline {p50 / base:.0f}")


if __name__ == "__main__":
    main()
