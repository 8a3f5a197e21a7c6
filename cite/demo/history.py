"""The demo collection's past, so that statistics and weeding show real
content out of the box: when each copy reached the shelves, when the
withdrawn ones left, and three years of in-house use.

The use is scaled from the real centre (about 103,000 consultations a year
for about 4,000 works) to the copies the demo holds, and shaped like it:
a few copies used a lot and some never; busy in September-October and
January-March, quiet in August; Tuesday to Saturday, never on Sundays;
old works and old editions less than new ones; nothing before a copy
arrived, after it was withdrawn or since it went missing.

Deterministic: each copy draws from a generator seeded by its barcode (its
work from one seeded by its title and match key), the days from one seeded
by ``today``, the day the demo is loaded as of, which every date is
counted back from (the works' publication years stay as works.json has
them).
"""
from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from sqlalchemy import bindparam, insert, update
from sqlalchemy.orm import Session

from catalogue.models import Item, ItemUse
from catalogue.vocab import DocumentType, ItemStatus, Library, SubscriptionStatus

REAL_USES_PER_YEAR = 103_000
REAL_WORKS = 4_000
YEARS = 3
SEED = "cite-demo-history"
UTC = dt.timezone.utc
# Guidance peaks when the school year starts and while Parcoursup, exams and
# spring recruitment are prepared; summer is quiet, August nearly empty.
SEASON = {1: 1.25, 2: 1.3, 3: 1.25, 4: 0.95, 5: 0.9, 6: 0.85, 7: 0.55, 8: 0.2, 9: 1.4, 10: 1.3, 11: 1.05,
          12: 0.7}
WEEKDAY = {1: 0.9, 2: 1.0, 3: 1.0, 4: 0.95, 5: 1.3}  # Tuesday to Saturday, as the observatory's days
CLOSED = {(1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25)}
HOURS = {10: 0.6, 11: 0.9, 12: 0.7, 13: 0.8, 14: 1.2, 15: 1.3, 16: 1.2, 17: 0.8}  # local time
# How often a copy is taken from the shelf, by kind: job sheets are the
# centre's most handled documents; websites are opened from the kiosks.
APPEAL = {DocumentType.JOB_SHEET: 1.4, DocumentType.BOOK: 1.0, DocumentType.PERIODICAL: 1.0,
          DocumentType.DIPLOMA_FRAMEWORK: 0.7, DocumentType.CD_DVD: 0.35, DocumentType.AUDIOVISUAL: 0.4,
          DocumentType.WEBSITE: 0.3, DocumentType.OTHER: 0.5, DocumentType.EXAM_GUIDE: 1.2,
          DocumentType.DIRECTORY: 0.6, DocumentType.TRAINING_DATABASE: 0.3, DocumentType.JOB_BOARD: 0.3}
EVERY = {"hebdomadaire": 7, "mensuel": 30, "bimestriel": 61, "trimestriel": 91}  # days between issues


def _rng(*parts) -> random.Random:
    return random.Random(":".join([SEED, *map(str, parts)]))


def acquisition_date(barcode: str, *, year: int | None, status: str, first: dt.date | None,
                     today: dt.date) -> dt.date:
    """When a copy reached the centre: a new work a few weeks after it came
    out, a further copy of it the same day or later when it was in demand,
    copies in processing or on the new-titles stand in the last weeks.
    Never before the publication year, never after ``today``."""
    rng = _rng("acquired", barcode)
    floor = dt.date(year, 1, 1) if year else dt.date(today.year - 5, 1, 1)
    if status == ItemStatus.PROCESSING.value:
        day = today - dt.timedelta(days=rng.randint(4, 75))
    elif status == ItemStatus.ON_DISPLAY.value:
        day = today - dt.timedelta(days=rng.randint(7, 80))
    elif first is not None:
        span = max(0, min(720, (today - first).days))
        day = first + dt.timedelta(days=rng.randint(min(60, span), span) if rng.random() < 0.6 else 0)
    else:  # out some day of the year (the year so far), bought a few weeks later
        out = rng.randint(0, max(0, min(250, (today - floor).days)))
        day = floor + dt.timedelta(days=out + int(rng.expovariate(1 / 35)))
    return min(max(day, floor), today)


