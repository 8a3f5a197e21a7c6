"""What every bench prints: percentiles of samples in milliseconds, and the
time of one call; and the import benches' baseline, pymarc's bare parse."""
from __future__ import annotations

import gzip
import statistics
import time
from pathlib import Path

import pymarc

STAMP = "%Y-%m-%d %H:%M:%S.%f"  # how SQLAlchemy stores a DateTime on SQLite, for bulk inserts


def p(samples: list[float], q: int) -> float:
    return statistics.quantiles(samples, n=100)[q - 1] if len(samples) > 1 else samples[0]


def figures(samples: list[float]) -> str:
    return f"p50 {statistics.median(samples):7.2f} ms  p95 {p(samples, 95):7.2f} ms  (n={len(samples)})"


def timed(call) -> float:
    """How long ``call()`` takes, in milliseconds."""
    began = time.perf_counter()
    call()
    return (time.perf_counter() - began) * 1000


def bare_parse(path: Path) -> tuple[int, float]:
    """How many records pymarc reads from ``path`` (ISO 2709, gzipped or not), and in how many seconds."""
    opener = gzip.open if path.suffix == ".gz" else open
    started = time.perf_counter()
    count = 0
    with opener(path, "rb") as stream:
        for _record in pymarc.MARCReader(stream):
            count += 1
    return count, time.perf_counter() - started
