"""Bytecode for the processes of a test run, cached outside the checkout.

With PYTHONDONTWRITEBYTECODE set (these machines set it), Python compiles
every module of the project from source in every process: the suite's xdist
workers, each ``catalogue serve`` and its workers, each command run as a
subprocess. That is about 0.2 s of CPU per process, and the suite starts
hundreds. So the run writes bytecode, into a directory of its own under the
temporary directory (``sys.pycache_prefix``), never into the working tree; a
cached file is used only while its source's time and size still match.
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path


def cache_outside_the_tree() -> Path:
    """For this process and every process it starts from now on."""
    prefix = os.environ.get("PYTHONPYCACHEPREFIX") or str(
        Path(tempfile.gettempdir()) / f"catalogue-test-bytecode-{os.getuid()}")
    os.environ["PYTHONPYCACHEPREFIX"] = prefix
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    sys.pycache_prefix = prefix
    sys.dont_write_bytecode = False
    return Path(prefix)
