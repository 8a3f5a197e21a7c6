"""The importers' scheduled job: the nightly OAI-PMH harvest of the
repository the CATALOGUE_HARVEST_* settings name, when one is set.

``register_jobs`` (called by ``importers.register_jobs``) schedules it on
CATALOGUE_HARVEST_CRON, or removes a harvest left in the job store by an
earlier run whose settings had one.
"""
from __future__ import annotations

import logging
from pathlib import Path

from apscheduler.events import EVENT_SCHEDULER_STARTED
from apscheduler.jobstores.base import JobLookupError

from core import jobs, outbox
from importers.errors import NothingToHarvest
from importers.oai.harvester import Harvester, HarvestReport, default_source
from importers.oai.http import HttpFetch, RetryPolicy

log = logging.getLogger(__name__)

JOB_ID = "nightly-harvest"


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
    """The scheduled job: harvest the configured repository, then make what
    it brought searchable at once rather than at the next drain."""
    app = jobs.current_app()
    report = nightly_harvest(app)
    outbox.drain(app)
    if report.error:
        log.error("Harvest of %s stopped: %s (run %s)", report.url, report.error, report.run_id)
    else:
        log.info("Harvest of %s: %s read, %s created, %s updated, %s unchanged, %s held for review, "
                 "%s rejected (run %s)", report.url, report.read, report.created, report.updated,
                 report.unchanged, report.held, report.rejected, report.run_id)


def register_jobs(scheduler) -> None:
    """The nightly harvest, when CATALOGUE_HARVEST_URL is set. Raises
    ValueError when CATALOGUE_HARVEST_CRON is not a crontab line."""
    config = scheduler.app.config
    if config["HARVEST_URL"]:
        trigger = jobs.cron_trigger(config["HARVEST_CRON"], config["BABEL_DEFAULT_TIMEZONE"])
        scheduler.add_job(f"{__name__}:scheduled_harvest", trigger, id=JOB_ID, name="Nightly OAI-PMH harvest",
                          replace_existing=True)
    else:
        # Jobs outlive the process in the job store: a harvest scheduled
        # while the setting was there must go with it.
        scheduler.add_listener(lambda _: _forget(scheduler, JOB_ID), EVENT_SCHEDULER_STARTED)


def _forget(scheduler, job_id: str) -> None:
    try:
        scheduler.remove_job(job_id)
    except JobLookupError:
        pass
