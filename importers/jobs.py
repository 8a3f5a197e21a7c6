"""Background jobs: the nightly OAI-PMH harvest, the search outbox drain,
and the scheduler that runs them.

``catalogue scheduler`` runs APScheduler's BlockingScheduler in its own
process, apart from the web server: one harvest at a time (max_instances=1),
missed runs collapsed into one (coalesce) and still run if the scheduler was
down for less than MISFIRE_GRACE_SECONDS. Jobs live in the database
(table ``apscheduler_jobs``, created by APScheduler, not by our migrations).
"""
from __future__ import annotations

import logging
from pathlib import Path

from .oai.harvester import Harvester, HarvestReport, default_source
from .oai.http import HttpFetch, RetryPolicy

log = logging.getLogger(__name__)

JOB_ID = "nightly-harvest"
DRAIN_JOB_ID = "search-drain"
DRAIN_SECONDS = 60
JOBS_TABLE = "apscheduler_jobs"
MISFIRE_GRACE_SECONDS = 6 * 3600


class NothingToHarvest(Exception):
    pass


def nightly_harvest(app, *, url: str | None = None, metadata_prefix: str | None = None,
                    set_spec: str | None = None, from_date: str | None = None, source: str | None = None,
                    progress=None, retry: RetryPolicy | None = None) -> HarvestReport:
    """Harvest ``url``, or the repository of the CATALOGUE_HARVEST_* settings.

    The settings' set and source apply only to the configured repository;
    an explicit ``url`` takes its options from the arguments alone.
    """
    config = app.config
    configured = url is None or url == config["HARVEST_URL"]
    url = url or config["HARVEST_URL"]
    if not url:
        raise NothingToHarvest("No repository to harvest: give a URL or set CATALOGUE_HARVEST_URL.")
    if configured:
        set_spec = set_spec or config["HARVEST_SET"]
        source = source or config["HARVEST_SOURCE"]
    harvester = Harvester(
        app.extensions["catalogue.db"],
        fetch=HttpFetch(timeout=config["HARVEST_TIMEOUT_SECONDS"]),
        retry=retry or RetryPolicy(attempts=config["HARVEST_ATTEMPTS"]),
        rejects_dir=Path(config["INSTANCE_DIR"]) / "rejects",
        rules=config.get("IMPORT_MATCH_RULES"),  # CATALOGUE_IMPORT_MATCH_RULES, as `catalogue import`
    )
    return harvester.harvest(url, metadata_prefix or config["HARVEST_PREFIX"], set_spec=set_spec,
                             from_date=from_date, source=source or default_source(url), progress=progress)


def scheduled_harvest() -> None:
    """The scheduled job. It takes no arguments because the job store pickles
    them, and builds its app from the environment, as the scheduler did."""
    from catalogue import create_app

    from search.indexer import drain_quietly

    app = create_app()
    try:
        report = nightly_harvest(app)
        # Harvested works are searchable at once, not a minute later.
        drain_quietly(app.extensions["catalogue.db"], app.extensions["catalogue.search"])
    finally:
        app.extensions["catalogue.search"].close()
        app.extensions["catalogue.db"].dispose()
    if report.error:
        log.error("Harvest of %s stopped: %s (run %s)", report.url, report.error, report.run_id)
    else:
        log.info("Harvest of %s: %s read, %s created, %s updated, %s unchanged, %s rejected (run %s)",
                 report.url, report.read, report.created, report.updated, report.unchanged,
                 report.rejected, report.run_id)


_drain_app = None


def scheduled_drain() -> None:
    """The safety net of the search outbox: whatever an after-commit drain
    missed (the cluster was down, a process died) is indexed within a minute.
    Keeps its app between runs: building one every minute costs more than
    the drain."""
    global _drain_app
    from catalogue import create_app
    from search.indexer import drain_quietly

    if _drain_app is None:
        _drain_app = create_app()
    handled = drain_quietly(_drain_app.extensions["catalogue.db"], _drain_app.extensions["catalogue.search"])
    if handled:
        log.info("Search index: %s queued works indexed.", handled)


def build_scheduler(app):
    """A BlockingScheduler holding the nightly harvest (when
    CATALOGUE_HARVEST_URL is set) and the search drain (every minute), not
    started."""
    from apscheduler.events import EVENT_SCHEDULER_STARTED
    from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
    from apscheduler.schedulers.blocking import BlockingScheduler

    timezone = app.config["BABEL_DEFAULT_TIMEZONE"]
    scheduler = BlockingScheduler(
        jobstores={"default": SQLAlchemyJobStore(engine=app.extensions["catalogue.db"].engine,
                                                 tablename=JOBS_TABLE)},
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": MISFIRE_GRACE_SECONDS},
        timezone=timezone,
    )
    if app.config["HARVEST_URL"]:
        scheduler.add_job(f"{__name__}:scheduled_harvest", cron_trigger(app.config["HARVEST_CRON"], timezone),
                          id=JOB_ID, name="Nightly OAI-PMH harvest", replace_existing=True)
    else:
        # Jobs outlive the process in the job store: a harvest scheduled
        # while the setting was there must go with it.
        scheduler.add_listener(lambda _: _forget_job(scheduler, JOB_ID), EVENT_SCHEDULER_STARTED)
    # A missed minute is not worth catching up: the next run drains everything.
    scheduler.add_job(f"{__name__}:scheduled_drain", "interval", seconds=DRAIN_SECONDS, id=DRAIN_JOB_ID,
                      name="Search outbox drain", replace_existing=True, misfire_grace_time=DRAIN_SECONDS)
    return scheduler


def _forget_job(scheduler, job_id: str) -> None:
    from apscheduler.jobstores.base import JobLookupError

    try:
        scheduler.remove_job(job_id)
    except JobLookupError:
        pass


CRON_DAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun")


def cron_trigger(expression: str, timezone):
    """A CronTrigger from a standard crontab line.

    APScheduler 3 reads day-of-week numbers from Monday = 0, where crontab
    says Sunday = 0 (or 7): numbers are turned into day names first.
    """
    from apscheduler.triggers.cron import CronTrigger

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
