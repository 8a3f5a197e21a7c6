"""Running the named reports (``core.reports``): their effective schedule,
a run kept with its rows, and the mail to the recipients.

A report needs no row in ``report_schedules`` to run: without one it runs on
its definition's defaults (its crontab line, its parameters, active, nobody
to mail). Librarians' changes (``ScheduleService``) write the row, versioned.

Every run is kept, and mailed to each recipient through the outbox
(``core.mail``) in the run's own transaction, even when it found nothing:
the mail then says so, which tells the recipients the report did run.
"""
from __future__ import annotations

import datetime as dt
import decimal
import enum
import re
from dataclasses import asdict, dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from core import jobs, mail
from core.db import utcnow
from core.errors import ValidationFailed, VersionConflict
from core.i18n import N_
from core.reports import Report, ReportRun, ReportSchedule, get
from core.services import Service

RUN_PATH = "/staff/reports/runs/%s"  # the run's page; add ".csv" for its rows as CSV
MAIL_ROWS = 20  # rows written out in the mail; the page and the CSV have them all
MAIL_VALUE_CHARS = 80
TRIGGERS = ("manual", "schedule")
MAX_RECIPIENTS = 50
_EMAIL = re.compile(r"^[^@\s,;]{1,64}@[^@\s.,;]+(\.[^@\s.,;]+)+$")

SUBJECT = N_("%(title_label)s: %(count)s on %(day)s")
SUBJECT_EMPTY = N_("%(title_label)s: nothing on %(day)s")
BODY = N_("%(description_label)s\n\n%(count)s found on %(day)s:\n\n%(header_label)s\n%(lines)s\n\n"
          "All of them as a CSV file: %(csv_url)s\nThe run's page:")
BODY_MORE = N_("%(description_label)s\n\n%(count)s found on %(day)s. The first %(shown)s:\n\n"
               "%(header_label)s\n%(lines)s\n\nAll of them as a CSV file: %(csv_url)s\nThe run's page:")
BODY_EMPTY = N_("%(description_label)s\n\n%(empty_label)s\n\nThe run's page:")


@dataclass(frozen=True)
class Schedule:
    """When a report runs and for whom; ``version`` 0 while it runs on its defaults."""

    name: str
    cron: str
    recipients: list[str]
    params: dict
    active: bool
    version: int

    def as_dict(self) -> dict:
        return asdict(self)


def schedule_of(session: Session, report: Report) -> Schedule:
    row = session.get(ReportSchedule, report.name)
    if row is None:
        return Schedule(report.name, report.cron, [], report.defaults(), True, 0)
    # A parameter dropped from the definition since is ignored; a new one takes its default.
    params = {**report.defaults(), **{k: v for k, v in (row.params or {}).items() if report.param(k)}}
    return Schedule(report.name, row.cron, list(row.recipients or []), params, row.active, row.version)


def last_runs(session: Session) -> dict[str, ReportRun]:
    """Each report's latest run, by report name."""
    latest = (select(ReportRun.report, func.max(ReportRun.id).label("id"))
              .group_by(ReportRun.report).subquery())
    query = select(ReportRun).join(latest, latest.c.id == ReportRun.id)
    return {r.report: r for r in session.scalars(query)}


def run(session: Session, name: str, *, trigger: str = "manual", params: dict | None = None,
        now: dt.datetime | None = None, site_url: str = "") -> ReportRun:
    """Run report ``name`` as of ``now`` (default: the present) with its
    schedule's parameters, overridden by ``params`` (checked: ValidationFailed
    names each bad one); store the run with its rows and queue its mail to
    each recipient. ``site_url`` makes the mail's CSV link absolute."""
    report = get(name)
    if trigger not in TRIGGERS:
        raise ValueError(f"trigger must be one of {TRIGGERS}")
    schedule = schedule_of(session, report)
    values = clean_params(report, params or {}, schedule.params)
    now = now or utcnow()
    started = utcnow()
    keys = report.keys
    rows = [[jsonable(row.get(key)) for key in keys] for row in report.rows(session, values, now)]
    done = ReportRun(report=name, started_at=started, trigger=trigger, params=values, columns=keys, rows=rows,
                     row_count=len(rows), mailed_to=list(schedule.recipients))
    session.add(done)
    session.flush()
    done.finished_at = utcnow()
    for recipient in done.mailed_to:
        _queue_mail(session, report, done, recipient, now, site_url)
    return done


def _queue_mail(session: Session, report: Report, done: ReportRun, recipient: str, now: dt.datetime,
                site_url: str) -> None:
    path = RUN_PATH % done.id
    params = {"title_label": report.title, "description_label": report.description, "count": done.row_count,
              "day": now.date().isoformat()}
    if not done.row_count:
        mail.queue(session, recipient, SUBJECT_EMPTY, BODY_EMPTY,
                   params={**params, "empty_label": report.empty}, link=path)
        return
    shown = report.mail_columns or tuple(report.keys)
    where = [done.columns.index(key) for key in shown]
    lines = "\n".join(" · ".join(_short(row[i]) for i in where) for row in done.rows[:MAIL_ROWS])
    params.update(header_label=report.mail_header or " · ".join(shown), lines=lines, shown=MAIL_ROWS,
                  csv_url=site_url.rstrip("/") + path + ".csv")
    body = BODY_MORE if done.row_count > MAIL_ROWS else BODY
    mail.queue(session, recipient, SUBJECT, body, params=params, link=path)


