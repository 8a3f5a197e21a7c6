"""How fast does `catalogue import` go, and does its memory stay flat?

Imports ../shared/data/marc21-loc-booksall-2016-100k (100,000 MARC21 records,
gzip) into a fresh SQLite database in a temporary folder, through the same
code as `catalogue import` (importers.marc.runner.import_file), and prints:
  - records per second;
  - peak RSS (ru_maxrss), and RSS sampled at 25/50/75/100% of the file:
    it stays flat because the import streams;
  - the ratio of the import's time to pymarc's bare parse of the same file
    (pymarc.MARCReader over the gzip stream), measured in the same run.

Usage: .venv/bin/python bench/import.py [--file PATH] [--runs N]
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


from bench.figures import bare_parse  # noqa: E402
from cite import migrate  # noqa: E402
from core.db import Database  # noqa: E402
from importers.marc.runner import import_file  # noqa: E402

DEFAULT = ROOT.parent / "shared" / "data" / "marc21-loc-booksall-2016-100k" / \
    "loc-booksall-2016-records-10001-110000.mrc.gz"
PAGE = os.sysconf("SC_PAGE_SIZE")


def rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * PAGE / 2**20


def one_import(path: Path) -> dict:
    size = path.stat().st_size
    samples: dict[int, float] = {}

    def progress(done: int) -> None:
        for mark in (25, 50, 75):
            if mark not in samples and done * 100 >= mark * size:
                samples[mark] = rss_mb()

    with tempfile.TemporaryDirectory(prefix="catalogue-bench-") as folder:
        database = Database(f"sqlite:///{folder}/catalogue.db")
        migrate.upgrade(database)
        cpu, children = time.process_time(), resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        report = import_file(database, path, source="main-library", rejects_dir=Path(folder) / "rejects",
                             progress=progress)
        elapsed = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = {"writer": time.process_time() - cpu,
               "reader": (after.ru_utime + after.ru_stime) - (children.ru_utime + children.ru_stime)}
        samples[100] = rss_mb()
        database.dispose()
    return {"report": report, "seconds": elapsed, "rss": samples, "cpu": cpu}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, default=DEFAULT, help="MARC file (ISO 2709, optionally .gz)")
    parser.add_argument("--runs", type=int, default=1, help="runs; the median is reported")
    args = parser.parse_args()
    if not args.file.exists():
        sys.exit(f"{args.file} is absent (it comes with ../shared/data)")

    ratios, rates = [], []
    for run in range(1, args.runs + 1):
        parsed, parse_seconds = bare_parse(args.file)
        result = one_import(args.file)
        report, seconds = result["report"], result["seconds"]
        ratio = seconds / parse_seconds
        ratios.append(ratio)
        rates.append(report.read / seconds)
        rss = ", ".join(f"{mark}%: {mb:.0f} MB" for mark, mb in sorted(result["rss"].items()))
        print(f"run {run}: {report.read} read ({report.created} created, {report.updated} updated, "
              f"{report.unchanged} unchanged, {report.rejected} rejected) in {seconds:.1f} s = "
              f"{report.read / seconds:,.0f} records/s; pymarc parse {parsed} in {parse_seconds:.1f} s = "
              f"{parsed / parse_seconds:,.0f} records/s; ratio {ratio:.2f}; RSS {rss}; CPU time: "
              f"writing process {result['cpu']['writer']:.1f} s, "
              f"reading processes {result['cpu']['reader']:.1f} s",
              flush=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"median over {args.runs} run(s): {statistics.median(rates):,.0f} records/s, "
          f"import/parse ratio {statistics.median(ratios):.2f} (target <= 2.5), "
          f"peak RSS {peak:.0f} MB (target < 300 MB; each reading process: {workers:.0f} MB at most)")


if __name__ == "__main__":
    main()
