"""The scheduler behind ``catalogue scheduler``: every job the packages
register, in a process of its own, apart from the web server (under
gunicorn every worker would run them).

APScheduler's BlockingScheduler keeps the jobs in the database (table
``apscheduler_jobs``, created by APScheduler, not by our migrations): one run
of a job at a time, missed runs coalesced, and a run missed while the
scheduler was down still happens if it is less than
``core.jobs.MISFIRE_GRACE_SECONDS`` late. A heartbeat job tells /healthz the
scheduler is alive.

Exactly one scheduler runs jobs, however many are started, on one machine or
several: each first takes a lock in the database (``exclusive``), a
PostgreSQL advisory lock, or on SQLite a lock on a file beside the database
(an SQLite database lives on one machine). Both die with their process, so a
scheduler killed without warning hands over to the one waiting.
"""
from __future__ import annotations

import fcntl
import logging
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.blocking import BlockingScheduler
from sqlalchemy import text
from sqlalchemy.engine import make_url

from cite import PACKAGES
from cite.migrate import JOBS_TABLE
from core import heartbeats, jobs
from core.db import Database, utcnow

log = logging.getLogger(__name__)

HEARTBEAT_JOB_ID = "scheduler-heartbeat"
MAIL_JOB_ID = "staff-mail"
MAIL_SECONDS = 60
HEARTBEAT_SECONDS = 30
HERE = "process"  # the job store of what lives and dies with this process
LOCK_KEY = zlib.crc32(b"catalogue scheduler")  # the advisory lock's number, the same in every process
LOCK_POLL_SECONDS = 1.0


class Scheduler(BlockingScheduler):
    """APScheduler's blocking scheduler, holding the app its jobs run in:
    a package's ``register_jobs`` reads the settings from ``scheduler.app``."""

    def __init__(self, app, **options):
        super().__init__(**options)
        self.app = app


def build_scheduler(app) -> Scheduler:
    """The scheduler with every package's jobs and the heartbeat, not
    started. Raises ValueError on a setting a job cannot use (a bad cron line)."""
    timezone = app.config["BABEL_DEFAULT_TIMEZONE"]
    scheduler = Scheduler(
        app,
        jobstores={"default": SQLAlchemyJobStore(engine=app.extensions["catalogue.db"].engine,
                                                 tablename=JOBS_TABLE),
                   # The heartbeat and the mail are this process's own: nothing to keep when it stops.
                   HERE: MemoryJobStore()},
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": jobs.MISFIRE_GRACE_SECONDS},
        timezone=timezone,
    )
    jobs.bind(app)
    for package in PACKAGES:
        package.register_jobs(scheduler)
    # The ground floor's own job: the staff's mail, retried until sent or expired. A
    # fixed interval with nothing to remember between runs, so it lives with the process.
    scheduler.add_job("core.mail:scheduled_send", "interval", seconds=MAIL_SECONDS, id=MAIL_JOB_ID,
                      name="Staff mail", jobstore=HERE, misfire_grace_time=MAIL_SECONDS)
    scheduler.add_job(f"{__name__}:heartbeat", "interval", seconds=HEARTBEAT_SECONDS, id=HEARTBEAT_JOB_ID,
                      name="Scheduler heartbeat", jobstore=HERE, misfire_grace_time=HEARTBEAT_SECONDS,
                      next_run_time=utcnow())
    return scheduler


def heartbeat() -> None:
    heartbeats.beat(jobs.current_app().extensions["catalogue.db"], heartbeats.SCHEDULER)


@contextmanager
def exclusive(database: Database, *, waiting: Callable[[], None]) -> Iterator[None]:
    """Hold the scheduler lock of ``database`` for the duration. When another
    process holds it, call ``waiting()`` once and wait until it is free."""
    lock = _PostgresLock(database) if database.engine.dialect.name == "postgresql" else _FileLock(database)
    try:
        if not lock.try_acquire():
            waiting()
            while not lock.try_acquire():
                time.sleep(LOCK_POLL_SECONDS)
        log.info("Scheduler lock taken.")
        yield
    finally:
        lock.release()


class _PostgresLock:
    """A session-level advisory lock, held by a connection kept open."""

    def __init__(self, database: Database):
        self.connection = database.engine.connect()
        self.held = False

    def try_acquire(self) -> bool:
        self.held = bool(self.connection.scalar(text("SELECT pg_try_advisory_lock(:key)"), {"key": LOCK_KEY}))
        self.connection.commit()
        return self.held

    def release(self) -> None:
        try:
            if self.held:
                self.connection.scalar(text("SELECT pg_advisory_unlock(:key)"), {"key": LOCK_KEY})
                self.connection.commit()
        finally:
            self.connection.close()


class _FileLock:
    """flock(2) on ``<database file>.scheduler.lock``."""

    def __init__(self, database: Database):
        path = make_url(database.url).database
        if not path or path == ":memory:":
            raise ValueError("The scheduler needs a database in a file or on a server, not in memory.")
        self.file = open(f"{path}.scheduler.lock", "a+b")  # noqa: SIM115 - held until release()

    def try_acquire(self) -> bool:
        try:
            fcntl.flock(self.file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def release(self) -> None:
        self.file.close()  # closing releases the lock
