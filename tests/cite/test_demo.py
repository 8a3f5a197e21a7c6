"""The demo's past (cite.demo.history): acquisition dates, three years of
use scaled from the real centre, and what weeding needs to show real
candidates out of the box. The demo is loaded once per database, as of a
fixed day, and read by every test but the last."""
from __future__ import annotations

import datetime as dt
import json
import shutil
import statistics
import time
from collections import Counter, defaultdict

import pytest
from sqlalchemy import func, select

from catalogue.models import Item, ItemUse, Record
from catalogue.vocab import DocumentType, ItemStatus, Library
from cite.demo import WORKS, load_demo
from cite.demo.history import REAL_USES_PER_YEAR, REAL_WORKS, acquisition_date, issue_received
from cite.schema import metadata
from core.db import Database
from weeding.models import WeedingRule
from weeding.services.candidates import evaluate

TODAY = dt.date(2026, 12, 1)  # a Tuesday, not after the real today (acquisition dates are checked)
START = TODAY - dt.timedelta(days=3 * 365)
BARCODES = {copy["barcode"] for work in json.loads(WORKS.read_text(encoding="utf-8"))
            for copy in work["items"]}


@pytest.fixture(scope="module")
def demo(template_database, tmp_path_factory):
    """A database with the demo loaded as of TODAY, the load's report and its time in seconds."""
    if template_database["backend"] == "sqlite":
        path = tmp_path_factory.mktemp("demo") / "catalogue.db"
        shutil.copyfile(template_database["path"], path)
        database = Database(f"sqlite:///{path}")
    else:
        database = Database(template_database["url"])
        tables = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
        with database.engine.begin() as conn:
            conn.exec_driver_sql(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
    started = time.perf_counter()
    with database.transaction() as session:
        report = load_demo(session, today=TODAY)
    yield database, report, time.perf_counter() - started
    database.dispose()


def centre_copies(session) -> list[Item]:
    """The centre's copies of the demo works (not the acquisitions story's, not the main library's)."""
    return [item for item in session.scalars(select(Item).where(Item.library == Library.CITE))
            if item.barcode in BARCODES]


def uses_by_item(session) -> dict[int, list[dt.datetime]]:
    uses = defaultdict(list)
    for item_id, used_at in session.execute(select(ItemUse.item_id, ItemUse.used_at)):
        uses[item_id].append(used_at)
    return uses


def test_every_copy_of_the_centre_has_a_plausible_acquisition_date(demo):
    database, _, _ = demo
    with database.session() as session:
        items = list(session.scalars(select(Item).where(Item.library == Library.CITE)))
        assert items and all(item.acquired_on for item in items)
        assert all(dt.date(item.record.year, 1, 1) <= item.acquired_on <= TODAY for item in items)
        years = {item.acquired_on.year for item in items}
        assert min(years) <= TODAY.year - 13 and max(years) == TODAY.year  # about fifteen years
        # Recent works are bought soon after they come out.
        first = {}
        for item in items:
            record = item.record
            if record.year >= TODAY.year - 3 and record.document_type is not DocumentType.PERIODICAL:
                first[record.year, record.id] = min(first.get((record.year, record.id), item.acquired_on),
                                                    item.acquired_on)
        lags = [(day - dt.date(year, 1, 1)).days for (year, _), day in first.items()]
        assert statistics.median(lags) < 270
        # Copies in processing arrived in the last weeks (the acquisitions story's, in its months).
        assert all((TODAY - item.acquired_on).days <= 80 for item in items
                   if item.status is ItemStatus.PROCESSING and item.barcode in BARCODES)


def test_three_years_of_use_scaled_from_the_real_centre(demo):
    database, report, _ = demo
    with database.session() as session:
        held = [item for item in centre_copies(session) if item.status is not ItemStatus.WITHDRAWN]
        assert report.uses_per_year == round(REAL_USES_PER_YEAR / REAL_WORKS * len(held))
        assert 4_000 < report.uses_per_year < 8_000
        used = [at for ats in uses_by_item(session).values() for at in ats]
    assert len(used) == report.uses
    assert min(used).date() >= START and max(used).date() < TODAY
    assert max(used) <= dt.datetime.now(dt.timezone.utc)
    for year in range(3):  # each of the last three years, counted back from TODAY
        end = TODAY - dt.timedelta(days=365 * year)
        total = sum(1 for at in used if end - dt.timedelta(days=365) <= at.date() < end)
        assert abs(total - report.uses_per_year) <= 0.03 * report.uses_per_year, (year, total)


def test_the_use_has_the_centre_s_shape(demo):
    database, _, _ = demo
    with database.session() as session:
        copies = [item for item in centre_copies(session) if item.status is not ItemStatus.PROCESSING]
        uses = uses_by_item(session)
        years = {item.id: item.record.year for item in copies}
    used = [at for ats in uses.values() for at in ats]
    # Closed on Sundays (and Mondays), busy in the autumn and winter, quiet in August.
    assert {at.date().weekday() for at in used} <= {1, 2, 3, 4, 5}
    months = Counter(at.month for at in used)
    assert min(months, key=months.get) == 8
    assert min(months[9], months[10]) > 1.5 * months[6]
    assert min(months[1], months[2], months[3]) > months[6]
    # A few copies used a lot, some never; older works less than recent ones.
    counts = sorted((len(uses.get(item.id, [])) for item in copies), reverse=True)
    assert sum(counts[:len(counts) // 10]) > 0.35 * sum(counts)
    assert counts.count(0) >= 5 and counts[0] >= 10 * statistics.median(counts)
    old = [len(uses.get(i, [])) for i, year in years.items() if year <= TODAY.year - 10]
    recent = [len(uses.get(i, [])) for i, year in years.items() if year >= TODAY.year - 3]
    assert statistics.mean(old) * 4 < statistics.mean(recent)


def test_uses_fall_while_the_copy_was_on_the_shelves_and_its_counts_match(demo):
    database, _, _ = demo
    with database.session() as session:
        uses = uses_by_item(session)
        documentalist = session.scalar(select(func.min(ItemUse.recorded_by_id)))
        assert session.scalar(select(func.count()).select_from(ItemUse).where(ItemUse.tallied.is_(True))) == 0
        assert {by for (by,) in session.execute(select(ItemUse.recorded_by_id).distinct())} == {documentalist}
        for item in session.scalars(select(Item)):
            ats = uses.get(item.id, [])
            assert item.use_count == len(ats), item.barcode
            assert item.last_used_at == (max(ats) if ats else None), item.barcode
            assert all(at.date() >= item.acquired_on for at in ats), item.barcode
            if item.withdrawn_at is not None:
                assert all(at < item.withdrawn_at for at in ats), item.barcode
            if item.library is Library.MAIN or item.status is ItemStatus.PROCESSING:
                assert not ats, item.barcode
        withdrawn = list(session.scalars(select(Item).where(Item.status == ItemStatus.WITHDRAWN)))
        assert withdrawn and all(i.withdrawn_at and i.withdrawal_reason and i.disposal for i in withdrawn)


def test_weeding_has_real_candidates_out_of_the_box(demo):
    database, report, _ = demo
    with database.session() as session:
        # Older and newer editions of one work: same title and first author, other year and edition.
        editions = defaultdict(set)
        for record in session.scalars(select(Record)):
            at_the_centre = any(item.library is Library.CITE for item in record.items)
            if record.contributors and record.edition and at_the_centre:
                editions[record.title, record.contributors[0].name].add((record.year, record.edition))
        superseded = {key for key, held in editions.items()
                      if len({year for year, _ in held}) >= 2 and len({edition for _, edition in held}) >= 2}
        assert len(superseded) >= 3, superseded
        copies = centre_copies(session)
        held = [item for item in copies if item.status is not ItemStatus.WITHDRAWN]
        assert sum(1 for item in held if item.condition and item.condition.value == "damaged") >= 3
        assert sum(1 for item in held if item.condition and item.condition.value == "worn") >= 10
        # A periodical kept issue by issue, received over the last six years.
        issues = Counter(item.record_id for item in copies
                         if item.record.document_type is DocumentType.PERIODICAL)
        record_id, count = issues.most_common(1)[0]
        received = sorted(item.acquired_on for item in copies if item.record_id == record_id)
        assert count >= 12 and received[0] >= TODAY - dt.timedelta(days=6 * 366)
        assert (received[-1] - received[0]).days > 5 * 365
        # Old works of both poles, little or never used lately.
        uses = uses_by_item(session)
        for pole in ("pathway", "job_search"):
            stale = [item for item in held if pole in [p.value for p in item.record.poles]
                     and item.record.year <= TODAY.year - 10 and len(uses.get(item.id, [])) <= 2]
            assert len(stale) >= 2, pole

        # The default rules are installed and find candidates, with reasons of every kind.
        assert report.rules > 0
        assert session.scalar(select(func.count()).select_from(WeedingRule)) == report.rules
        now = dt.datetime.combine(TODAY, dt.time(12), dt.timezone.utc)
        reasons = {}
        for pole in ("pathway", "job_search"):
            flags = evaluate(session, scope={"poles": [pole]}, now=now)
            reasons[pole] = Counter(reason["code"] for flag in flags for reason in flag.reasons)
        assert {"age", "superseded", "no_use", "periodical_retention"} <= set(reasons["pathway"]), reasons
        assert {"age", "superseded", "no_use", "low_use", "condition"} <= set(reasons["job_search"]), reasons


def test_dates_are_deterministic_and_never_out_of_bounds():
    for status in ("available", "on_display", "processing"):
        for year in (2012, 2024, TODAY.year):
            for first in (None, dt.date(year, 3, 1)):
                for barcode in ("CM1", "CM2", "CM3"):
                    args = {"year": year, "status": status, "first": first, "today": TODAY}
                    day = acquisition_date(barcode, **args)
                    assert dt.date(year, 1, 1) <= day <= TODAY and day == acquisition_date(barcode, **args)
    received = [issue_received(f"CM{n}", number=n, latest=27, frequency="trimestriel", today=TODAY)
                for n in range(4, 28)]
    assert received == sorted(received) and received[-1] < TODAY
    assert 5 * 365 < (received[-1] - received[0]).days < 6 * 365


def test_a_second_load_adds_no_history_and_the_first_is_quick(demo):
    database, _, seconds = demo
    assert seconds < 60  # about 2 to 5 seconds; the README's first command runs it
    with database.session() as session:
        before = session.scalar(select(func.count()).select_from(ItemUse))
    with database.transaction() as session:
        again = load_demo(session, today=TODAY)
    assert (again.created, again.uses, again.rules) == (0, 0, 0)
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(ItemUse)) == before
