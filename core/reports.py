"""Named reports: what they are, when they run, and every run kept.

A package registers its reports (``register``, from its ``init_app``) with a
function that reads the database and returns rows; ``report_schedules``
holds when each runs (a crontab line) and who receives it, as librarians set
them; and ``report_runs`` keeps every run with its rows, for the web page and
the CSV. Running, scheduling and mailing them: ``core.reporting``.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import JSON, Boolean, Integer, String
from sqlalchemy.orm import Mapped, Session, mapped_column

from core.db import Base, UTCDateTime, utcnow
from core.errors import NotFound
from core.i18n import N_


class ReportSchedule(Base):
    __tablename__ = "report_schedules"

    name: Mapped[str] = mapped_column(String(50), primary_key=True)
    cron: Mapped[str] = mapped_column(String(100))
    recipients: Mapped[list[str]] = mapped_column(JSON, default=list)
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    __mapper_args__ = {"version_id_col": version}


class ReportRun(Base):
    __tablename__ = "report_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    report: Mapped[str] = mapped_column(String(50), index=True)
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    trigger: Mapped[str] = mapped_column(String(20), default="manual")  # schedule, manual
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    row_count: Mapped[int] = mapped_column(Integer, default=0)
    columns: Mapped[list[str]] = mapped_column(JSON, default=list)
    rows: Mapped[list[list]] = mapped_column(JSON, default=list)
    mailed_to: Mapped[list[str]] = mapped_column(JSON, default=list)


@dataclass(frozen=True)
class Param:
    """A setting of a report, a whole number between ``low`` and ``high``
    (every report so far counts days or years)."""

    name: str
    default: int
    label: str  # N_
    low: int = 1
    high: int = 10_000

    def parse(self, value) -> int:
        """The value given (a number, or text typed in a form or a command),
        checked; ValueError carries the message id saying what is expected."""
        try:
            number = int(str(value).strip()) if not isinstance(value, bool) else None
        except ValueError:
            number = None
        if number is None or not self.low <= number <= self.high:
            raise ValueError(N_("Give a whole number from %(low)s to %(high)s."))
        return number


@dataclass(frozen=True)
class Report:
    """A named report. ``rows(session, params, now)`` returns the rows as
    dicts keyed by the columns' keys (dates and numbers are fine: the run
    stores them as JSON). ``cron`` is the default crontab line; the mail
    lists ``mail_columns`` under ``mail_header``, one message id giving
    their labels on one line."""

    name: str
    title: str  # N_
    description: str  # N_
    columns: tuple[tuple[str, str], ...]  # (key, label as N_)
    rows: Callable[[Session, dict, dt.datetime], Iterable[dict]]
    cron: str = "0 7 * * 1"
    params: tuple[Param, ...] = ()
    mail_columns: tuple[str, ...] = ()
    mail_header: str = ""  # N_
    empty: str = N_("No item matches today.")

    @property
    def keys(self) -> list[str]:
        return [key for key, _ in self.columns]

    def label_of(self, key: str) -> str:
        return dict(self.columns).get(key, key)

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)

    def defaults(self) -> dict:
        return {p.name: p.default for p in self.params}


class UnknownReport(NotFound):
    def __init__(self, name: str):
        super().__init__(N_("There is no report named %(name)s. The reports are: %(names)s."),
                         name=name, names=", ".join(names()))


_REGISTRY: dict[str, Report] = {}


def register(*reports: Report) -> None:
    """Make reports known by name. Registering a name again replaces it: an
    application built twice in one process (the tests) registers twice."""
    for report in reports:
        _REGISTRY[report.name] = report


def get(name: str) -> Report:
    """The report of that name; UnknownReport (a NotFound) otherwise."""
    try:
        return _REGISTRY[name]
    except (KeyError, TypeError):
        raise UnknownReport(str(name)) from None


def all() -> list[Report]:  # noqa: A001 - reports.all(), as the registry reads
    """Every report, in the order the packages registered them."""
    return list(_REGISTRY.values())


def names() -> list[str]:
    return list(_REGISTRY)
