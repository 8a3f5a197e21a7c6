"""The named reports on the scheduler: one cron job per report, added by the
package that defines it (``register_jobs(scheduler, its reports)`` from its
own ``register_jobs``).

The job store pickles what it runs, so the job is the module-level
``scheduled_report`` with the report's name as its argument. Schedules are
read from the database when the scheduler starts, and again every
``SYNC_SECONDS`` (``sync_schedules``): a schedule a librarian changes on the
site reaches the running scheduler within minutes, and a report switched off
meanwhile is skipped when its time comes.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable

from core import jobs, mail
from core.db import utcnow
from core.reporting import Schedule, run, schedule_of
from core.reports import Report, get

log = logging.getLogger(__name__)

JOB_PREFIX = "report-"
SYNC_JOB_ID = "reports-sync"
SYNC_SECONDS = 300

# The reports this process's scheduler runs, by name, and that scheduler:
# what sync_schedules, a job without arguments, compares the database with.
_watched: dict[str, Report] = {}
_scheduler = None


def job_id(name: str) -> str:
    return JOB_PREFIX + name


def scheduled_report(name: str) -> None:
    """The job: run report ``name`` in one transaction, then send its mail
    in the background (the scheduler's mail job retries what fails)."""
    app = jobs.current_app()
    database = app.extensions["catalogue.db"]
    with database.transaction() as session:
        if not schedule_of(session, get(name)).active:
            log.info("Report %s is switched off: not run.", name)
            return
        done = run(session, name, trigger="schedule", site_url=app.config["SITE_URL"])
        summary = (done.id, done.row_count, len(done.mailed_to))
    log.info("Report %s: run %s, %s rows, mailed to %s recipients.", name, *summary)
    mail.send_soon(app)


def register_jobs(scheduler, reports: Iterable[Report]) -> None:
    """A cron job per active report, on its effective schedule (in the
    catalogue's time zone), and the job keeping them in step with the
    database. Raises ValueError on a crontab line the trigger refuses."""
    global _scheduler
    _scheduler = scheduler
    reports = list(reports)
    _watched.update((report.name, report) for report in reports)
    with scheduler.app.extensions["catalogue.db"].session() as session:
        schedules = [schedule_of(session, report) for report in reports]
    for schedule in schedules:
        if schedule.active:
            _add(scheduler, schedule)
    # Also once at start: a report switched off while the scheduler was down leaves the job store.
    scheduler.add_job(f"{__name__}:sync_schedules", "interval", seconds=SYNC_SECONDS, id=SYNC_JOB_ID,
                      name="Report schedules", replace_existing=True, misfire_grace_time=SYNC_SECONDS,
                      next_run_time=utcnow())


def _trigger(scheduler, schedule: Schedule):
    return jobs.cron_trigger(schedule.cron, scheduler.app.config["BABEL_DEFAULT_TIMEZONE"])


def _add(scheduler, schedule: Schedule) -> None:
    scheduler.add_job(f"{__name__}:scheduled_report", _trigger(scheduler, schedule), args=[schedule.name],
                      id=job_id(schedule.name), name=f"Report {schedule.name}", replace_existing=True)


def sync_schedules() -> None:
    """Add, move or remove report jobs whose schedule changed in the database."""
    scheduler = _scheduler
    if scheduler is None:
        return
    with jobs.current_app().extensions["catalogue.db"].session() as session:
        schedules = [schedule_of(session, report) for report in _watched.values()]
    for schedule in schedules:
        job = scheduler.get_job(job_id(schedule.name))
        try:
            if not schedule.active:
                if job is not None:
                    scheduler.remove_job(job.id)
                    log.info("Report %s switched off: its job is removed.", schedule.name)
            elif job is None or str(job.trigger) != str(_trigger(scheduler, schedule)):
                _add(scheduler, schedule)
                log.info("Report %s now runs on '%s'.", schedule.name, schedule.cron)
        except ValueError:  # a line saved before it was checked: keep the job as it is
            log.warning("Report %s: '%s' is not a crontab line; the schedule is kept.", schedule.name,
                        schedule.cron)
