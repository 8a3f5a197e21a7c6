"""Bytecode for the processes of a test run, written and read as Python does
by default.

With PYTHONDONTWRITEBYTECODE set (these machines set it), Python compiles
every module of the project from source in every process: the suite's xdist
workers, each ``catalogue serve`` and its workers, each command run as a
subprocess. That is about 0.2 s of CPU per process, and the suite starts
hundreds. So the run writes bytecode where Python keeps it by default, in
``__pycache__`` folders (ignored by git; installed packages already have
theirs); a cached file is used only while its source's time and size still
match.
"""
from __future__ import annotations

import os
import sys


def cache_bytecode() -> None:
    """For this process and every process it starts from now on."""
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    sys.dont_write_bytecode = False
