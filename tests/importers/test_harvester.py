"""The OAI-PMH harvester, against real HTTP servers: a tiny server answering
with saved repository responses (tests/importers/fixtures/oai, see its
SOURCE.txt), and the catalogue's own /oai run by ``catalogue serve`` in a
separate process, harvested into a second database."""
from __future__ import annotations

import contextlib
import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from catalogue.models import Item, Record, RecordDescriptor
from catalogue.services import ItemService, RecordService
from catalogue.vocab import ItemStatus
from cite import migrate
from cite.cli import main
from core.db import Database
from importers.models import HarvestState, ImportReject, ImportRun
from importers.oai.harvester import Harvester
from importers.oai.http import RetryPolicy
from tests.support.factories import make_item, make_record
from tests.support.live import live_server
from tests.support.postgres import free_port
from thesaurus.models import Concept

FIXTURES = Path(__file__).parent / "fixtures" / "oai"
FAST = RetryPolicy(attempts=3, base_delay=0.01, max_delay=0.05)
TOKEN = "MTo1MHwyOnwzOnw0Om1hcmMyMXw1Og=="


def saved(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


class Repository:
    """A tiny HTTP server on a free loopback port that answers OAI-PMH
    requests from a script: ``answer(params) -> (status, headers, body)``."""

    def __init__(self, answer):
        self.answer = answer
        self.requests: list[tuple[dict, dict]] = []

    def __enter__(self):
        repository = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server's naming
                params = dict(parse_qsl(urlsplit(self.path).query))
                repository.requests.append((params, dict(self.headers)))
                status, headers, body = repository.answer(params)
                self.send_response(status)
                for name, value in {"Content-Type": "text/xml; charset=UTF-8", **headers}.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_port}/cgi-bin/koha/oai.pl"
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)

    def verbs(self) -> list[str]:
        return [params.get("verb") for params, _ in self.requests]


def scripted(pages: dict, *, failures: list | None = None, identify: bytes | None = None):
    """Identify, then ListRecords pages by resumption token (None = first
    request); ``failures`` are (status, headers, body) answered first."""
    pending = list(failures or [])

    def answer(params):
        if params.get("verb") == "Identify":
            return 200, {}, identify or saved("identify.xml")
        if pending:
            return pending.pop(0)
        return 200, {}, pages[params.get("resumptionToken")]
    return answer


@pytest.fixture
def sleeps():
    return []


@pytest.fixture
def harvester(db, tmp_path, sleeps):
    def sleep(seconds):
        sleeps.append(seconds)
    return Harvester(db, retry=FAST, sleep=sleep, rejects_dir=tmp_path / "rejects")


def run_row(db, run_id) -> ImportRun:
    with db.session() as session:
        return session.get(ImportRun, run_id)


def harvested(db, source="bib-exemple") -> dict[str, Record]:
    with db.session() as session:
        records = session.scalars(select(Record).where(Record.source == source)).all()
        for record in records:
            record.items  # load them before the session closes
        return {record.source_id: record for record in records}


