"""The floors hold: imports only point down (README, "Architecture").

import-linter reads the contracts in setup.cfg: the layers, from the
application down to the shared plumbing, and no package importing another's
commands. Imports inside functions count, and a broken contract names the
chain of imports that breaks it.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINT = Path(sys.executable).with_name("lint-imports")


def test_imports_only_point_down_the_floors():
    result = subprocess.run([str(LINT), "--no-cache", "setup.cfg"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 kept, 0 broken" in result.stdout


def test_every_package_wires_itself():
    from cite import PACKAGES

    packages = {p.name for p in ROOT.iterdir() if (p / "__init__.py").is_file()} - {"tests", "bench", "core", "cite"}
    assert {package.__name__ for package in PACKAGES} == packages
    for package in PACKAGES:
        assert callable(package.init_app) and callable(package.register_jobs), package.__name__
