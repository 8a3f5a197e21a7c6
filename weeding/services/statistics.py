"""Use statistics: every scan (``catalogue.models.ItemUse``) folded into
monthly tallies (``weeding.models.UseTally``) along four dimensions, and
the figures read back from those tallies.

A scan is counted once under ``total``, under each pole of its work (a work
of two poles counts in both; one of none under the pole ""), under its
work's document type, and under every portal whose base filter admits the
work. Reading folds what is pending first, so the figures are always those
of the last scan, while a million scans read as fast as a thousand.
"""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import false, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from catalogue.models import Item, ItemUse, Record, RecordAudience, RecordDescriptor, RecordPole
from catalogue.vocab import DocumentType, ItemStatus
from core.errors import ValidationFailed
from core.i18n import N_
from core.vocab import Pole
from search.models import Portal
from search.projection import year_range
from thesaurus.indexing import descendants
from weeding.models import UseTally
from weeding.services.profile import PROFILES, age_profile  # noqa: F401  (the statistics read both)

BY = ("month", "pole", "document_type", "portal")
# The facets of a portal's base filter a scan's work is judged on; the
# others (availability) change by the hour and say nothing of what was read.
PORTAL_FACETS = ("pole", "document_type", "audience", "language", "year_range", "library")
MAX_MONTHS = 600  # fifty years: longer periods are a typing slip, not a question
CHUNK = 5000  # ids per IN list: under SQLite's limit of bound parameters
FOLD_LOCK = 0x7EED_7A11  # PostgreSQL advisory lock: one fold at a time
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class Consultations:
    """Uses over a period. ``rows``: (value, uses); for ``by="month"`` every
    month of the period in order (value: its first day), otherwise each
    value most used first (known poles, types and portals included at 0).
    ``total``: every use of the period, each counted once."""
    by: str
    start: dt.date
    end: dt.date
    rows: list[tuple]
    total: int


# ---------------------------------------------------------------- months