def test_harvest_follows_tokens_retries_a_503_and_harvests_incrementally(db, harvester, sleeps):
    pages = {None: saved("listrecords-1.xml"), TOKEN: saved("listrecords-2.xml")}
    busy = (503, {"Retry-After": "1"}, b"<html>Service temporarily unavailable</html>")
    with Repository(scripted(pages, failures=[busy])) as repository:
        report = harvester.harvest(repository.url, "marc21", source="bib-exemple")
        first_requests = list(repository.requests)
        # A week later: one record changed, one deleted; the harvest starts where the last one did.
        pages[None] = saved("listrecords-incremental.xml")
        again = harvester.harvest(repository.url, "marc21", source="bib-exemple")
    assert report.error is None, report.error
    assert (report.read, report.created, report.rejected, report.pages) == (4, 4, 0, 2)
    assert sleeps == [0.05]  # the server's Retry-After, capped by the policy
    assert [params.get("verb") for params, _ in first_requests] == [
        "Identify", "ListRecords", "ListRecords", "ListRecords"]
    assert first_requests[1][0] == {"verb": "ListRecords", "metadataPrefix": "marc21"}
    assert first_requests[3][0] == {"verb": "ListRecords", "resumptionToken": TOKEN}
    assert first_requests[1][1]["User-Agent"].startswith("cite-catalogue/")
    run = run_row(db, report.run_id)
    assert (run.kind, run.syntax, run.location, run.status == "failed") == ("oai", "oai-pmh", repository.url, False)
    assert run.read == run.created + run.updated + run.unchanged + run.held + run.rejected == 4
    assert again.next_from == "2025-03-09T01:00:03Z"
    assert repository.requests[-1][0] == {
        "verb": "ListRecords", "metadataPrefix": "marc21", "from": "2025-03-02T01:00:05Z"}
    report = again
    assert report.error is None
    assert (report.read, report.created, report.updated, report.deleted) == (2, 0, 2, 1)
    records = harvested(db)
    assert records["oai:bib-exemple.fr:1002"].title.startswith("Créer son entreprise en dix étapes")
    assert set(records) == {f"oai:bib-exemple.fr:{n}" for n in (1001, 1002, 1003, 1004)}
    assert records["oai:bib-exemple.fr:1001"].title.startswith("Décrocher son premier emploi")
    gone = records["oai:bib-exemple.fr:1004"]  # still there: a deletion never drops a record
    assert [(i.barcode, i.status) for i in gone.items] == [("EX0004417", ItemStatus.WITHDRAWN)]
    with db.session() as session:
        state = session.scalar(select(HarvestState).where(HarvestState.url == repository.url))
        assert (state.metadata_prefix, state.set_spec, state.last_datestamp) == (
            "marc21", None, "2025-03-09T01:00:03Z")


def test_incremental_harvest_sends_from_and_an_empty_answer_is_normal(db, harvester):
    pages = {None: saved("listrecords-1.xml"), TOKEN: saved("listrecords-2.xml")}
    with Repository(scripted(pages)) as repository:
        harvester.harvest(repository.url, "marc21", source="bib-exemple")
        pages[None] = saved("norecordsmatch.xml")
        report = harvester.harvest(repository.url, "marc21", source="bib-exemple")
        assert repository.requests[-1][0] == {
            "verb": "ListRecords", "metadataPrefix": "marc21", "from": "2025-03-02T01:00:05Z"}
        assert report.error is None and report.read == 0 and report.next_from == "2025-03-16T01:00:02Z"
        # --from overrides the remembered date; a set is its own harvest state.
        harvester.harvest(repository.url, "marc21", set_spec="emploi", from_date="2020-01-01",
                          source="bib-exemple")
        assert repository.requests[-1][0] == {
            "verb": "ListRecords", "metadataPrefix": "marc21", "from": "2020-01-01", "set": "emploi"}
    with db.session() as session:
        states = {s.set_spec: s.last_datestamp for s in session.scalars(select(HarvestState))}
    assert states == {None: "2025-03-16T01:00:02Z", "emploi": "2025-03-16T01:00:02Z"}


def test_day_granularity_repositories_get_day_dates(db, harvester):
    identify = saved("identify.xml").replace(b"YYYY-MM-DDThh:mm:ssZ", b"YYYY-MM-DD")
    pages = {None: saved("norecordsmatch.xml")}
    with Repository(scripted(pages, identify=identify)) as repository:
        harvester.harvest(repository.url, "marc21", from_date="2025-01-02T03:04:05Z")
        harvester.harvest(repository.url, "marc21")
    assert repository.requests[1][0]["from"] == "2025-01-02"
    assert repository.requests[3][0]["from"] == "2025-03-16"


