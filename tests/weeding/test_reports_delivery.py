"""Reports leaving the building: ``catalogue reports`` as the command line
runs it, the mail a real SMTP server receives (an empty run's too), and the
scheduler's cron jobs, run as ``catalogue scheduler`` runs them."""
from __future__ import annotations

import datetime as dt
import json
import threading
import time
from contextlib import contextmanager

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from cite import create_app
from cite.cli import main
from cite.scheduler import build_scheduler
from core import jobs, mail, report_jobs, reporting
from core.reports import ReportRun
from tests.support.smtp import smtp_server
from tests.weeding.support import Shelf, years_ago

SITE = "https://cdm.example"


def day_of(run: ReportRun) -> str:
    """The day a run names: its own, not the day the module was imported (a run may cross midnight)."""
    return run.started_at.date().isoformat()


@pytest.fixture
def cli(database_url, tmp_path):
    runner = CliRunner()
    env = {"CATALOGUE_DATABASE_URL": database_url, "CATALOGUE_INSTANCE_DIR": str(tmp_path),
           "CATALOGUE_LOG_LEVEL": "WARNING", "CATALOGUE_DEFAULT_LOCALE": "en", "CATALOGUE_SITE_URL": SITE}

    def invoke(*args, code=0):
        result = runner.invoke(main, ["reports", *args], env=env, catch_exceptions=False)
        assert result.exit_code == code, result.output
        return result
    return invoke


@pytest.fixture
def site(database_url, tmp_path):
    """The catalogue with a real SMTP server, mailing in English."""
    with smtp_server() as server:
        app = create_app({"TESTING": True, "DATABASE_URL": database_url, "SECRET_KEY": "reports",
                          "INSTANCE_DIR": str(tmp_path), "SMTP_HOST": server.host, "SMTP_PORT": server.port,
                          "SITE_URL": SITE, "BABEL_DEFAULT_LOCALE": "en"})
        yield app, server
        app.extensions["catalogue.db"].dispose()


def schedule(db, name, **data):
    with db.transaction() as session:
        return reporting.ScheduleService(session).save(name, data)


def test_run_json_prints_one_object_with_the_run_and_its_row_count(cli, db, shelf):
    stale = shelf.copy(uses=[years_ago(5)])
    shelf.copy(uses=[years_ago(0.5)])
    schedule(db, "stale-items", recipients=["lise@cdm.example"])

    answer = json.loads(cli("run", "stale-items", "--json").stdout)

    assert set(answer) == {"run", "rows", "report", "columns", "mailed_to"}
    assert (answer["rows"], answer["report"], answer["mailed_to"]) == (1, "stale-items", ["lise@cdm.example"])
    assert answer["columns"][:2] == ["item_id", "barcode"]
    with db.session() as session:
        run = session.get(ReportRun, answer["run"])
        assert (run.trigger, run.row_count, run.rows[0][0]) == ("manual", 1, stale.id)
    again = json.loads(cli("run", "stale-items", "--json", "--param", "years=10").stdout)
    assert again["rows"] == 0 and again["run"] == answer["run"] + 1

    text = cli("run", "missing-items").stdout
    assert f"missing-items: 0 rows (run {again['run'] + 1})" in text
    assert f"{SITE}/staff/reports/runs/{again['run'] + 1}.csv" in text


def test_the_commands_refuse_unknown_reports_and_bad_settings_clearly(cli):
    unknown = cli("run", "stale", "--json", code=1)
    assert "There is no report named stale." in unknown.stderr and "stale-items" in unknown.stderr
    assert unknown.stdout == ""
    assert "params.years" in cli("run", "stale-items", "--param", "years=many", code=2).stderr
    assert "name=value" in cli("run", "stale-items", "--param", "years", code=2).stderr
    bad = cli("schedule", "stale-items", "--cron", "mondays at 7", "--recipients", "lise@", code=2).stderr
    assert "cron: Write a crontab line" in bad and "recipients: Give e-mail addresses" in bad

    cli("schedule", "stale-items", "--cron", "0 6 * * 1-5", "--recipients", "lise@cdm.example,paul@cdm.example",
        "--param", "years=4")
    shown = cli("schedule", "stale-items").stdout
    assert shown.strip() == "stale-items: 0 6 * * 1-5 (years=4); recipients: lise@cdm.example, paul@cdm.example"
    cli("schedule", "missing-items", "--inactive")
    listing = cli("list").stdout
    assert "stale-items: Stale items\n  schedule: 0 6 * * 1-5 (years=4)\n" in listing
    assert "missing-items: Missing items\n  schedule: 0 7 1 * * (switched off)\n" in listing
    assert "proposals-waiting: Proposals waiting for a decision" in listing
    assert listing.count("last run: never") == 6


