"""The demand observatory: what visitors look for, anonymously.

Only counts are kept: per day and portal (SearchDay), and per day, portal,
pole and normalised query (QueryCount), each with how many found nothing.
No address, session, time of day or order of searches: nothing tells one
visitor from another. A query is normalised (folded, spaces collapsed, cut
at 100 characters) so that "Formation " and "formation" count together.
"""
from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from core.text import fold
from search.models import QueryCount, SearchDay

log = logging.getLogger(__name__)

MAX_QUERY = 100


@dataclass(frozen=True)
class SearchEvent:
    """One search, as the observatory keeps it."""
    day: dt.date
    portal: str      # the portal's slug, "" for the main catalogue
    pole: str        # the portal's pole, "" for none
    query: str       # normalised
    found: bool


def normalise(text: str | None) -> str:
    return fold(text or "")[:MAX_QUERY].strip()


def record_search(session: Session, event: SearchEvent, times: int = 1, zero_times: int | None = None) -> None:
    """Add ``times`` searches like ``event`` to the day's counts (an upsert on
    both tables; flushes). ``zero_times``: how many found nothing (default:
    all of them when the event found nothing)."""
    zero = (0 if event.found else times) if zero_times is None else zero_times
    _upsert(session, SearchDay, {"day": event.day, "portal": event.portal}, times, zero)
    if event.query:  # browsing a portal or facets without words is not a query
        _upsert(session, QueryCount, {"day": event.day, "portal": event.portal, "pole": event.pole,
                                      "query": event.query}, times, zero)


class BufferedRecorder:
    """The web's recorder: counts searches in memory and writes them, summed,
    at most every ``interval`` seconds, in one short transaction of its own.

    A write per search would serialise concurrent visitors on the database's
    write lock; summed counts are all the observatory keeps anyway. Counts
    are written every ``interval`` seconds (by the first search after it,
    or by a timer thread when no search comes: with several server
    processes, an idle one must not sit on its counts), by the staff page
    before it reads, and when `catalogue serve` stops; a process killed
    outright loses at most those of the last ``interval`` seconds.
    """

    def __init__(self, database, *, interval: float = 10.0, clock=time.monotonic):
        self.database = database
        self.interval = interval
        self.clock = clock
        self._pending: Counter = Counter()
        self._lock = threading.Lock()
        self._last = clock()
        self._timer: threading.Thread | None = None
        self._stopped = threading.Event()

    def __call__(self, event: SearchEvent) -> None:
        with self._lock:
            self._pending[event] += 1
            due = self.clock() - self._last >= self.interval
            if self._timer is None:  # started on first use: commands that never search need none
                self._timer = threading.Thread(target=self._tick, name="observatory-flush", daemon=True)
                self._timer.start()
        if due:
            self.flush()

    def _tick(self) -> None:
        while not self._stopped.wait(self.interval):
            self.flush()

    def close(self) -> None:
        """Stop the timer and write what is pending."""
        self._stopped.set()
        self.flush()

    def flush(self) -> None:
        with self._lock:
            pending, self._pending, self._last = self._pending, Counter(), self.clock()
        if not pending:
            return
        try:
            with self.database.transaction() as session:
                for event, times in sorted(pending.items(), key=lambda item: repr(item[0])):
                    record_search(session, event, times)
        except SQLAlchemyError:
            log.warning("%s searches could not be counted in the observatory.", sum(pending.values()),
                        exc_info=True)


def _upsert(session: Session, model, key: dict, times: int, zero: int) -> None:
    # INSERT ... ON CONFLICT DO UPDATE exists on both backends, with the same
    # shape in SQLAlchemy: one statement, no lost count between two requests.
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(model).values(**key, searches=times, zero_results=zero)
    statement = statement.on_conflict_do_update(
        index_elements=list(key),
        set_={"searches": model.searches + times, "zero_results": model.zero_results + zero})
    session.execute(statement)


@dataclass(frozen=True)
class DayCount:
    day: dt.date
    searches: int
    zero_results: int


@dataclass(frozen=True)
class QueryFigure:
    query: str
    searches: int
    zero_results: int


@dataclass
class Observatory:
    """The figures of a period: searches per day (every day of the period,
    zeros included, for the chart) and the top queries per pole."""
    start: dt.date
    end: dt.date
    days: list[DayCount]
    top: dict[str, list[QueryFigure]]          # pole ("" = none) -> most searched
    top_zero: dict[str, list[QueryFigure]]     # pole -> most searched among those that found nothing

    @property
    def searches(self) -> int:
        return sum(d.searches for d in self.days)

    @property
    def zero_results(self) -> int:
        return sum(d.zero_results for d in self.days)


def observatory(session: Session, start: dt.date, end: dt.date, *, portal: str | None = None,
                limit: int = 20) -> Observatory:
    """The figures from ``start`` to ``end`` included; ``portal`` (a slug, ""
    for the main catalogue) narrows them to one entry point."""
    day_query = (select(SearchDay.day, func.sum(SearchDay.searches), func.sum(SearchDay.zero_results))
                 .where(SearchDay.day >= start, SearchDay.day <= end).group_by(SearchDay.day))
    query_rows = (select(QueryCount.pole, QueryCount.query, func.sum(QueryCount.searches).label("searches"),
                         func.sum(QueryCount.zero_results).label("zero"))
                  .where(QueryCount.day >= start, QueryCount.day <= end)
                  .group_by(QueryCount.pole, QueryCount.query))
    if portal is not None:
        day_query = day_query.where(SearchDay.portal == portal)
        query_rows = query_rows.where(QueryCount.portal == portal)
    counted = {day: (int(searches or 0), int(zero or 0)) for day, searches, zero in session.execute(day_query)}
    days = [DayCount(day, *counted.get(day, (0, 0)))
            for day in (start + dt.timedelta(n) for n in range((end - start).days + 1))]
    by_pole: dict[str, list[QueryFigure]] = defaultdict(list)
    for pole, text, searches, zero in session.execute(query_rows):
        by_pole[pole].append(QueryFigure(text, int(searches), int(zero)))
    top = {pole: sorted(rows, key=lambda r: (-r.searches, r.query))[:limit] for pole, rows in by_pole.items()}
    top_zero = {pole: sorted((r for r in rows if r.zero_results), key=lambda r: (-r.zero_results, r.query))[:limit]
                for pole, rows in by_pole.items()}
    return Observatory(start, end, days, top, {pole: rows for pole, rows in top_zero.items() if rows})