def _short(value) -> str:
    text = " ".join(str("—" if value in (None, "") else value).split())
    return text if len(text) <= MAIL_VALUE_CHARS else text[:MAIL_VALUE_CHARS - 1] + "…"


def jsonable(value):
    """A cell as JSON stores it: dates as ISO strings, amounts as strings,
    vocabulary values as their codes, lists joined with ", "."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, (list, tuple, set, frozenset)):
        return ", ".join(str(jsonable(v)) for v in value)
    return value


def clean_params(report: Report, given: dict, base: dict) -> dict:
    """``base`` with the parameters ``given`` (numbers or text), each checked;
    ValidationFailed on ``params.<name>`` for each bad or unknown one."""
    errors: dict[str, list[str]] = {}
    values = {**report.defaults(), **base}
    for key, raw in given.items():
        param = report.param(key)
        if param is None:
            errors[f"params.{key}"] = [N_("This report has no such setting.")]
            continue
        try:
            values[key] = param.parse(raw)
        except ValueError as error:
            errors[f"params.{key}"] = [str(error)]
    if errors:
        raise ValidationFailed(errors)
    return values


def parse_pairs(pairs) -> dict:
    """``["years=2", ...]`` (the command line's ``--param``) as a dict of text values."""
    values = {}
    for pair in pairs:
        key, sign, value = pair.partition("=")
        if not sign or not key.strip():
            raise ValidationFailed({"params": [N_("Write each setting as name=value, for example years=3.")]})
        values[key.strip()] = value.strip()
    return values


def clean_cron(line, errors: dict) -> str:
    line = " ".join(str(line or "").split())
    try:
        jobs.cron_trigger(line, "UTC")
    except (ValueError, TypeError):
        errors["cron"] = [N_("Write a crontab line of five fields: minute hour day month weekday, "
                             "for example 0 7 * * 1 for Mondays at 7:00.")]
    return line


def clean_recipients(value, errors: dict) -> list[str]:
    """Addresses given as a list, or as text split on commas, semicolons or spaces."""
    parts = value if isinstance(value, (list, tuple)) else re.split(r"[,;\s]+", str(value or ""))
    addresses = list(dict.fromkeys(str(p).strip() for p in parts if str(p).strip()))
    if any(len(a) > 254 or not _EMAIL.match(a) for a in addresses):
        errors["recipients"] = [N_("Give e-mail addresses such as name@example.org, separated by commas.")]
    elif len(addresses) > MAX_RECIPIENTS:
        errors["recipients"] = [N_("Fifty recipients at most: use a mailing list for more.")]
    return addresses


class ScheduleService(Service):
    """Librarians set when a report runs, for whom and with what parameters."""

    def save(self, name: str, data: dict, *, expected_version: int | None = None) -> Schedule:
        """Change the fields ``data`` holds (cron, recipients, params, active).
        ``expected_version`` is the version the editor saw (0: the defaults);
        another one is a VersionConflict, and so is a change saved meanwhile."""
        report = get(name)
        current = schedule_of(self.session, report)
        errors: dict[str, list[str]] = {}
        wanted = {"cron": clean_cron(data["cron"], errors) if "cron" in data else current.cron,
                  "recipients": (clean_recipients(data["recipients"], errors) if "recipients" in data
                                 else current.recipients),
                  "params": current.params, "active": bool(data.get("active", current.active))}
        if "params" in data:
            try:
                wanted["params"] = clean_params(report, dict(data["params"] or {}), current.params)
            except ValidationFailed as error:
                errors.update(error.fields)
        if errors:
            raise ValidationFailed(errors)
        if expected_version is not None and expected_version != current.version:
            raise self._conflict(current, wanted)
        before = {k: getattr(current, k) for k in wanted}
        row = self.session.get(ReportSchedule, name)
        try:
            with self.session.begin_nested():
                if row is None:
                    self.session.add(ReportSchedule(name=name, updated_at=self.clock(), **wanted))
                else:
                    for key, value in wanted.items():
                        setattr(row, key, value)
                    row.updated_at = self.clock()
        except (StaleDataError, IntegrityError):
            if row is not None:
                self.session.refresh(row)
            raise self._conflict(schedule_of(self.session, report), wanted) from None
        changes = {k: [before[k], v] for k, v in wanted.items() if before[k] != v}
        if changes:
            self.audit.log("report.schedule", "report_schedule", 0, record_id=None, label=name,
                           changes=changes)
        return schedule_of(self.session, report)

    def _conflict(self, current: Schedule, wanted: dict) -> VersionConflict:
        return VersionConflict(
            N_("Someone changed this report's schedule meanwhile: compare, then save again."),
            current=current.as_dict(), submitted=wanted)
