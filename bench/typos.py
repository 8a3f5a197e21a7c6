"""Typing mistakes: does a visitor who mistypes one letter still find the work?

Builds a temporary SQLite catalogue with the real importer: the Sciences Po
serials (../shared/data/unimarc-sciencespo-medialab/periouni.mrc, UNIMARC,
3,064 serials, 1,294 of them in French, whose titles no search test uses), the 500 French records of
../shared/data/marc21-evergreen-datasets/lul_fre_500.mrc and the demo
collection as distractors. Holds out --count real French titles (default
60, fixed --seed): periouni titles of records in French only, of two words
or more, unique in the catalogue, that the title typed as it is finds in
the top 10. Each is
queried with one typing mistake (fixed seed): a letter dropped or two
neighbouring letters swapped, in a word of at least 4 letters.

Prints, for the embedded engine and for Elasticsearch (--es-url, else a
noida-db started for the run when it is installed; --no-es to skip):
  - direct: the work in the top 10 of the search service's answer;
  - after one suggestion: found directly, or in the top 10 of the
    "Vouliez-vous dire" search when one is offered;
before (the fuzzy fallback off: SearchService(fuzzy_below=0)) and after
(as deployed), with the median time of the service's search per query and
--misses the queries still missed. Then what the fallback costs the
searches without a mistake: the held-out titles as they are, and single
words of them, through the service with the fallback off and on, rounds
interleaved (--rounds), the answer cache off: p50 of each and the ratio
(on the cluster too with --es-cost).

Usage: .venv/bin/python bench/typos.py [--count 60] [--seed 16] [--rounds 5] [--es-url URL] [--no-es]
       [--es-cost] [--misses] [--fuzzy-below N]
"""
from __future__ import annotations

import argparse
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select  # noqa: E402

from catalogue.models import Record  # noqa: E402
from cite import migrate  # noqa: E402
from cite.demo import load_demo  # noqa: E402
from core.db import Database  # noqa: E402
from core.text import fold  # noqa: E402
from importers.marc.runner import import_file  # noqa: E402
from search.embedded import EmbeddedEngine  # noqa: E402
from search.projection import search_documents  # noqa: E402
from search.services import FUZZY_BELOW, SearchService  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
HELD_OUT = DATA / "unimarc-sciencespo-medialab" / "periouni.mrc"
DISTRACTORS = [DATA / "marc21-evergreen-datasets" / "lul_fre_500.mrc"]
WORD = re.compile(r"[^\W\d_]+")


def build(workdir: Path) -> tuple[Database, set[int]]:
    """The catalogue, and the ids of the records the held-out titles come from."""
    database = Database(f"sqlite:///{workdir / 'typos.db'}")
    migrate.upgrade(database)
    with database.transaction() as session:
        load_demo(session, accounts=False)
    with database.transaction() as session:
        before = session.scalar(select(func.max(Record.id))) or 0
    began = time.perf_counter()
    import_file(database, HELD_OUT, source="bench-typos", workers=0, rejects_dir=workdir / "rejects")
    with database.transaction() as session:
        candidates = set(session.scalars(select(Record.id).where(Record.id > before)))
    for path in DISTRACTORS:
        import_file(database, path, source="bench-typos-distractors", workers=0, rejects_dir=workdir / "rejects")
    with database.transaction() as session:
        total = session.scalar(select(func.count(Record.id)))
    print(f"catalogue: {total:,} records ({len(candidates):,} from {HELD_OUT.name}), "
          f"built in {time.perf_counter() - began:.0f} s")
    return database, candidates


def documents(database: Database):
    with database.transaction() as session:
        ids = list(session.scalars(select(Record.id).order_by(Record.id)))
        for start in range(0, len(ids), 1000):
            yield from search_documents(session, ids[start:start + 1000]).values()