def month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(month: dt.date, count: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + count
    return dt.date(index // 12, index % 12 + 1, 1)


def months(start: dt.date, end: dt.date) -> list[dt.date]:
    """Every month from ``start``'s to ``end``'s, both included."""
    first, last = month_of(start), month_of(end)
    span = (last.year - first.year) * 12 + last.month - first.month
    return [add_months(first, n) for n in range(span + 1)]


def parse_month(text: str | None) -> dt.date | None:
    """"2025-03" -> 2025-03-01; None for anything else."""
    match = _MONTH.match((text or "").strip())
    if not match or not 1 <= int(match[2]) <= 12 or int(match[1]) < 1:
        return None
    return dt.date(int(match[1]), int(match[2]), 1)


def period(start: str | None, end: str | None, today: dt.date, *, default_months: int = 36) -> tuple:
    """The (first, last) months typed as YYYY-MM; either left empty means the
    last ``default_months`` months up to ``today``'s. Raises ValidationFailed
    on fields ``from`` and ``to``."""
    last = month_of(today)
    first = add_months(last, 1 - default_months)
    errors: dict[str, list[str]] = {}
    for name, text in (("from", start), ("to", end)):
        if text:
            month = parse_month(text)
            if month is None:
                errors[name] = [N_("Give a month as year-month, for example 2025-03.")]
            elif name == "from":
                first = month
            else:
                last = month
    if not errors:
        _check_period(first, last)
    if errors:
        raise ValidationFailed(errors)
    return first, last


def _check_period(first: dt.date, last: dt.date) -> None:
    if first > last:
        raise ValidationFailed({"to": [N_("The period ends before it starts: swap the two months.")]})
    if (last.year - first.year) * 12 + last.month - first.month >= MAX_MONTHS:
        raise ValidationFailed({"from": [N_("Choose a period of at most fifty years.")]})


# ---------------------------------------------------------------- folding

def pending(session: Session) -> bool:
    """Is any scan not yet tallied? One step on the partial index. Writes
    nothing: the session's pending changes are not flushed."""
    with session.no_autoflush:
        return session.scalar(select(ItemUse.id).where(ItemUse.tallied == false()).limit(1)) is not None


def fold_tallies(session: Session, *, batch: int = 50_000) -> int:
    """Fold every untallied scan into the monthly tallies and mark it
    tallied; the number of scans folded. Flushes, never commits.

    Scans are claimed ``batch`` at a time by one UPDATE ... RETURNING that
    only takes rows still untallied, so two folds at once (the scheduler and
    a reader) never count a scan twice; on PostgreSQL an advisory lock also
    queues the second behind the first, whose tallies it would otherwise
    wait on row by row (and could deadlock with)."""
    session.flush()
    if not pending(session):
        return 0
    connection = session.connection()
    postgres = connection.dialect.name == "postgresql"
    if postgres:
        connection.execute(select(func.pg_advisory_xact_lock(FOLD_LOCK)))
    table = ItemUse.__table__
    month = func.to_char(table.c.used_at, "YYYY-MM") if postgres else func.substr(table.c.used_at, 1, 7)
    uses: Counter = Counter()  # (month "YYYY-MM", item id) -> scans
    while True:
        claim = (select(table.c.id).where(table.c.tallied == false()).order_by(table.c.id).limit(batch))
        claimed = connection.execute(
            update(table).where(table.c.id.in_(claim), table.c.tallied == false())
            .values(tallied=True).returning(month, table.c.item_id)).all()
        uses.update(map(tuple, claimed))
        if len(claimed) < batch:
            break
    if not uses:
        return 0
    keys = _keys_of_items(connection, {item_id for _, item_id in uses})
    tallies: Counter = Counter()
    for (month_text, item_id), count in uses.items():
        for dimension, value in keys.get(item_id, (("total", ""),)):
            tallies[month_text, dimension, value] += count
    _add(connection, postgres, tallies)
    return sum(uses.values())


def _add(connection, postgres: bool, tallies: Counter) -> None:
    insert = (postgresql if postgres else sqlite).insert(UseTally.__table__)
    statement = insert.on_conflict_do_update(
        index_elements=["month", "dimension", "value"],
        set_={"uses": UseTally.__table__.c.uses + insert.excluded.uses})
    dates = {text: dt.date(int(text[:4]), int(text[5:7]), 1) for text, _, _ in tallies}
    # In key order: two writers taking the same rows in the same order cannot deadlock.
    connection.execute(statement, [{"month": dates[m], "dimension": d, "value": v, "uses": n}
                                   for (m, d, v), n in sorted(tallies.items())])


def _keys_of_items(connection, item_ids: set[int]) -> dict[int, list[tuple[str, str]]]:
    """item id -> the (dimension, value) pairs a scan of it counts under."""
    portals = []
    for slug, base_filter in connection.execute(select(Portal.slug, Portal.base_filter)).all():
        wanted = {f: set(map(str, v)) for f, v in (base_filter or {}).items() if f in PORTAL_FACETS and v}
        subjects = {int(v) for v in (base_filter or {}).get("concept", ()) if str(v).isdigit()}
        if subjects:  # a portal's subjects keep their narrower concepts too, as its searches do
            wanted["concept"] = set(map(str, subjects | descendants(connection, subjects)))
        portals.append((slug, wanted))
    needed = {facet for _, wanted in portals for facet in wanted}
    records: dict[int, dict[str, set]] = {}
    record_of: dict[int, int] = {}
    for part in _chunks(sorted(item_ids)):
        rows = connection.execute(select(Item.id, Item.record_id, Record.document_type, Record.year,
                                         Record.languages)
                                  .join(Record, Record.id == Item.record_id).where(Item.id.in_(part))).all()
        for item_id, record_id, document_type, year, languages in rows:
            record_of[item_id] = record_id
            records.setdefault(record_id, {
                "pole": set(), "document_type": {_code(document_type)}, "audience": set(),
                "language": set(languages or ()),
                "year_range": {year_range(year)} - {None}, "library": set(), "concept": set()})
    record_ids = sorted(records)
    facets = [("pole", select(RecordPole.record_id, RecordPole.pole), RecordPole.record_id)]
    if "audience" in needed:
        facets.append(("audience", select(RecordAudience.record_id, RecordAudience.audience),
                       RecordAudience.record_id))
    if "concept" in needed:
        facets.append(("concept", select(RecordDescriptor.record_id, RecordDescriptor.concept_id),
                       RecordDescriptor.record_id))
    if "library" in needed:  # as the search document has it: the libraries holding a copy
        held = select(Item.record_id, Item.library).where(Item.status != ItemStatus.WITHDRAWN)
        facets.append(("library", held, Item.record_id))
    for facet, query, column in facets:
        for part in _chunks(record_ids):
            for record_id, value in connection.execute(query.where(column.in_(part))).all():
                records[record_id][facet].add(str(_code(value)))
    by_record = {}
    for record_id, values in records.items():
        keys = [("total", "")] + [("pole", pole) for pole in sorted(values["pole"]) or [""]]
        keys += [("document_type", value) for value in values["document_type"]]
        keys += [("portal", slug) for slug, wanted in portals
                 if all(values[facet] & allowed for facet, allowed in wanted.items())]
        by_record[record_id] = keys
    return {item_id: by_record[record_id] for item_id, record_id in record_of.items()}


def _chunks(values: list) -> list[list]:
    return [values[n:n + CHUNK] for n in range(0, len(values), CHUNK)]


def _code(value) -> str:
    return getattr(value, "value", value)


# ---------------------------------------------------------------- reading

def consultations(session: Session, *, by: str, start: dt.date, end: dt.date,
                  fold: bool = True) -> Consultations:
    """Uses from ``start``'s month to ``end``'s, both included, per month or
    per pole, document type or portal (slug), read from the tallies alone.
    ``fold``: fold what is pending first (a writing session); the web folds
    in a transaction of its own instead (``read_current``)."""
    if by not in BY:
        raise ValidationFailed({"by": [N_("Choose month, pole, document type or portal.")]})
    first, last = month_of(start), month_of(end)
    _check_period(first, last)
    if fold:
        fold_tallies(session)
    dimension = "total" if by == "month" else by
    period_of = (UseTally.month >= first, UseTally.month <= last)
    total = session.scalar(select(func.coalesce(func.sum(UseTally.uses), 0))
                           .where(UseTally.dimension == "total", *period_of))
    if by == "month":
        counts = dict(session.execute(select(UseTally.month, UseTally.uses)
                                      .where(UseTally.dimension == "total", *period_of)).all())
        rows = [(month, counts.get(month, 0)) for month in months(first, last)]
    else:
        counts = defaultdict(int, session.execute(
            select(UseTally.value, func.sum(UseTally.uses)).where(UseTally.dimension == dimension, *period_of)
            .group_by(UseTally.value)).all())
        for value in _known(session, by):
            counts[value] += 0
        rows = sorted(((value, int(uses)) for value, uses in counts.items()),
                      key=lambda row: (-row[1], row[0]))
    return Consultations(by, first, last, rows, int(total))


def _known(session: Session, by: str) -> list[str]:
    if by == "pole":
        return Pole.values()
    if by == "document_type":
        return DocumentType.values()
    return list(session.scalars(select(Portal.slug)))


def read_current(database, session: Session, read: Callable[[Session], object]):
    """``read(session)`` on current tallies, for the web. When scans are
    pending they are folded in a short writing transaction of ``database``
    (a core.db.Database), and read there: on SQLite a reading request's
    session cannot safely turn into a writer, and its snapshot predates the
    fold. A session that holds changes (an API token's hourly stamp) writes
    anyway: it folds itself, as a second writer would wait on its lock."""
    if not pending(session):
        return read(session)
    if session.new or session.dirty or session.deleted:
        fold_tallies(session)
        return read(session)
    with database.transaction() as writer:
        fold_tallies(writer)
        return read(writer)
