"""How fast does search build and answer, in-process and over HTTP?

For the demo collection and for the 100,000 Library of Congress records
(../shared/data/marc21-loc-booksall-2016-100k, imported into a temporary
SQLite database with the real importer, or --db to reuse one), prints:
  - the full rebuild: projection (search.projection) and engine time;
  - p50/p95 of a fixed query mix (single words, two words, a phrase,
    facet-filtered, zero-result), facets included, in-process, with the
    ratio to a baseline measured in the same process (the engine's own
    cheapest call: SELECT 1 on the index for the embedded engine, count()
    for a cluster);
  - p50/p95 over HTTP: GET /api/v1/search on `catalogue serve` (--workers
    processes, default one per CPU, of --threads threads, default as
    `catalogue serve`) with --clients concurrent keep-alive clients
    (default 20), against GET /healthz under the same
    load, with the answer cache on and off. The load comes from wrk when it
    is installed (a separate C process, --duration seconds per figure), else
    from Python threads in this process, which take CPU from the server;
  - p50/p95 over HTTP as the issue's client asks (--http new-connection):
    --clients clients, each opening a NEW connection per request (connect,
    ask, read, close: what wrk cannot do), over 16 distinct searches
    repeated, on the API and on the public page /recherche, against /healthz,
    rounds interleaved; then one client asking each cached search in turn,
    against /healthz. The clients run in --client-processes processes of
    their own, so the bench's interpreter lock is not in their times;
  - peak RSS of this process and of the server's largest process.
--es-url URL: the same for Elasticsearch (--es-kind opensearch for OpenSearch).

Usage: .venv/bin/python bench/search.py [--skip-loc] [--db PATH] [--rounds N]
       [--clients N] [--requests N] [--duration S] [--workers N] [--threads N] [--no-wrk]
       [--http {keep-alive,new-connection,both}] [--http-rounds N] [--client-processes N]
       [--skip-http] [--es-url URL]
"""
from __future__ import annotations

import argparse
import http.client
import multiprocessing
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import select  # noqa: E402

from catalogue.models import Record  # noqa: E402
from cite import migrate  # noqa: E402
from cite.demo import load_demo  # noqa: E402
from core.config import SETTINGS  # noqa: E402
from core.db import Database  # noqa: E402
from importers.marc.runner import import_file  # noqa: E402
from search.engine import SearchRequest  # noqa: E402
from search.projection import search_documents  # noqa: E402
from search.query import parse  # noqa: E402
from tests.support.live import live_server  # noqa: E402

LOC = ROOT.parent / "shared" / "data" / "marc21-loc-booksall-2016-100k" / "loc-booksall-2016-records-10001-110000.mrc.gz"

# (kind, words, filters): the fixed mix, per collection
DEMO_MIX = [("one word", "formations", {}), ("one word", "métiers", {}), ("one word", "VAE", {}),
            ("two words", "creation entreprise", {}), ("two words", "formation adultes", {}),
            ("phrase", '"création d\'entreprise"', {}), ("filtered", "formation", {"pole": ["emploi"]}),
            ("filtered", "", {"document_type": ["book"]}), ("zero", "zzyzx", {})]
LOC_MIX = [("one word", "history", {}), ("one word", "children", {}), ("one word", "poetry", {}),
           ("one word", "education", {}), ("two words", "united states", {}), ("two words", "world war", {}),
           ("two words", "women history", {}), ("phrase", '"civil war"', {}), ("phrase", '"human rights"', {}),
           ("filtered", "history", {"language": ["eng"]}), ("filtered", "music", {"year_range": ["2000-2009"]}),
           ("filtered", "", {"language": ["fre"]}), ("zero", "xyzzyq", {}), ("zero", "histroy", {})]


def setting_default(name: str) -> str:
    return next(setting.default for setting in SETTINGS if setting.name == name)


def peak_rss_mb(pid: int | None = None) -> float:
    if pid is None:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    with open(f"/proc/{pid}/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM")) / 1024


def server_pids(port: int) -> list[int]:
    """The processes of `catalogue serve --port PORT`: its master and workers."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and f"--port\0{port}\0".encode() in (entry / "cmdline").read_bytes():
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def p(samples: list[float], q: int) -> float:
    return statistics.quantiles(samples, n=100)[q - 1] if len(samples) > 1 else samples[0]


def figures(samples: list[float]) -> str:
    return f"p50 {statistics.median(samples):6.2f} ms  p95 {p(samples, 95):6.2f} ms"


def all_documents(database: Database, spent: list[float]):
    """Every record's search document, timing the projection into ``spent``."""
    with database.transaction() as session:
        ids = list(session.scalars(select(Record.id).order_by(Record.id)))
        for start in range(0, len(ids), 1000):
            began = time.perf_counter()
            batch = search_documents(session, ids[start:start + 1000])
            spent[0] += time.perf_counter() - began
            yield from batch.values()