def issue_received(barcode: str, *, number: int, latest: int, frequency: str | None,
                   today: dt.date) -> dt.date:
    """The day a periodical's issue ``number`` arrived, the ``latest`` a few days ago."""
    every = EVERY.get((frequency or "").strip().lower(), 91)
    return today - dt.timedelta(days=(latest - number) * every + _rng("issue", barcode).randint(3, 20))


def withdrawal_time(barcode: str, *, acquired: dt.date, today: dt.date) -> dt.datetime:
    """When a demo copy withdrawn before the story began left the shelves:
    within the last two years, and at least a year after it arrived."""
    day = today - dt.timedelta(days=_rng("withdrawn", barcode).randint(40, 730))
    day = min(max(day, acquired + dt.timedelta(days=365)), today)
    return dt.datetime.combine(day, dt.time(9, 30), UTC)


@dataclass
class History:
    uses: int = 0
    per_year: int = 0  # the target: the real centre's rate scaled to the copies held
    copies: int = 0


@dataclass
class _Copy:
    item_id: int
    weight: float       # how much this copy is in demand, all else equal
    year: int           # publication year
    acquired: dt.date
    until: dt.date | None  # withdrawn or missing since: no use from that day
    newer_from: dt.date | None = None  # a newer edition on the shelves since
    issue: bool = False  # a periodical's issue: read while it is news


def load_history(session: Session, items: list[Item], *, today: dt.date, recorded_by_id: int | None = None,
                 issues: frozenset[int] = frozenset(), demand: dict[int, float] | None = None) -> History:
    """Write three years of use (the days before ``today``) for the centre's
    ``items`` (demo copies just created, with their acquisition dates set)
    and keep each copy's use count and last use in step. ``issues``: the ids
    of copies that stand for a periodical's issues; ``demand``: a factor on
    some copies' demand, by id, as works.json sets it (0: never taken).
    Inserted in bulk: this is history, not staff actions, so there is no
    audit entry per scan."""
    history = History()
    copies = _copies(items, today, issues, demand or {})
    held = [i for i in items if i.library is Library.CITE and i.status is not ItemStatus.WITHDRAWN]
    history.copies = len(held)
    history.per_year = round(REAL_USES_PER_YEAR / REAL_WORKS * len(held))
    if not copies or not history.per_year:
        return history
    rng = _rng("days", today.isoformat())
    hours, hour_weights = list(HOURS), list(HOURS.values())
    rows, counts, last = [], {}, {}
    for start in (today - dt.timedelta(days=365 * n) for n in range(YEARS, 0, -1)):
        days = [start + dt.timedelta(days=n) for n in range(365)]
        busy = {day: SEASON[day.month] * WEEKDAY[day.weekday()] * rng.uniform(0.75, 1.25)
                for day in days if _open(day)}
        scale = history.per_year / sum(busy.values())
        for day, weight in busy.items():
            mean = weight * scale
            wanted = int(mean) + (rng.random() < mean - int(mean))
            shelf = [(copy.item_id, w) for copy in copies if (w := _demand(copy, day)) > 0]
            if not wanted or not shelf:
                continue
            offset = 2 if 4 <= day.month <= 10 else 1  # Paris summer and winter time, near enough
            taken = rng.choices([i for i, _ in shelf], [w for _, w in shelf], k=wanted)
            for item_id, hour in zip(taken, rng.choices(hours, hour_weights, k=wanted)):
                at = dt.datetime(day.year, day.month, day.day, hour - offset, rng.randrange(60),
                                 rng.randrange(60), tzinfo=UTC)
                rows.append({"item_id": item_id, "used_at": at, "recorded_by_id": recorded_by_id,
                             "tallied": False})
                counts[item_id] = counts.get(item_id, 0) + 1
                last[item_id] = max(last.get(item_id, at), at)
    if rows:
        session.execute(insert(ItemUse), rows)
        # Counting a use is not an edit: the copies' versions stay (as in UseService).
        table = Item.__table__
        session.execute(update(table).where(table.c.id == bindparam("item"))
                        .values(use_count=bindparam("uses"), last_used_at=bindparam("last")),
                        [{"item": i, "uses": n, "last": last[i]} for i, n in counts.items()])
        for item in items:
            session.expire(item, ["use_count", "last_used_at"])
    history.uses = len(rows)
    return history


