"""Garbage collection tuned for batch work (imports, index rebuilds).

They allocate millions of short-lived objects that are never cyclic
garbage: collecting the youngest generation every 700 allocations (the
default) costs a tenth to a fifth of their time.
"""
from __future__ import annotations

import contextlib
import gc

RELAXED = (50_000, 20, 100)


def relax_gc() -> None:
    """For a worker process that does nothing else."""
    gc.set_threshold(*RELAXED)


@contextlib.contextmanager
def relaxed_gc():
    before = gc.get_threshold()
    gc.set_threshold(*RELAXED)
    try:
        yield
    finally:
        gc.set_threshold(*before)
