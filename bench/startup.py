"""What starting the ``catalogue`` command costs: ``catalogue --help``, which
imports the application and builds it to list every package's commands, as
every command, server and test worker does before its own work.

Each variant runs as a new process, interleaved with the others, ``--rounds``
times; the medians of the wall and CPU time (user + sys) are printed, with
their ratio to the first variant. The baseline is Python's bare start
(``python -c pass``), measured in the same rounds.

- ``no bytecode``: PYTHONDONTWRITEBYTECODE=1, as these machines set it: every
  start compiles the project's sources again;
- ``bytecode``: compiled once (a first, untimed run), then read, as an
  installed program does;
- ``--tree DIR``: the same two for another checkout (e.g. ``git archive`` of
  an earlier commit), to compare with.

Usage: .venv/bin/python bench/startup.py [--rounds N] [--tree DIR]
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def command(tree: Path) -> list[str]:
    shim = f"import sys; sys.path.insert(0, {str(tree)!r}); from cite.cli import main; sys.exit(main())"
    return [sys.executable, "-c", shim, "--help"]


def variants(trees: list[Path], cache: Path) -> dict[str, tuple[list[str], dict]]:
    quiet = {**os.environ, "CATALOGUE_INSTANCE_DIR": str(cache / "instance"), "CATALOGUE_LOG_LEVEL": "WARNING"}
    plain = {**quiet, "PYTHONDONTWRITEBYTECODE": "1"}
    found = {"python -c pass": ([sys.executable, "-c", "pass"], plain)}
    for tree in trees:
        name = "this tree" if tree == ROOT else str(tree)
        cached = {**quiet, "PYTHONDONTWRITEBYTECODE": "", "PYTHONPYCACHEPREFIX": str(cache / tree.name)}
        found[f"{name}, no bytecode"] = (command(tree), plain)
        found[f"{name}, bytecode"] = (command(tree), cached)
    return found


def run(argv: list[str], env: dict) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(argv, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--tree", type=Path, help="another checkout to compare with")
    args = parser.parse_args()
    trees = [ROOT] + ([args.tree.resolve()] if args.tree else [])
    with tempfile.TemporaryDirectory(prefix="catalogue-bench-startup-") as folder:
        found = variants(trees, Path(folder))
        for argv, env in found.values():  # untimed: fills the bytecode caches
            run(argv, env)
        samples: dict[str, list[tuple[float, float]]] = {name: [] for name in found}
        for _ in range(args.rounds):
            for name, (argv, env) in found.items():
                samples[name].append(run(argv, env))
    load = os.getloadavg()[0]
    print(f"{args.rounds} rounds, interleaved; load average {load:.2f} on {os.cpu_count()} CPUs")
    for name, values in samples.items():
        wall = statistics.median(v[0] for v in values)
        cpu = statistics.median(v[1] for v in values)
        print(f"{name:45} wall {wall * 1000:7.1f} ms  CPU {cpu * 1000:7.1f} ms")
    base = statistics.median(v[0] for v in samples["this tree, no bytecode"])
    print("wall time, ratio to this tree without bytecode:")
    for name, values in samples.items():
        print(f"  {name:43} {statistics.median(v[0] for v in values) / base:5.2f}")

if __name__ == "__main__":
    main()
