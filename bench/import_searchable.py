"""How long until an imported file is searchable: the WHOLE `catalogue import`.

Runs `catalogue import FILE` as a subprocess on a fresh SQLite
database (`catalogue init` first, not timed) with the embedded search
engine, from the start of the process until it exits: start-up, the import,
the drain of the search outbox (a big backlog: a rebuild of the index in
worker processes) and the rest, each phase timed by when the command's
progress bars start. Then checks the file is searchable: the
outbox is empty and `catalogue search` counts every imported work. In the
same run, each time, pymarc's bare parse of the same file
(pymarc.MARCReader over it); prints the medians of --runs and their ratio
(target: whole command <= 2.5 x the bare parse), the peak RSS of the
command's process tree (the command and its worker processes, sampled every
20 ms) and its CPU time (user + sys of the command and its reaped workers):
on a busy machine the CPU time says more than the wall time.

The default file holds records 1 to 20,000 of
../shared/data/marc21-loc-booksall-2016-100k (written once, decompressed,
to /tmp); `--big` also runs the whole command once on the 100,000 records
(the .gz file as it is).

Usage: .venv/bin/python bench/import_searchable.py [--file PATH] [--runs N] [--big]
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.figures import bare_parse  # noqa: E402

LOC_100K = ROOT.parent / "shared" / "data" / "marc21-loc-booksall-2016-100k" / \
    "loc-booksall-2016-records-10001-110000.mrc.gz"
FIRST_20K = Path(tempfile.gettempdir()) / "catalogue-bench-loc-first-20000.mrc"
CATALOGUE = Path(sys.executable).with_name("catalogue")
PAGE = os.sysconf("SC_PAGE_SIZE")
# The command runs from cached bytecode, as an installed program does once it has run: these
# machines set PYTHONDONTWRITEBYTECODE, which made every run compile the project's sources
# (about 0.2 s). The untimed `catalogue init` before each import writes it (__pycache__).
BYTECODE = {"PYTHONDONTWRITEBYTECODE": ""}


def first_records(source: Path, target: Path, count: int) -> Path:
    """Records 1..count of source, decompressed (split on the record terminator 0x1D)."""
    if target.exists():
        return target
    written, partial = 0, target.with_suffix(".part")
    with gzip.open(source, "rb") as stream, open(partial, "wb") as out:
        rest = b""
        while written < count and (block := stream.read(1 << 20)):
            records = (rest + block).split(b"\x1d")
            rest = records.pop()
            for record in records[:count - written]:
                out.write(record + b"\x1d")
                written += 1
    partial.rename(target)
    return target


def tree_rss_mb(pid: int) -> float:
    """RSS of a process and all its descendants, in MB."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            with open(f"/proc/{current}/statm") as statm:
                total += int(statm.read().split()[1]) * PAGE
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as children:
                    stack += [int(child) for child in children.read().split()]
        except (FileNotFoundError, ProcessLookupError, ValueError):
            continue
    return total / 2**20


def catalogue(tree: Path | None) -> list[str]:
    """The `catalogue` command, of this checkout or of another one (``--tree``)."""
    if tree is None:
        return [str(CATALOGUE)]
    shim = f"import sys; sys.path.insert(0, {str(tree)!r}); from cite.cli import main; sys.exit(main())"
    return [sys.executable, "-c", shim]