def test_a_run_is_mailed_to_each_recipient_with_its_rows_and_links(site):
    app, server = site
    database = app.extensions["catalogue.db"]
    shelf = Shelf(database)
    forgotten = shelf.copy(title="Le CV en 10 leçons", call_number="EMP 2 CV", uses=[years_ago(4)])
    schedule(database, "stale-items", recipients=["lise@cdm.example", "paul@cdm.example"])

    with database.transaction() as session:
        done = reporting.run(session, "stale-items", site_url=SITE)
        run_id, day = done.id, day_of(done)
    assert mail.send_due(app) == 2

    received = server.wait_for(2)
    assert sorted(m.rcpt_tos[0] for m in received) == ["lise@cdm.example", "paul@cdm.example"]
    message = received[0]
    assert message.message["Subject"] == f"Stale items: 1 on {day}"
    assert f"1 found on {day}:" in message.body
    assert "Barcode · Title · Call number · Last use\n" in message.body
    assert f"{forgotten.barcode} · Le CV en 10 leçons · EMP 2 CV · {years_ago(4).date().isoformat()}" in message.body
    assert f"All of them as a CSV file: {SITE}/staff/reports/runs/{run_id}.csv" in message.body
    assert message.body.rstrip().endswith(f"The run's page:\n\n{SITE}/staff/reports/runs/{run_id}")


def test_an_empty_run_is_mailed_too_and_says_so(site):
    app, server = site
    database = app.extensions["catalogue.db"]
    schedule(database, "stale-items", recipients=["lise@cdm.example"])
    with database.transaction() as session:
        done = reporting.run(session, "stale-items")
        assert (done.row_count, done.mailed_to) == (0, ["lise@cdm.example"])
        day = day_of(done)
    mail.send_due(app)

    (message,) = server.wait_for(1)
    assert message.message["Subject"] == f"Stale items: nothing on {day}"
    assert "No item matches today." in message.body
    assert "/staff/reports/runs/" in message.body


def test_the_scheduler_has_a_cron_job_per_active_report(site):
    app, server = site
    database = app.extensions["catalogue.db"]
    Shelf(database).copy(uses=[years_ago(6)])
    schedule(database, "stale-items", cron="15 6 * * 2", recipients=["lise@cdm.example"])
    schedule(database, "missing-items", active=False)

    scheduler = build_scheduler(app)

    reports = {job.id: job for job in scheduler.get_jobs() if job.id.startswith(report_jobs.JOB_PREFIX)}
    assert set(reports) == {"report-stale-items", "report-past-age", "report-periodicals-beyond-retention",
                            "report-items-in-processing", "report-proposals-waiting"}
    stale = reports["report-stale-items"]
    assert (stale.func_ref, stale.args) == ("core.report_jobs:scheduled_report", ("stale-items",))
    assert str(stale.trigger.timezone) == "Europe/Paris"
    after = dt.datetime(2026, 3, 2, 12, tzinfo=stale.trigger.timezone)  # a Monday
    assert stale.trigger.get_next_fire_time(None, after).replace(tzinfo=None) == dt.datetime(2026, 3, 3, 6, 15)
    monday = reports["report-proposals-waiting"].trigger.get_next_fire_time(None, after)
    assert monday.replace(tzinfo=None) == dt.datetime(2026, 3, 9, 8, 0)

    # The job as the scheduler calls it: a module function and its argument, in the bound app.
    assert jobs.current_app() is app
    report_jobs.scheduled_report(*stale.args)
    report_jobs.scheduled_report("missing-items")  # switched off since: nothing runs

    with database.session() as session:
        runs = session.scalars(select(ReportRun)).all()
    assert [(r.report, r.trigger, r.row_count, r.mailed_to) for r in runs] == [
        ("stale-items", "schedule", 1, ["lise@cdm.example"])]
    (message,) = server.wait_for(1)
    assert message.message["Subject"] == f"Stale items: 1 on {day_of(runs[0])}"


@contextmanager
def running(scheduler):
    thread = threading.Thread(target=scheduler.start, daemon=True)
    thread.start()
    try:
        for _ in range(200):
            if scheduler.running and scheduler.get_job(report_jobs.SYNC_JOB_ID) is not None:
                break
            time.sleep(0.05)
        yield scheduler
    finally:
        scheduler.shutdown(wait=False)
        thread.join(timeout=10)


def test_a_running_scheduler_follows_schedules_changed_on_the_site(site):
    app, _ = site
    database = app.extensions["catalogue.db"]
    with running(build_scheduler(app)) as scheduler:
        assert scheduler.get_job("report-missing-items") is not None
        schedule(database, "missing-items", active=False)
        schedule(database, "stale-items", cron="0 9 * * 3")
        report_jobs.sync_schedules()
        assert scheduler.get_job("report-missing-items") is None
        fields = {f.name: str(f) for f in scheduler.get_job("report-stale-items").trigger.fields}
        assert (fields["day_of_week"], fields["hour"], fields["minute"]) == ("wed", "9", "0")
        schedule(database, "missing-items", active=True)
        report_jobs.sync_schedules()
        assert scheduler.get_job("report-missing-items") is not None
