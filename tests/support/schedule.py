"""The order modules are handed to pytest-xdist's workers: longest first.

Under ``--dist loadscope`` a worker takes a whole module at a time. xdist
hands them out by number of tests, fewest last, and the longest modules have
few tests (a story on the demo, a killed import, a browser session): one
worker was left running them alone for the last minute or more. Longest
first, the run ends on short modules and both workers finish together.

``SECONDS`` holds the modules that take far more than their count of tests
says (seconds on one idle worker, both backends); any other module is
estimated from its tests, browser tests counting more (see ``guess``). An estimate only orders: a stale one costs a
little time, never a test. A module on the demo counts in a load of it (2 to 5 s), paid when it is the
first on its worker to use that variant (tests/support/demo_copy.py). Refresh the figures from a run's
``--durations=0`` output: ``python -m tests.support.schedule < log``.
"""
from __future__ import annotations

import re
import sys
from collections import Counter, defaultdict

PER_TEST = 0.3  # seconds, the suite's mean
# A browser test: some 1.5 s in a page; some 10 s with a server of its own.
PER_BROWSER_TEST = 1.5
SERVED = {"live_server", "live_db", "live_database_url"}
PER_SERVED_TEST = 10.0

SECONDS = {
    "tests/browser/test_search.py": 25,
    "tests/weeding/test_story.py": 10,
    "tests/thesaurus/test_unesco.py": 40,
    "tests/importers/test_killed_import.py": 35,
    "tests/accounts/test_login_throttle.py": 35,
    "tests/acquisitions/test_story.py": 8,
    "tests/cite/test_scheduler.py": 30,
    "tests/browser/test_acquisitions.py": 30,
    "tests/browser/test_ui_layout.py": 12,
    "tests/cite/test_serve.py": 30,
    "tests/browser/test_cataloguing.py": 40,
    "tests/browser/test_accessibility.py": 40,
    "tests/cite/test_demo.py": 25,
    "tests/search/test_embedded_concurrency.py": 20,
    "tests/browser/test_thesaurus.py": 20,
    "tests/browser/test_weeding.py": 15,
    "tests/thesaurus/test_skos_read_write.py": 15,
    "tests/importers/test_oai_harvest_live.py": 90,
    "tests/core/test_schemathesis.py": 60,
    "tests/core/test_garbage_input.py": 70,
    "tests/importers/test_import_cli.py": 60,
    "tests/search/test_service.py": 18,
    "tests/importers/test_held.py": 30,
    "tests/core/test_hostile_input.py": 25,
    "tests/thesaurus/test_lossless_export.py": 40,
}


def module_of(nodeid: str) -> str:
    return nodeid.split("::", 1)[0]


def guess(item) -> float:
    """Seconds one test may take: more with a browser, more again with a
    server of its own (none for a browser test's skipped PostgreSQL run)."""
    params = getattr(getattr(item, "callspec", None), "params", {})
    if item.get_closest_marker("browser") is None:
        return PER_TEST
    if params.get("backend") == "postgresql":
        return 0.0
    return PER_SERVED_TEST if SERVED & set(getattr(item, "fixturenames", ())) else PER_BROWSER_TEST


def longest_first(items: list) -> list:
    """``items`` with whole modules in decreasing estimated time, each
    module's tests in their own order (a stable sort)."""
    guessed: Counter[str] = Counter()
    for item in items:
        guessed[module_of(item.nodeid)] += guess(item)

    def key(item) -> tuple:
        module = module_of(item.nodeid)
        return -max(SECONDS.get(module, 0), guessed[module]), module

    return sorted(items, key=key)


def seconds_from_durations(lines) -> dict[str, float]:
    """Seconds per module from pytest's ``--durations=0`` lines (setup, call and teardown)."""
    total: dict[str, float] = defaultdict(float)
    for line in lines:
        found = re.match(r"\s*([\d.]+)s (?:setup|call|teardown)\s+(\S+)", line)
        if found:
            total[module_of(found.group(2))] += float(found.group(1))
    return dict(total)


if __name__ == "__main__":
    for module, seconds in sorted(seconds_from_durations(sys.stdin).items(), key=lambda kv: -kv[1])[:30]:
        print(f"    {module!r}: {round(seconds)},")
