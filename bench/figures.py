"""What every bench prints: percentiles of samples in milliseconds, and the
time of one call."""
from __future__ import annotations

import statistics
import time

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