def rebuild(engine, database: Database) -> str:
    spent = [0.0]
    began = time.perf_counter()
    count = engine.rebuild(all_documents(database, spent))
    total = time.perf_counter() - began
    return (f"rebuild of {count:,} documents: {total:.1f} s (projection {spent[0]:.1f} s, "
            f"{engine.name} {total - spent[0]:.1f} s)")


def in_process(engine, mix, rounds: int, baseline) -> None:
    requests = [(kind, SearchRequest(parse(text), filters=filters)) for kind, text, filters in mix]
    for _, request in requests:  # warm up: first search loads the facet snapshot
        engine.search(request)
    by_kind: dict[str, list[float]] = {}
    for _ in range(rounds):
        for kind, request in requests:
            began = time.perf_counter()
            engine.search(request)
            by_kind.setdefault(kind, []).append((time.perf_counter() - began) * 1000)
    base = []
    for _ in range(rounds * len(requests)):
        began = time.perf_counter()
        baseline()
        base.append((time.perf_counter() - began) * 1000)
    everything = sum(by_kind.values(), [])
    base_median = statistics.median(base)
    print(f"  in-process, {rounds} rounds of {len(requests)} searches with every facet:")
    for kind, samples in by_kind.items():
        print(f"    {kind:<10} {figures(samples)}")
    print(f"    {'all':<10} {figures(everything)}  x{statistics.median(everything) / base_median:.0f} "
          f"baseline ({base_median:.3f} ms)")


def hammer(base_url: str, paths: list[str], clients: int, per_client: int) -> list[float]:
    parts = urlsplit(base_url)
    samples: list[float] = []
    lock = threading.Lock()

    def client(offset: int) -> None:
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        mine = []
        for i in range(per_client):
            began = time.perf_counter()
            conn.request("GET", paths[(offset + i) % len(paths)])
            response = conn.getresponse()
            response.read()
            mine.append((time.perf_counter() - began) * 1000)
            assert response.status == 200, response.status
        with lock:
            samples.extend(mine)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return samples


# wrk's own percentiles (microseconds), printed as one line the bench reads back.
WRK_SCRIPT = """
local paths = {%s}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1])
end
done = function(summary, latency, requests)
  io.write(string.format("BENCH %%.3f %%.3f %%d %%d\\n", latency:percentile(50) / 1000,
           latency:percentile(95) / 1000, summary.requests, summary.errors.status + summary.errors.timeout))
end
"""


def wrk(base_url: str, paths: list[str], clients: int, duration: int,
        workdir: Path) -> tuple[str, float]:
    """p50/p95 of ``paths`` in turn under wrk: ``clients`` keep-alive connections for ``duration`` s."""
    script = workdir / "mix.lua"
    script.write_text(WRK_SCRIPT % ", ".join(f'"{path}"' for path in paths))
    run = subprocess.run(["wrk", "-t2", f"-c{clients}", f"-d{duration}s", "-s", str(script), base_url + "/"],
                         capture_output=True, text=True, check=True)
    line = next(line for line in run.stdout.splitlines() if line.startswith("BENCH "))
    p50, p95, count, errors = line.split()[1:]
    if int(errors):
        raise RuntimeError(f"{errors} of {count} requests failed under wrk:\n{run.stdout}")
    return f"p50 {float(p50):6.2f} ms  p95 {float(p95):6.2f} ms  ({int(count):,} requests, wrk)", float(p50)


def python_clients(base_url: str, paths: list[str], clients: int, requests: int) -> tuple[str, float]:
    samples = hammer(base_url, paths, clients, requests)
    return f"{figures(samples)}  (Python threads)", statistics.median(samples)


def fresh_connections(base_url: str, paths: list[str], clients: int, per_client: int,
                      processes: int) -> list[float]:
    """Latencies (ms) of ``clients`` concurrent clients, each asking
    ``per_client`` of ``paths`` in turn on a NEW connection every time
    (connect, request, read, close), as the issue's client does. The clients
    are threads of ``processes`` processes forked for the purpose."""
    processes = max(1, min(processes, clients))
    shares = [list(range(n, clients, processes)) for n in range(processes)]
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        found = pool.starmap(_fresh_clients, [(base_url, paths, offsets, per_client) for offsets in shares])
    return sum(found, [])


