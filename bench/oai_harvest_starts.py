"""Does a worker die when a real OAI-PMH client harvests a freshly started server? (issue 14, finding 0)

Builds once a SQLite catalogue with the demo and about 800 French records
(`catalogue init`, `catalogue demo`, `catalogue import` of the Evergreen
lul_fre_* MARC21 files and the Sciences Po cotes*.mrc UNIMARC files from
../shared/data), then starts `catalogue serve` --starts times, each with
PYTHONFAULTHANDLER=1, and harvests it with Sickle the moment /healthz
answers: Identify, ListMetadataFormats, ListSets, ListRecords in oai_dc and
in marc21 (every resumption token), ListIdentifiers, GetRecord. Prints, per
configuration of workers x threads, how many starts saw a worker die
(gunicorn's "was sent SIG...", "exited with code", "WORKER TIMEOUT", more
"Booting worker" lines than workers, or faulthandler's "Fatal Python
error") and how many harvests failed; the server's stderr of each start
that saw a death is kept as crash-<config>-<n>.err in the instance folder.

Usage: .venv/bin/python bench/oai_harvest_starts.py [--starts 50] [--config 2x2 --config 1x4] [--db DIR]
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sickle import Sickle  # noqa: E402

from tests.support.live import live_server, worker_deaths  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
# about 800 French records: 600 in MARC21 (Evergreen), 205 in UNIMARC (Sciences Po)
FRENCH = [DATA / "marc21-evergreen-datasets" / name for name in ("lul_fre_100.mrc", "lul_fre_500.mrc")]
FRENCH += sorted((DATA / "unimarc-sciencespo-medialab").glob("cotes*.mrc"))
SECRET = "bench-oai-secret"


def catalogue(instance: Path, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CATALOGUE_")}
    env.update({"CATALOGUE_DATABASE_URL": f"sqlite:///{instance / 'catalogue.db'}",
                "CATALOGUE_INSTANCE_DIR": str(instance), "CATALOGUE_SECRET_KEY": SECRET,
                "PYTHONPATH": str(ROOT)})
    done = subprocess.run([sys.executable, "-c", "from cite.cli import main; main()", *args],
                          env=env, capture_output=True, text=True, check=True)
    return done.stdout


def build(instance: Path) -> None:
    instance.mkdir(parents=True, exist_ok=True)
    catalogue(instance, "init")
    catalogue(instance, "demo", "--no-accounts")
    catalogue(instance, "import", "--json", *map(str, FRENCH))


def harvest(base_url: str) -> int:
    """Harvest as Sickle's users do; returns how many records came in oai_dc."""
    sickle = Sickle(f"{base_url}/oai", timeout=60)
    sickle.Identify()
    prefixes = {f.metadataPrefix for f in sickle.ListMetadataFormats()}
    assert {"oai_dc", "marc21"} <= prefixes, prefixes
    assert list(sickle.ListSets())
    dc = [r.header.identifier for r in sickle.ListRecords(metadataPrefix="oai_dc", ignore_deleted=True)]
    marc = [r.header.identifier for r in sickle.ListRecords(metadataPrefix="marc21", ignore_deleted=True)]
    headers = [h.identifier for h in sickle.ListIdentifiers(metadataPrefix="oai_dc", ignore_deleted=True)]
    assert len(dc) == len(marc) == len(headers), (len(dc), len(marc), len(headers))
    for identifier in (dc[0], dc[len(dc) // 2], dc[-1]):
        sickle.GetRecord(identifier=identifier, metadataPrefix="marc21")
    return len(dc)


def died(log: str, workers: int) -> list[str]:
    """Lines telling of a death; gunicorn logs each boot at info level, so a
    worker replaced without a word still shows as one boot too many."""
    lines = worker_deaths(log)
    boots = log.count("Booting worker with pid")
    if boots > workers:
        lines.append(f"{boots} workers booted for {workers}")
    return lines


def run(instance: Path, workers: int, threads: int, starts: int) -> None:
    crashed = failed = 0
    first_crash = ""
    records = set()
    began = time.monotonic()
    for n in range(starts):
        error = None
        catalogue(instance, "init")  # a no-op, unless the code's schema moved on since the build
        with live_server(f"sqlite:///{instance / 'catalogue.db'}", instance, secret_key=SECRET,
                         workers=workers, threads=threads, check_workers=False,
                         extra_env={"CATALOGUE_LOG_LEVEL": "INFO"}) as base_url:
            try:
                records.add(harvest(base_url))
            except Exception as exc:  # a closed connection, a bad answer: counted and shown
                error = exc
        log = (instance / "server.err").read_text(errors="replace")
        deaths = died(log, workers)
        if deaths:
            crashed += 1
            (instance / f"crash-{workers}x{threads}-{n + 1}.err").write_text(log)
            first_crash = first_crash or log[-6000:]
        if error is not None:
            failed += 1
        mark = "DIED " + deaths[0] if deaths else "ok"
        failure = f"  (harvest: {error!r:.200})" if error else ""
        print(f"  {workers}x{threads} start {n + 1:>3}: {mark}{failure}", flush=True)
    print(f"{workers} worker(s) x {threads} thread(s): worker died in {crashed} of {starts} starts, "
          f"harvest failed in {failed}; records per harvest {sorted(records)}; "
          f"{time.monotonic() - began:.0f} s", flush=True)
    if first_crash:
        print(f"--- first crash, end of the server's stderr ---\n{first_crash}\n---", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--starts", type=int, default=50)
    parser.add_argument("--config", action="append",
                        help="WORKERSxTHREADS, repeatable "
                             "(default: 2x2, catalogue serve's, and 1x4, live_server's)")
    parser.add_argument("--db", type=Path, help="instance directory to build once and reuse")
    args = parser.parse_args()
    instance = args.db or Path(tempfile.mkdtemp(prefix="bench-oai-")) / "instance"
    if not (instance / "catalogue.db").exists():
        began = time.monotonic()
        build(instance)
        print(f"built {instance} in {time.monotonic() - began:.0f} s", flush=True)
    for config in args.config or ["2x2", "1x4"]:
        workers, threads = (int(part) for part in config.split("x"))
        run(instance, workers, threads, args.starts)


if __name__ == "__main__":
    main()
