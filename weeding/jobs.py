"""Weeding's scheduled jobs: each named report of weeding on its schedule
(``core.report_jobs``), and the statistics' tally."""
from __future__ import annotations

from core import jobs as core_jobs
from core import report_jobs
from weeding import reports
from weeding.services.statistics import fold_tallies

TALLY_JOB_ID = "weeding-tally"


def scheduled_tally() -> None:
    """Fold the scans of the last minutes into the statistics' monthly
    tallies, so a reader seldom has to (it folds what is left itself)."""
    with core_jobs.current_app().extensions["catalogue.db"].transaction() as session:
        fold_tallies(session)


def register_jobs(scheduler) -> None:
    report_jobs.register_jobs(scheduler, reports.REPORTS)
    # Memory-less, every five minutes: a missed run is caught up by the next one.
    scheduler.add_job(f"{__name__}:scheduled_tally", "interval", minutes=5, id=TALLY_JOB_ID,
                      name="Use statistics tally", replace_existing=True, misfire_grace_time=300)