def test_failures_are_retried_a_bounded_number_of_times(db, harvester, sleeps):
    pages = {None: saved("listrecords-1.xml"), TOKEN: saved("listrecords-2.xml")}
    cut = saved("listrecords-1.xml")[:900]  # a response cut short
    failures = [(500, {}, b"oops"), (200, {}, cut)]
    with Repository(scripted(pages, failures=failures)) as repository:
        report = harvester.harvest(repository.url, "marc21", source="bib-exemple")
    assert report.error is None and report.read == 4
    assert sleeps == [0.01, 0.02]  # exponential backoff

    sleeps.clear()
    always_busy = [(503, {}, b"")] * 10
    with Repository(scripted(pages, failures=always_busy)) as repository:
        report = harvester.harvest(repository.url, "marc21", source="bib-exemple")
    assert "HTTP 503" in report.error and "3 attempts" in report.error
    assert len(sleeps) == 2 and max(sleeps) <= FAST.max_delay
    assert run_row(db, report.run_id).status == "failed"

    sleeps.clear()
    report = harvester.harvest(f"http://127.0.0.1:{free_port()}/oai", "marc21")  # nobody listens there
    assert "connection failed" in report.error and len(sleeps) == 2

    not_found = [(404, {}, b"")]
    with Repository(scripted(pages, failures=not_found)) as repository:
        report = harvester.harvest(repository.url, "marc21")
    assert "HTTP 404" in report.error and repository.verbs().count("ListRecords") == 1  # not retried


def test_retry_after_is_read_in_seconds_or_as_a_date():
    import datetime as dt

    from importers.oai.http import retry_after

    now = dt.datetime(2025, 3, 2, 1, 0, tzinfo=dt.timezone.utc)
    assert retry_after("120", now) == 120
    assert retry_after("Sun, 02 Mar 2025 01:00:30 GMT", now) == 30
    assert retry_after("Sat, 01 Mar 2025 01:00:30 GMT", now) == 0
    assert retry_after("soon", now) is None and retry_after(None, now) is None
    assert RetryPolicy(base_delay=2, max_delay=300).delay(4) == 16
    assert RetryPolicy(base_delay=2, max_delay=300).delay(1, retry_after=3600) == 300


def test_a_harvest_cut_short_keeps_its_pages_but_not_a_new_date(db, harvester):
    pages = {None: saved("listrecords-1.xml"), TOKEN: saved("badresumptiontoken.xml")}
    with Repository(scripted(pages)) as repository:
        report = harvester.harvest(repository.url, "marc21", source="bib-exemple")
    assert "badResumptionToken" in report.error
    assert (report.read, report.created, report.pages) == (2, 2, 1)
    run = run_row(db, report.run_id)
    assert run.status == "failed" and "badResumptionToken" in run.error and run.read == 2
    assert len(harvested(db)) == 2
    with db.session() as session:
        assert session.scalar(select(HarvestState.last_datestamp)) is None


def test_entities_are_never_expanded(db, harvester):
    with Repository(scripted({None: saved("entities.xml")})) as repository:
        report = harvester.harvest(repository.url, "marc21", source="bib-exemple")
    assert (report.read, report.created, report.rejected) == (3, 1, 2)
    with db.session() as session:
        titles = session.scalars(select(Record.title)).all()
        reasons = session.scalars(select(ImportReject.reason).order_by(ImportReject.position)).all()
    assert titles == ["Un titre sans surprise"]
    assert "&boom3;" in reasons[0] and "&secret;" in reasons[1]
    rejects = Path(report.rejects_file).read_bytes()
    assert b"EXPANDED-ENTITY" not in rejects and b"root:" not in rejects


def test_metadata_that_is_not_marc_is_rejected_and_marcxchange_is_read(db, harvester):
    with Repository(scripted({None: saved("listrecords-mixed.xml")})) as repository:
        report = harvester.harvest(repository.url, "marc21", source="bib-exemple")
    assert (report.read, report.created, report.rejected) == (2, 1, 1)
    with db.session() as session:
        reason = session.scalar(select(ImportReject.reason))
    assert "not a MARCXML record" in reason
    unimarc = harvested(db)["oai:bib-exemple.fr:3002"]
    assert unimarc.title == "Le guide de l'apprentissage" and unimarc.marc_flavour == "unimarc"


# The catalogue harvesting its own /oai, served by a separate process --------