def typo(title: str, rng: random.Random) -> str | None:
    """The title with one letter dropped or two neighbours swapped, in a word of 4 letters or more."""
    words = [m for m in WORD.finditer(title) if len(m.group()) >= 4]
    if not words:
        return None
    word = rng.choice(words)
    text, at = word.group(), word.start()
    swaps = [i for i in range(len(text) - 1) if fold(text[i]) != fold(text[i + 1])]
    if rng.random() < 0.5 or not swaps:
        i = rng.randrange(len(text))
        changed = text[:i] + text[i + 1:]
    else:
        i = rng.choice(swaps)
        changed = text[:i] + text[i + 1] + text[i] + text[i + 2:]
    return title[:at] + changed + title[word.end():]


def held_out(database: Database, engine, candidates: set[int], count: int, seed: int) -> list[tuple[int, str]]:
    """(record id, title) of ``count`` titles drawn with ``seed`` among the
    candidates' French titles (the record's only language) of two words or
    more, unique in the catalogue, found in the top 10 when typed as they are."""
    with database.transaction() as session:
        rows = session.execute(select(Record.id, Record.title, Record.languages).order_by(Record.id)).all()
        keys: dict[str, int] = {}
        for _, title, _ in rows:
            keys[fold(title or "")] = keys.get(fold(title or ""), 0) + 1
        pool = [(rid, title) for rid, title, languages in rows if rid in candidates and title
                and languages == ["fre"]
                and keys[fold(title)] == 1 and len(WORD.findall(title)) >= 2
                and any(len(w) >= 4 for w in WORD.findall(title))]
        rng = random.Random(seed)
        rng.shuffle(pool)
        service = SearchService(session, engine, recorder=lambda event: None, fuzzy_below=0)
        chosen = []
        for rid, title in pool:
            if rid in top10(service, title):
                chosen.append((rid, title))
                if len(chosen) == count:
                    break
    return chosen


def top10(service: SearchService, text: str) -> list[int]:
    return [hit.id for hit in service.search(text, size=10, record_stats=False).result.hits]


def measure(database: Database, engine, queries: list[tuple[int, str, str]], fuzzy_below: int,
            misses: bool) -> tuple[int, int, float]:
    """(found directly, found after one suggestion, median ms per search)."""
    direct = after = 0
    times = []
    with database.transaction() as session:
        service = SearchService(session, engine, recorder=lambda event: None, fuzzy_below=fuzzy_below)
        for rid, _title, text in queries:
            began = time.perf_counter()
            found = service.search(text, size=10, record_stats=False)
            times.append((time.perf_counter() - began) * 1000)
            hit = rid in [h.id for h in found.result.hits]
            followed = hit or (found.suggestion is not None and rid in top10(service, found.suggestion))
            direct += hit
            after += followed
            if misses and fuzzy_below and not hit:
                print(f"      missed: {text!r} (suggestion {found.suggestion!r}, {found.result.total} found"
                      f"{', found after it' if followed else ''})")
    return direct, after, statistics.median(times)


def report(name: str, database: Database, engine, chosen, seed: int, misses: bool) -> None:
    rng = random.Random(seed)
    queries = [(rid, title, typo(title, rng)) for rid, title in chosen]
    n = len(queries)
    print(f"{name}: {n} held-out titles, one typing mistake each")
    # after first: on an emulated cluster the run is long, and it is the figure wanted
    for label, below in (("after (fuzzy fallback)", FUZZY_BELOW), ("before (no fuzzy fallback)", 0)):
        direct, after, median = measure(database, engine, queries, below, misses)
        print(f"  {label:<28} direct top 10: {direct}/{n} = {direct / n:.2f}   after one suggestion: "
              f"{after}/{n} = {after / n:.2f}   service search p50 {median:.1f} ms")


