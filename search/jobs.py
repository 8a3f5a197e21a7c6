"""The search index's scheduled job: draining the outbox every minute, the
safety net of the after-commit drains (a cluster that was down, a process
that died between its commit and its drain)."""
from __future__ import annotations

import logging

from core import jobs
from core.db import utcnow
from search import indexer

log = logging.getLogger(__name__)

DRAIN_JOB_ID = "search-drain"


def scheduled_drain() -> None:
    app = jobs.current_app()
    handled = indexer.drain_quietly(app.extensions["catalogue.db"], app.extensions["catalogue.search"])
    if handled:
        log.info("Search index: %s queued works indexed.", handled)


def register_jobs(scheduler) -> None:
    """Always, whatever else the site runs, and once as soon as the scheduler
    starts: what waited while it was down is indexed first. A missed run is
    not worth catching up: the next one drains everything."""
    seconds = scheduler.app.config["SEARCH_DRAIN_SECONDS"]
    scheduler.add_job(f"{__name__}:scheduled_drain", "interval", seconds=seconds, id=DRAIN_JOB_ID,
                      name="Search outbox drain", replace_existing=True, misfire_grace_time=seconds,
                      next_run_time=utcnow())