def _open(day: dt.date) -> bool:
    return day.weekday() in WEEKDAY and (day.month, day.day) not in CLOSED


def _copies(items: list[Item], today: dt.date, issues: frozenset[int],
            demand: dict[int, float]) -> list[_Copy]:
    """The centre's copies that can have been used, with their demand: copies
    of one work share its popularity (log-normal: a few works used a lot),
    and some works, the older ones more often, are simply never taken."""
    copies = []
    for item in items:
        record = item.record
        shelved = item.library is Library.CITE and item.status is not ItemStatus.PROCESSING
        if not shelved or item.acquired_on is None:
            continue
        year = record.year or item.acquired_on.year
        work = _rng("work", record.title, record.match_key or record.id)
        popularity = work.lognormvariate(0, 0.9)
        if item.id not in issues and work.random() < min(0.5, 0.05 + 0.035 * max(0, today.year - year - 4)):
            popularity = 0.0
        weight = popularity * APPEAL.get(record.document_type, 0.5) * demand.get(item.id, 1.0)
        weight *= _rng("copy", item.barcode).uniform(0.7, 1.3)
        if record.subscription_status is SubscriptionStatus.ENDED:
            weight *= 0.1  # an ended run is read in the stacks now and then
        until = item.withdrawn_at.date() if item.withdrawn_at else None
        if item.status is ItemStatus.MISSING:
            missing = today - dt.timedelta(days=_rng("missing", item.barcode).randint(30, 240))
            until = max(item.acquired_on, missing)
        copies.append(_Copy(item.id, weight, year, item.acquired_on, until, issue=item.id in issues))
    _date_newer_editions(items, copies)
    return copies


def _date_newer_editions(items: list[Item], copies: list[_Copy]) -> None:
    """From the day a later edition of a work (the match key without its
    year) reaches the shelves, visitors take that one instead."""
    by_id = {item.id: item for item in items}
    first: dict[tuple[str, int], dt.date] = {}
    for copy in copies:
        key = (by_id[copy.item_id].record.match_key or "").rstrip("0123456789")
        if key:
            first[key, copy.year] = min(first.get((key, copy.year), copy.acquired), copy.acquired)
    for copy in copies:
        key = (by_id[copy.item_id].record.match_key or "").rstrip("0123456789")
        newer = [day for (other, year), day in first.items() if other == key and year > copy.year]
        copy.newer_from = min(newer) if newer else None


def _demand(copy: _Copy, day: dt.date) -> float:
    """How much ``copy`` is in demand on ``day`` (0: it is not on the shelves)."""
    if day < copy.acquired or (copy.until is not None and day >= copy.until) or not copy.weight:
        return 0.0
    if copy.issue:  # news for a few months, then a back issue
        return copy.weight * 0.5 ** ((day - copy.acquired).days / 180)
    weight = copy.weight * max(0.01, 0.78 ** max(0, day.year - copy.year - 1))
    if (day - copy.acquired).days < 120:
        weight *= 1.8  # on the new-titles stand, then shown by the counsellors
    if copy.newer_from is not None and day >= copy.newer_from:
        weight *= 0.15
    return weight
