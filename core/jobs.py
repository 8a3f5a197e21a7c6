"""Plumbing of scheduled jobs, shared by every package's ``register_jobs``.

A job is a plain module-level function without arguments, because the job
store (a database table) pickles what it runs. It finds the application it
runs in with ``current_app()``: ``catalogue scheduler`` binds its own before
starting, once per process. Missed runs are coalesced into one, one run of a
job at a time, and a run missed while the scheduler was down still happens if
it is less than ``MISFIRE_GRACE_SECONDS`` late (each job may ask for less).
"""
from __future__ import annotations

from apscheduler.triggers.cron import CronTrigger

MISFIRE_GRACE_SECONDS = 6 * 3600

_bound = None


def bind(app) -> None:
    """Make ``app`` the application that jobs of this process run in."""
    global _bound
    _bound = app


def current_app():
    """The application jobs run in (see ``bind``)."""
    if _bound is None:
        raise RuntimeError("No application is bound for jobs: they run under `catalogue scheduler`, "
                           "which binds one (core.jobs.bind).")
    return _bound


CRON_DAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun")


def cron_trigger(expression: str, timezone) -> CronTrigger:
    """A CronTrigger from a standard crontab line.

    APScheduler 3 reads day-of-week numbers from Monday = 0, where crontab
    says Sunday = 0 (or 7): numbers are turned into day names first.
    """
    fields = expression.split()
    if len(fields) != 5:
        raise ValueError(f"{expression!r} is not a crontab line (five fields: minute hour day month weekday)")
    fields[4] = _weekday_names(fields[4])
    return CronTrigger.from_crontab(" ".join(fields), timezone=timezone)


def _weekday_names(field: str) -> str:
    days: list[int] = []
    for part in field.split(","):
        body, slash, step = part.partition("/")
        try:
            if body == "*":
                low, high = 0, 6
            elif "-" in body:
                low, high = (int(x) for x in body.split("-", 1))
            else:
                low = high = int(body)
                if slash:
                    high = 6
            days += range(low, high + 1, int(step) if slash else 1)
        except ValueError:
            return field  # names (mon-fri...): APScheduler reads them as crontab does
    if field == "*" or not days:
        return field
    if any(not 0 <= day <= 7 for day in days):
        raise ValueError(f"{field!r}: days of the week go from 0 to 7 (0 and 7 are Sunday)")
    return ",".join(dict.fromkeys(CRON_DAYS[day] for day in days))