@pytest.fixture
def target(backend, tmp_path, request):
    """A second, separate, migrated database to harvest into."""
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'target.db'}"
    else:
        url = request.getfixturevalue("postgres_server").create_database(f"harvest_{uuid.uuid4().hex[:12]}")
    database = Database(url)
    migrate.upgrade(database)
    yield database
    database.dispose()


def harvest_cli(target, tmp_path, url, *args):
    env = {"CATALOGUE_DATABASE_URL": target.url, "CATALOGUE_INSTANCE_DIR": str(tmp_path / "target-instance"),
           "CATALOGUE_LOG_LEVEL": "WARNING"}
    result = CliRunner().invoke(main, ["harvest", url, "--metadata-prefix", "marc21", "--source", "cite",
                                       "--json", *args], env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_the_catalogue_harvests_its_own_oai_endpoint(db, database_url, target, tmp_path, app):
    app.config["OAI_PAGE_SIZE"] = 2
    kept = make_record(db, title="Réussir son entretien d'embauche", isbn="9782910745127")
    make_item(db, kept.id, barcode="CM0000001")
    dropped = make_record(db, title="Le guide des salons étudiants", isbn="9782100798438",
                          local_notes="Ne pas racheter")
    make_item(db, dropped.id, barcode="CM0000002")
    for n in range(3):
        make_record(db, title=f"Fiche métier n° {n + 1}", isbn=None, document_type="job_sheet")
    with live_server(database_url, tmp_path / "source", extra_env={"CATALOGUE_OAI_PAGE_SIZE": "2"}) as base:
        first = harvest_cli(target, tmp_path, f"{base}/oai")
        assert first["error"] is None and first["pages"] == 3
        assert (first["read"], first["created"]) == (5, 5)
        assert first["read"] == (first["created"] + first["updated"] + first["unchanged"] + first["held"]
                              + first["rejected"])

        with target.session() as session:
            copies = {r.title: r for r in session.scalars(select(Record))}
        copy = copies["Réussir son entretien d'embauche"]
        assert copy.source == "cite" and copy.source_id == f"oai:cite-des-metiers:record/{kept.id}"
        assert all(r.local_notes is None for r in copies.values())  # internal notes never travel

        # Work done on the target: poles, an internal note, a descriptor, an item of our own.
        with target.transaction() as session:
            concept = Concept(uri="https://thesaurus.example/c/entretien", pref_label_fr="Entretien d'embauche")
            session.add(concept)
            session.flush()
            record = session.get(Record, copy.id)
            record.poles = ["job_search", "orientation"]
            record.local_notes = "Très demandé en atelier CV"
            session.add(RecordDescriptor(record_id=copy.id, concept_id=concept.id))
        with target.transaction() as session:
            ItemService(session).create(copy.id, {"barcode": "LOCAL0001", "library": "cite", "status": "available"})

        # On the source: the kept work is corrected, the other one deleted.
        with db.transaction() as session:
            record = RecordService(session).get(kept.id)
            data = {"title": "Réussir son entretien d'embauche (nouvelle édition)", "isbn": "9782910745127",
                    "languages": ["fre"], "document_type": "book", "contributors": [], "poles": [],
                    "audiences": []}
            RecordService(session).update(kept.id, data, expected_version=record.version)
        with db.transaction() as session:
            for item in RecordService(session).get(dropped.id).items:
                ItemService(session).delete(item.id)
            RecordService(session).delete(dropped.id)

        second = harvest_cli(target, tmp_path, f"{base}/oai")
    assert second["error"] is None and second["from"] == first["next_from"]
    # The corrected work and the deletion; works saved in the very second the
    # first harvest began are listed again (from is inclusive) and unchanged.
    assert (second["created"], second["updated"], second["rejected"], second["deleted"]) == (0, 2, 0, 1)
    assert second["read"] == second["updated"] + second["unchanged"]

    with target.session() as session:
        copy = session.get(Record, copy.id)
        assert copy.title == "Réussir son entretien d'embauche (nouvelle édition)"
        assert sorted(p.value for p in copy.poles) == ["job_search", "orientation"]
        assert copy.local_notes == "Très demandé en atelier CV"
        assert session.scalars(select(RecordDescriptor.concept_id).where(
            RecordDescriptor.record_id == copy.id)).all() == [concept.id]
        assert sorted(i.barcode for i in copy.items) == ["CM0000001", "LOCAL0001"]
        gone = session.scalar(select(Record).where(
            Record.source_id == f"oai:cite-des-metiers:record/{dropped.id}"))
        assert gone is not None  # kept, with its items withdrawn
        assert [(i.barcode, i.status) for i in gone.items] == [("CM0000002", ItemStatus.WITHDRAWN)]
        runs = session.scalars(select(ImportRun).order_by(ImportRun.id)).all()
        assert [(r.kind, r.status != "failed") for r in runs] == [("oai", True), ("oai", True)]
        assert session.scalar(select(Item).where(Item.barcode == "LOCAL0001")).status == ItemStatus.AVAILABLE


# The command line and the scheduler -------------------------------------------

def test_harvest_command_reports_failures_and_bad_input(database_url, tmp_path):
    env = {"CATALOGUE_DATABASE_URL": database_url, "CATALOGUE_INSTANCE_DIR": str(tmp_path),
           "CATALOGUE_LOG_LEVEL": "WARNING"}
    runner = CliRunner()
    nothing = runner.invoke(main, ["harvest"], env=env)
    assert nothing.exit_code == 2 and "CATALOGUE_HARVEST_URL" in nothing.output
    bad_date = runner.invoke(main, ["harvest", "http://127.0.0.1:9/oai", "--from", "yesterday"], env=env)
    assert bad_date.exit_code == 2 and "--from" in bad_date.output
    with Repository(lambda params: (404, {}, b"")) as repository:
        failed = runner.invoke(main, ["harvest", repository.url, "--json"], env=env)
    assert failed.exit_code == 1
    summary = json.loads(failed.stdout)
    assert "HTTP 404" in summary["error"] and summary["read"] == 0
    bad_cron = runner.invoke(main, ["scheduler"], env={**env, "CATALOGUE_HARVEST_URL": "http://127.0.0.1:9/oai",
                                                        "CATALOGUE_HARVEST_CRON": "every night"})
    assert bad_cron.exit_code == 2 and "CATALOGUE_HARVEST_CRON" in bad_cron.output


def test_the_scheduled_job_harvests_the_configured_repository(target, tmp_path, monkeypatch):
    from cite import create_app
    from core import jobs
    from importers.jobs import scheduled_harvest

    pages = {None: saved("listrecords-1.xml"), TOKEN: saved("listrecords-2.xml")}
    with Repository(scripted(pages)) as repository:
        for name, value in {"CATALOGUE_DATABASE_URL": target.url, "CATALOGUE_INSTANCE_DIR": str(tmp_path),
                            "CATALOGUE_HARVEST_URL": repository.url, "CATALOGUE_HARVEST_SOURCE": "bib-exemple",
                            "CATALOGUE_HARVEST_SET": "emploi"}.items():
            monkeypatch.setenv(name, value)
        app = create_app()  # as `catalogue scheduler` does, from the environment
        jobs.bind(app)
        try:
            scheduled_harvest()
        finally:
            app.extensions["catalogue.db"].dispose()
    assert repository.requests[1][0] == {"verb": "ListRecords", "metadataPrefix": "marc21", "set": "emploi"}
    assert len(harvested(target)) == 4


def test_the_scheduler_keeps_one_nightly_job_in_the_database(target, tmp_path):
    import datetime as dt

    from sqlalchemy import inspect

    from cite import create_app
    from cite.scheduler import HEARTBEAT_JOB_ID, HERE, JOBS_TABLE, MAIL_JOB_ID, build_scheduler
    from core.jobs import MISFIRE_GRACE_SECONDS
    from importers.jobs import JOB_ID
    from search.jobs import DRAIN_JOB_ID

    app = create_app({"DATABASE_URL": target.url, "INSTANCE_DIR": str(tmp_path), "SECRET_KEY": "x",
                      "HARVEST_URL": "http://127.0.0.1:9/oai", "HARVEST_CRON": "30 3 * * *"})
    try:
        with running(build_scheduler(app)) as scheduler:
            job = scheduler.get_job(JOB_ID)
            assert (job.max_instances, job.coalesce, job.misfire_grace_time) == (1, True, MISFIRE_GRACE_SECONDS)
            assert job.func_ref == "importers.jobs:scheduled_harvest" and job.args == ()
            local = job.next_run_time.astimezone(job.trigger.timezone)
            assert (local.hour, local.minute, str(job.trigger.timezone)) == (3, 30, "Europe/Paris")
            assert local > dt.datetime.now(dt.timezone.utc)
            assert inspect(app.extensions["catalogue.db"].engine).has_table(JOBS_TABLE)
            # The heartbeat and the mail sender live with the process, not in the table.
            for job_id, func_ref in ((HEARTBEAT_JOB_ID, "cite.scheduler:heartbeat"),
                                     (MAIL_JOB_ID, "core.mail:scheduled_send")):
                assert scheduler.get_job(job_id, jobstore=HERE).func_ref == func_ref
        # Started again with another schedule, it replaces its job instead of adding one.
        app.config["HARVEST_CRON"] = "0 4 * * 1"
        with running(build_scheduler(app)) as scheduler:
            local = scheduler.get_job(JOB_ID).next_run_time.astimezone(job.trigger.timezone)
            assert (local.weekday(), local.hour, local.minute) == (0, 4, 0)
        with target.engine.connect() as conn:  # one harvest job, not two (other packages' jobs aside)
            assert conn.exec_driver_sql(f"SELECT count(*) FROM {JOBS_TABLE} WHERE id = '{JOB_ID}'").scalar() == 1
        with running(build_scheduler(app)) as scheduler:
            drain = scheduler.get_job(DRAIN_JOB_ID)
            assert drain.func_ref == "search.jobs:scheduled_drain" and drain.trigger.interval.total_seconds() == 60
        # Without a repository: no harvest (the stored one goes), the search drain stays.
        app.config["HARVEST_URL"] = None
        with running(build_scheduler(app)) as scheduler:
            for _ in range(100):
                if scheduler.get_job(JOB_ID) is None:
                    break
                time.sleep(0.05)
            assert scheduler.get_job(JOB_ID) is None and scheduler.get_job(DRAIN_JOB_ID) is not None
        with target.engine.connect() as conn:
            stored = conn.exec_driver_sql(f"SELECT id FROM {JOBS_TABLE}").scalars().all()
            assert DRAIN_JOB_ID in stored and JOB_ID not in stored
    finally:
        app.extensions["catalogue.db"].dispose()


@pytest.mark.parametrize("line, weekdays", [
    ("0 2 * * *", {0, 1, 2, 3, 4, 5, 6}),
    ("0 2 * * 0", {6}), ("0 2 * * 7", {6}), ("0 2 * * 1", {0}),  # crontab: 0 and 7 are Sunday
    ("0 2 * * 1-5", {0, 1, 2, 3, 4}), ("0 2 * * sat,sun", {5, 6}), ("0 2 * * */3", {6, 2, 5}),
])
def test_harvest_schedules_read_weekdays_as_crontab_does(line, weekdays):
    import datetime as dt

    from core.jobs import cron_trigger

    trigger = cron_trigger(line, "Europe/Paris")
    moment, seen = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc), set()
    for _ in range(14):
        moment = trigger.get_next_fire_time(None, moment + dt.timedelta(minutes=1))
        seen.add(moment.weekday())
    assert seen == weekdays
    with pytest.raises(ValueError):
        cron_trigger("0 2 * *", "Europe/Paris")


@contextlib.contextmanager
def running(scheduler):
    """A BlockingScheduler started in a thread, stopped on exit."""
    from search.jobs import DRAIN_JOB_ID

    thread = threading.Thread(target=scheduler.start, daemon=True)
    thread.start()
    try:
        for _ in range(200):
            if scheduler.running and scheduler.get_job(DRAIN_JOB_ID) is not None:
                break
            time.sleep(0.05)
        yield scheduler
    finally:
        scheduler.shutdown(wait=False)
        thread.join(timeout=10)