def cost(database: Database, engine, chosen, rounds: int) -> None:
    """The service's search of queries without a mistake, fallback off and on, interleaved."""
    queries = [title for _, title in chosen] + sorted({w for _, title in chosen for w in WORD.findall(title)
                                                       if len(w) >= 4})[:60]
    times: dict[str, list[float]] = {"off": [], "on": []}
    fallbacks = 0
    with database.transaction() as session:
        services = {"off": SearchService(session, engine, recorder=lambda event: None, fuzzy_below=0),
                    "on": SearchService(session, engine, recorder=lambda event: None, fuzzy_below=FUZZY_BELOW)}
        for round in range(rounds):
            for text in queries:
                for name in ("off", "on") if round % 2 else ("on", "off"):
                    began = time.perf_counter()
                    found = services[name].search(text, record_stats=False)
                    times[name].append((time.perf_counter() - began) * 1000)
                    exact = found.result.total if found.result.exact is None else found.result.exact
                    fallbacks += name == "on" and round == 0 and exact < FUZZY_BELOW
    off, on = statistics.median(times["off"]), statistics.median(times["on"])
    print(f"  without a mistake ({len(queries)} queries x {rounds} rounds; the fallback ran for {fallbacks}): "
          f"p50 off {off:.2f} ms, on {on:.2f} ms, ratio {on / off:.2f}")


def elastic(args, workdir: Path):
    """(engine, stop) for --es-url or a noida-db of our own; None when there is none."""
    from search.elastic import make_engine
    from tests.support.noida import NoidaServer, _command
    stop = None
    url = args.es_url
    if url is None:
        command = _command()
        if command is None:
            print("Elasticsearch: skipped (no --es-url and noida-db is not installed)")
            return None
        server = NoidaServer(command)
        server.start()
        url, stop = server.url, server.stop
        print(f"Elasticsearch: noida-db {url} (an emulator, started for this run)")
    # an emulator answers in seconds what a cluster answers in milliseconds: wait for it
    engine = make_engine(url, f"bench-typos-{uuid.uuid4().hex[:8]}", kind=args.es_kind, request_timeout=300)
    return engine, stop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=60)
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--es-url", help="an Elasticsearch/OpenSearch cluster (default: noida-db if installed)")
    parser.add_argument("--es-kind", default="elasticsearch", choices=["elasticsearch", "opensearch"])
    parser.add_argument("--rounds", type=int, default=5, help="rounds of the cost figure")
    parser.add_argument("--es-cost", action="store_true",
                        help="the cost figure on the cluster too (rounds/5; long on noida-db)")
    parser.add_argument("--no-es", action="store_true", help="the embedded engine only")
    parser.add_argument("--misses", action="store_true", help="print the typed queries still missed")
    parser.add_argument("--fuzzy-below", type=int, help="the fallback's threshold (default: the service's)")
    args = parser.parse_args()
    if args.fuzzy_below is not None:
        global FUZZY_BELOW
        FUZZY_BELOW = args.fuzzy_below
    for path in [HELD_OUT, *DISTRACTORS]:
        if not path.exists():
            sys.exit(f"{path} is absent (it comes with ../shared/data)")
    workdir = Path(tempfile.mkdtemp(prefix="bench-typos-"))
    try:
        database, candidates = build(workdir)
        embedded = EmbeddedEngine(workdir / "search.db", cache_size=0)  # every search computed
        embedded.rebuild(documents(database))
        chosen = held_out(database, embedded, candidates, args.count, args.seed)
        report("embedded", database, embedded, chosen, args.seed, args.misses)
        cost(database, embedded, chosen, args.rounds)
        embedded.close()
        found = None if args.no_es else elastic(args, workdir)
        if found is not None:
            engine, stop = found
            try:
                engine.rebuild(documents(database))
                report(engine.name, database, engine, chosen, args.seed, args.misses)
                if args.es_cost:
                    cost(database, engine, chosen, max(1, args.rounds // 5))
            finally:
                try:
                    engine.drop()
                    engine.close()
                finally:
                    if stop is not None:
                        stop()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