def _fresh_clients(base_url: str, paths: list[str], offsets: list[int], per_client: int) -> list[float]:
    parts = urlsplit(base_url)
    samples: list[float] = []
    lock = threading.Lock()
    start = threading.Barrier(len(offsets))

    def client(offset: int) -> None:
        mine = []
        start.wait()
        for i in range(per_client):
            began = time.perf_counter()
            conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
            conn.request("GET", paths[(offset + i) % len(paths)])
            response = conn.getresponse()
            response.read()
            conn.close()
            mine.append((time.perf_counter() - began) * 1000)
            assert response.status == 200, response.status
        with lock:
            samples.extend(mine)

    threads = [threading.Thread(target=client, args=(offset,)) for offset in offsets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return samples


def distinct_paths(prefix: str, mix, count: int = 16) -> list[str]:
    """``count`` distinct searches: the mix's, then its first ones' second pages."""
    queries = [{"q": text, **{k: v[0] for k, v in filters.items()}} for _, text, filters in mix]
    extra = [{**query, "page": 2} for query in queries if query["q"]]
    return [f"{prefix}?{urlencode(query)}" for query in (queries + extra)[:count]]


def ratio_line(label: str, samples: list[float], base: list[float]) -> str:
    return (f"    {label:<22} {figures(samples)}  p95 x{p(samples, 95) / p(base, 95):.2f}, "
            f"p50 x{statistics.median(samples) / statistics.median(base):.2f} /healthz")


def new_connection_load(base: str, mix, args) -> None:
    """The issue's measurement: a new connection per request under
    ``--clients`` clients, then one client on cached answers."""
    targets = {"GET /api/v1/search": distinct_paths("/api/v1/search", mix),
               "GET /recherche": distinct_paths("/recherche", mix)}
    for paths in targets.values():  # every answer cached in every worker, as after a few minutes of use
        fresh_connections(base, paths, max(4, 2 * args.workers), 2 * len(paths), 1)
    samples: dict[str, list[float]] = {"GET /healthz": []}
    for _ in range(args.http_rounds):  # interleaved: a neighbour's burst falls on both sides
        samples["GET /healthz"] += fresh_connections(base, ["/healthz"], args.clients, args.requests,
                                                     args.client_processes)
        for label, paths in targets.items():
            samples.setdefault(label, []).extend(
                fresh_connections(base, paths, args.clients, args.requests, args.client_processes))
    healthz = samples.pop("GET /healthz")
    print(f"   a new connection per request, {args.clients} clients, {len(targets['GET /recherche'])} "
          f"distinct searches repeated, {args.http_rounds} interleaved rounds:")
    print(f"    {'GET /healthz':<22} {figures(healthz)}")
    for label, found in samples.items():
        print(ratio_line(label, found, healthz))
    one = {"GET /healthz": []}
    for _ in range(args.http_rounds):
        one["GET /healthz"] += fresh_connections(base, ["/healthz"], 1, 10 * args.requests, 1)
        for label, paths in targets.items():
            one.setdefault(label, []).extend(fresh_connections(base, paths, 1, 10 * args.requests, 1))
    healthz = one.pop("GET /healthz")
    print("   one client, a new connection per request, cached answers:")
    print(f"    {'GET /healthz':<22} {figures(healthz)}")
    for label, found in one.items():
        print(ratio_line(label, found, healthz))


def over_http(database_url: str, workdir: Path, env: dict, mix, args, *, keep_alive: bool = True,
              new_connections: bool = False) -> None:
    paths = [f"/api/v1/search?{urlencode({'q': text, **{k: v[0] for k, v in filters.items()}})}"
             for _, text, filters in mix]
    use_wrk = shutil.which("wrk") and not args.no_wrk
    with live_server(database_url, workdir / "instance", extra_env=env, threads=args.threads,
                     workers=args.workers) as base:
        # Warm up every worker: its first search opens the index, and each
        # worker keeps an answer cache of its own.
        hammer(base, paths, max(4, 2 * args.workers), 20)
        print(f"  over HTTP, `catalogue serve` with {args.workers} worker process(es) of {args.threads} threads:")
        if new_connections:
            new_connection_load(base, mix, args)
        if keep_alive:
            if use_wrk:
                baseline = wrk(base, ["/healthz"], args.clients, args.duration, workdir)
                searches = wrk(base, paths, args.clients, args.duration, workdir)
            else:
                baseline = python_clients(base, ["/healthz"], args.clients, args.requests)
                searches = python_clients(base, paths, args.clients, args.requests)
            print(f"   {args.clients} concurrent keep-alive clients:")
            print(f"    GET /healthz       {baseline[0]}")
            print(f"    GET /api/v1/search {searches[0]}  x{searches[1] / baseline[1]:.1f} /healthz (medians)")
        rss = [peak_rss_mb(pid) for pid in server_pids(int(urlsplit(base).port))]
    print(f"    server peak RSS: largest process {max(rss, default=0):.0f} MB, {len(rss)} processes")


def collection(name, database_url, workdir, mix, args) -> None:
    from search.embedded import EmbeddedEngine
    database = Database(database_url)
    path = workdir / f"{name}-search.db"
    # No answer cache in-process: every search of the mix is computed, which
    # is what the latency target is about. Over HTTP both ways: as deployed
    # (the fixed mix repeats, so answers come from the cache after the first
    # round) and with the cache off.
    engine = EmbeddedEngine(path, cache_size=0)
    print(f"{name}, embedded engine:")
    print("  " + rebuild(engine, database))
    in_process(engine, mix, args.rounds, lambda: engine.store.connection().execute("SELECT 1").fetchone())
    if not args.skip_http:
        keep_alive = args.http in ("keep-alive", "both")
        for label, cache in (("answer cache on (default)", "256"), ("answer cache off", "0")):
            if cache == "0" and not keep_alive:
                continue
            print(f"  {label}:")
            over_http(database_url, workdir, {"CATALOGUE_SEARCH_PATH": str(path),
                                              "CATALOGUE_SEARCH_CACHE_SIZE": cache}, mix, args,
                      keep_alive=keep_alive, new_connections=cache != "0" and args.http != "keep-alive")
    engine.close()
    if args.es_url:
        from search.elastic import make_engine
        from tests.support.search import drop_indexes
        alias = f"bench-{uuid.uuid4().hex[:8]}"
        cluster = make_engine(args.es_url, alias, kind=args.es_kind)
        print(f"{name}, {args.es_kind} at {args.es_url}:")
        try:
            cluster.ensure_ready()
            print("  " + rebuild(cluster, database))
            in_process(cluster, mix, args.rounds, cluster.count)
            if not args.skip_http:
                over_http(database_url, workdir, {"CATALOGUE_SEARCH_ENGINE": args.es_kind,
                                                  "CATALOGUE_SEARCH_URL": args.es_url,
                                                  "CATALOGUE_SEARCH_INDEX": alias}, mix, args)
        finally:
            cluster.close()
            drop_indexes(args.es_url, alias)
    database.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-loc", action="store_true", help="the demo collection only")
    parser.add_argument("--db", type=Path, help="an SQLite catalogue already holding the LoC records")
    parser.add_argument("--rounds", type=int, default=20, help="passes over the query mix in-process")
    parser.add_argument("--clients", type=int, default=20, help="concurrent HTTP clients")
    parser.add_argument("--requests", type=int, default=50, help="requests per HTTP client (without wrk)")
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per HTTP figure (wrk)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                        help="worker processes of `catalogue serve` (default: one per CPU)")
    parser.add_argument("--threads", type=int, default=int(setting_default("CATALOGUE_SERVER_THREADS")),
                        help="threads per worker (default: as `catalogue serve`)")
    parser.add_argument("--no-wrk", action="store_true",
                        help="load from Python threads even if wrk is installed")
    parser.add_argument("--http", default="both", choices=["keep-alive", "new-connection", "both"],
                        help="keep-alive clients (wrk), clients opening a new connection per request, or both")
    parser.add_argument("--http-rounds", type=int, default=2,
                        help="interleaved rounds of each new-connection figure")
    parser.add_argument("--client-processes", type=int, default=2,
                        help="processes the new-connection clients run in")
    parser.add_argument("--skip-http", action="store_true")
    parser.add_argument("--es-url", help="also measure this Elasticsearch/OpenSearch cluster")
    parser.add_argument("--es-kind", default="elasticsearch", choices=["elasticsearch", "opensearch"])
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="bench-search-"))
    try:
        run(args, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def run(args, workdir: Path) -> None:
    demo_url = f"sqlite:///{workdir / 'demo.db'}"
    demo = Database(demo_url)
    migrate.upgrade(demo)
    with demo.transaction() as session:
        load_demo(session, accounts=False)
    demo.dispose()
    collection("demo collection", demo_url, workdir, DEMO_MIX, args)

    if not args.skip_loc:
        if args.db:
            loc_url = f"sqlite:///{args.db.resolve()}"
        elif LOC.exists():
            loc_url = f"sqlite:///{workdir / 'loc.db'}"
            loc = Database(loc_url)
            migrate.upgrade(loc)
            began = time.perf_counter()
            report = import_file(loc, LOC, source="main-library", rejects_dir=workdir / "rejects")
            print(f"(imported {report.created:,} LoC records in {time.perf_counter() - began:.0f} s)")
            loc.dispose()
        else:
            sys.exit(f"{LOC} is absent (it comes with ../shared/data); try --skip-loc")
        collection("LoC 100k", loc_url, workdir, LOC_MIX, args)
    print(f"peak RSS of this process: {peak_rss_mb():.0f} MB; "
          f"load average {', '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
