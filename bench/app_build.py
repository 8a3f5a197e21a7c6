"""What building the application costs: ``create_app`` and one request to
/healthz, as every test with the ``app`` fixture, every server worker and
every ``catalogue`` command pays it. Compared in the same process with the
same build followed by the work it now defers (the OpenAPI document written,
every URL builder compiled), which is what the build cost before.

Usage: .venv/bin/python bench/app_build.py [--rounds N]
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
folder = tempfile.mkdtemp(prefix="bench-app-")
os.environ.setdefault("CATALOGUE_INSTANCE_DIR", folder)
os.environ.setdefault("CATALOGUE_LOG_LEVEL", "WARNING")

from cite import create_app, migrate  # noqa: E402
from core.db import Database  # noqa: E402
from core.web.api import api  # noqa: E402


def build(url: str, *, eager: bool) -> float:
    started = time.perf_counter()
    app = create_app({"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "bench", "INSTANCE_DIR": folder})
    if eager:
        api.spec.to_dict()
        adapter = app.url_map.bind("bench.example")
        for rule in app.url_map.iter_rules():
            rule._build  # noqa: B018 - the compiled builder of a lazy rule is made on first call
            try:
                adapter.build(rule.endpoint, {name: 1 for name in rule.arguments})
            except Exception:  # a converter refusing 1 (an any()) still compiled the builder
                pass
    assert app.test_client().get("/healthz").status_code == 200
    app.extensions["catalogue.db"].dispose()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    url = f"sqlite:///{folder}/bench.db"
    database = Database(url)
    migrate.upgrade(database)
    database.dispose()
    build(url, eager=True)  # warm the imports
    lazy, eager = [], []
    for _ in range(args.rounds):  # interleaved: the machine's noise falls on both
        lazy.append(build(url, eager=False))
        eager.append(build(url, eager=True))
    rules = len(list(create_app({"DATABASE_URL": url, "INSTANCE_DIR": folder}).url_map.iter_rules()))
    print(f"{rules} URL rules; load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    for name, times in (("build + /healthz (as now)", lazy), ("build + document + every builder", eager)):
        print(f"{name:36} p50 {statistics.median(times) * 1000:7.1f} ms  "
              f"p95 {sorted(times)[int(0.95 * len(times)) - 1] * 1000:7.1f} ms")
    print(f"ratio now / with the deferred work: {statistics.median(lazy) / statistics.median(eager):.2f}")


if __name__ == "__main__":
    main()