def whole_command(path: Path, tree: Path | None = None) -> dict:
    with tempfile.TemporaryDirectory(prefix="catalogue-bench-") as folder:
        env = {**os.environ, "CATALOGUE_INSTANCE_DIR": folder, "CATALOGUE_SECRET_KEY": "bench",
               "CATALOGUE_DATABASE_URL": f"sqlite:///{folder}/catalogue.db", "CATALOGUE_SEARCH_ENGINE": "embedded",
               "CATALOGUE_LOG_LEVEL": "WARNING", "CATALOGUE_DEFAULT_LOCALE": "en",  # its output is parsed
               **BYTECODE}
        command = catalogue(tree)
        subprocess.run([*command, "init"], env=env, check=True, capture_output=True)
        peak, marks = 0.0, {}
        started = time.perf_counter()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        # Without --json the command labels its progress bars on stderr (once each when it is not a
        # terminal): "Importing" once started, "Indexing" once the import is done.
        process = subprocess.Popen([*command, "import", str(path)], env=env, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE)
        done = threading.Event()

        def sample() -> None:
            nonlocal peak
            while not done.is_set():
                peak = max(peak, tree_rss_mb(process.pid))
                done.wait(0.02)

        def watch() -> None:
            for line in process.stderr:
                marks.setdefault(line.decode(errors="replace").strip(), time.perf_counter() - started)

        threads = [threading.Thread(target=sample), threading.Thread(target=watch)]
        for thread in threads:
            thread.start()
        out = process.stdout.read()
        process.wait()
        seconds = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)  # the command and its reaped workers
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        done.set()
        for thread in threads:
            thread.join()
        if process.returncode:
            sys.exit(f"catalogue import failed: {marks}")
        created = int(re.search(r"(\d+) created", out.decode()).group(1))
        read = int(re.search(r"(\d+) read", out.decode()).group(1))
        phases = {"start-up": marks.get("Importing", 0.0),
                  "import": marks.get("Indexing", seconds) - marks.get("Importing", 0.0),
                  "indexing and the rest": seconds - marks.get("Indexing", seconds)}
        with sqlite3.connect(f"{folder}/catalogue.db") as database:
            queued = database.execute("SELECT count(*) FROM reindex_queue").fetchone()[0]
            works = database.execute("SELECT count(*) FROM records").fetchone()[0]
        found = json.loads(subprocess.run([*command, "search", "--json"], env=env, check=True,
                                          capture_output=True).stdout)["total"]
    if queued or found != works or works != created:
        sys.exit(f"not searchable: {queued} queued, {found} found, {works} works, {created} created")
    return {"seconds": seconds, "peak": peak, "read": read, "created": created, "phases": phases, "cpu": cpu}


def describe(result: dict) -> str:
    """Phases, and the CPU time of the process tree (user + sys) against the wall time."""
    phases = ", ".join(f"{name} {value:.2f} s" for name, value in result["phases"].items())
    return f"{phases}; CPU {result['cpu']:.2f} s ({result['cpu'] / result['seconds']:.2f} CPUs busy on average)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, help="MARC file (ISO 2709, optionally .gz); default: "
                        "records 1-20,000 of the 100,000 LoC records")
    parser.add_argument("--runs", type=int, default=3, help="runs; medians are reported")
    parser.add_argument("--big", action="store_true", help="also the whole command once on the 100,000 records")
    parser.add_argument("--tree", type=Path, help="also time the command of another checkout (e.g. `git archive "
                        "HEAD` extracted to a folder), interleaved, to compare before and after in one run")
    args = parser.parse_args()
    if not LOC_100K.exists() and args.file is None:
        sys.exit(f"{LOC_100K} is absent (it comes with ../shared/data)")
    path = args.file or first_records(LOC_100K, FIRST_20K, 20_000)
    print(f"file: {path}; load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs", flush=True)

    commands, parses, others = [], [], []
    for run in range(1, args.runs + 1):
        parsed, parse_seconds = bare_parse(path)
        result = whole_command(path)
        commands.append(result["seconds"])
        parses.append(parse_seconds)
        print(f"run {run}: whole command {result['seconds']:.2f} s for {result['read']} records "
              f"({result['created']} created, all searchable; {describe(result)}), peak RSS of the process tree "
              f"{result['peak']:.0f} MB; pymarc bare parse of {parsed} records {parse_seconds:.2f} s; "
              f"ratio {result['seconds'] / parse_seconds:.2f}; load average {os.getloadavg()[0]:.2f}",
              flush=True)
        if args.tree:
            other = whole_command(path, args.tree)
            others.append(other["seconds"])
            print(f"       {args.tree}: whole command {other['seconds']:.2f} s "
                  f"(ratio {other['seconds'] / parse_seconds:.2f}; {describe(other)})", flush=True)
    command, parse = statistics.median(commands), statistics.median(parses)
    print(f"median over {args.runs} run(s): whole command {command:.2f} s, bare parse {parse:.2f} s, "
          f"ratio {command / parse:.2f} (target <= 2.5)", flush=True)
    if others:
        print(f"  {args.tree}: whole command {statistics.median(others):.2f} s, "
              f"ratio {statistics.median(others) / parse:.2f}", flush=True)
    if args.big:
        parsed, parse_seconds = bare_parse(LOC_100K)
        result = whole_command(LOC_100K)
        print(f"100,000 records: whole command {result['seconds']:.1f} s "
              f"({result['read'] / result['seconds']:,.0f} records/s, all searchable; "
              + ", ".join(f"{name} {value:.1f} s" for name, value in result["phases"].items())
              + f"; CPU {result['cpu']:.1f} s), "
              f"peak RSS of the process tree {result['peak']:.0f} MB; pymarc bare parse of the .gz "
              f"{parse_seconds:.1f} s; ratio {result['seconds'] / parse_seconds:.2f}; "
              f"load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
