"""Incremental OAI-PMH harvesting into the catalogue, through the importer.

One harvest is one ImportRun (kind "oai"). Each response page is one
transaction, so a harvest cut short keeps what it imported; running it again
starts from the same point and finds those records unchanged.

The next harvest starts from the ``responseDate`` of this harvest's first
list response, in the repository's own clock and granularity: everything
changed before that moment has been listed. It is saved only once the last
page is committed, because repositories need not list items in datestamp
order, so a half-finished harvest proves nothing about a date.

Identity: see ``records``: a harvested record is known by its OAI identifier.
"""
from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable
from urllib.parse import urlencode, urlsplit

from lxml import etree
from sqlalchemy import select

from core.db import utcnow
from importers.marc.reader import write_rejects
from importers.models import HarvestState, ImportRun
from importers.oai import DAYS, OAI_NS, format_datestamp, parse_datestamp
from importers.oai.http import FetchError, HttpFetch, RetryPolicy, TransientError
from importers.oai.records import PARSER_OPTIONS, marc_record
from importers.services.imports import ImportService

log = logging.getLogger(__name__)

O = f"{{{OAI_NS}}}"


class HarvestError(Exception):
    """The repository could not be harvested (network, OAI error, bad XML)."""


@dataclass
class HarvestReport:
    run_id: int | None
    url: str
    metadata_prefix: str
    set_spec: str | None
    source: str
    from_date: str | None
    next_from: str | None = None
    pages: int = 0
    deleted: int = 0
    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    held: int = 0  # updates from another source waiting for review (importers.marc.held)
    rejected: int = 0
    rejects_file: str | None = None
    error: str | None = None

    def as_dict(self) -> dict:
        data = asdict(self)
        data["from"] = data.pop("from_date")
        data["set"] = data.pop("set_spec")
        return data


@dataclass
class _Page:
    response_date: str | None
    records: list = field(default_factory=list)  # (identifier, datestamp, deleted, metadata element)
    token: str | None = None


def default_source(url: str) -> str:
    return (urlsplit(url).netloc or url)[:100]


class Harvester:
    """Harvest ``url`` into ``database`` (a core.db.Database).

    ``fetch(url) -> bytes`` makes one HTTP attempt (default: urllib with a
    timeout); this class retries it with ``retry`` and ``sleep``.
    """

    def __init__(self, database, *, fetch: Callable[[str], bytes] | None = None, clock=utcnow,
                 retry: RetryPolicy | None = None, sleep=None, rejects_dir=None, actor=None, rules=None):
        self.database = database
        self.fetch = fetch or HttpFetch()
        self.clock = clock
        self.retry = retry or RetryPolicy()
        self.sleep = sleep or self.retry.sleep
        self.rejects_dir = rejects_dir
        self.actor = actor
        self.rules = rules  # matching rules for the importer (default: its own)

    # The protocol ---------------------------------------------------------------
    def request(self, url: str, params: dict) -> etree._Element:
        """One OAI-PMH request, retried on transient failures; returns the root element."""
        full = url + ("&" if "?" in url else "?") + urlencode(params)
        for attempt in range(1, self.retry.attempts + 1):
            try:
                body = self.fetch(full)
                return etree.fromstring(body, etree.XMLParser(**PARSER_OPTIONS))
            except TransientError as error:
                problem, delay = str(error), error.retry_after
            except etree.XMLSyntaxError as error:  # often a response cut short
                problem, delay = f"the response is not well-formed XML ({error})", None
            except FetchError as error:
                raise HarvestError(f"{full}: {error}") from None
            if attempt == self.retry.attempts:
                raise HarvestError(f"{full}: {problem}; gave up after {attempt} attempts")
            delay = self.retry.delay(attempt, delay)
            log.warning("%s: %s; retrying in %.1f s", full, problem, delay)
            self.sleep(delay)
        raise AssertionError("unreachable")

    def granularity(self, url: str) -> str:
        root = self._checked(self.request(url, {"verb": "Identify"}))
        found = root.findtext(f"{O}Identify/{O}granularity")
        return DAYS if (found or "").strip() == DAYS else "YYYY-MM-DDThh:mm:ssZ"

    def page(self, url: str, params: dict) -> _Page:
        root = self._checked(self.request(url, params), empty_ok=True)
        page = _Page(response_date=(root.findtext(f"{O}responseDate") or "").strip() or None)
        listing = root.find(f"{O}ListRecords")
        if listing is None:
            return page  # noRecordsMatch: a normal, empty harvest
        for record in listing.iterfind(f"{O}record"):
            header = record.find(f"{O}header")
            if header is None:
                continue
            identifier = (header.findtext(f"{O}identifier") or "").strip()
            deleted = header.get("status") == "deleted"
            metadata = record.find(f"{O}metadata")
            body = next(iter(metadata.iterchildren(etree.Element)), None) if metadata is not None else None
            page.records.append((identifier, (header.findtext(f"{O}datestamp") or "").strip(), deleted, body))
        token = listing.find(f"{O}resumptionToken")
        if token is not None and (token.text or "").strip():
            page.token = token.text.strip()
        return page

    @staticmethod
    def _checked(root, *, empty_ok: bool = False):
        if root.tag != f"{O}OAI-PMH":
            raise HarvestError(f"not an OAI-PMH response (root element {root.tag})")
        for error in root.iterfind(f"{O}error"):
            code = error.get("code")
            if empty_ok and code == "noRecordsMatch":
                continue
            raise HarvestError(f"the repository answered {code}: {(error.text or '').strip()}")
        return root

    # A harvest ------------------------------------------------------------------
    def harvest(self, url: str, metadata_prefix: str = "marc21", *, set_spec: str | None = None,
                from_date: str | None = None, source: str | None = None,
                progress: Callable[[HarvestReport], None] | None = None) -> HarvestReport:
        """Harvest changes since ``from_date`` or the last harvest. Failures end up
        in ``report.error`` and in the run (status "failed"), not as exceptions."""
        if from_date is not None:
            parse_datestamp(from_date)  # ValueError for the caller to report
        source = source or default_source(url)
        with self.database.transaction() as session:
            stored = self._state(session, url, metadata_prefix, set_spec).last_datestamp
        report = HarvestReport(None, url, metadata_prefix, set_spec, source, from_date or stored)
        with self.database.transaction() as session:
            report.run_id = self._service(session).start_run(
                kind="oai", source=source, location=url, syntax="oai-pmh", flavour="auto",
                encoding="auto", dry_run=False).id
        rejects: list = []
        started = None
        try:
            granularity = self.granularity(url)
            if report.from_date and granularity == DAYS:
                report.from_date = report.from_date[:10]
            started = self._pages(url, report, rejects, progress)
        except HarvestError as error:
            report.error = str(error)
        except BaseException as error:  # a bug or Ctrl+C: the run must not stay "running"
            report.error = f"interrupted: {error!r}"
            self._finish(report, rejects, None, None)
            raise
        self._finish(report, rejects, started, granularity if not report.error else None)
        return report

    def _pages(self, url: str, report: HarvestReport, rejects: list, progress) -> str:
        """Import every page, one transaction each; returns the first responseDate."""
        params = {"verb": "ListRecords", "metadataPrefix": report.metadata_prefix}
        params.update({k: v for k, v in (("from", report.from_date), ("set", report.set_spec)) if v})
        started, seen_tokens = None, set()
        while True:
            page = self.page(url, params)
            started = started or page.response_date or format_datestamp(self.clock())
            with self.database.transaction() as session:
                run = session.get(ImportRun, report.run_id)
                self._import(self._service(session), run, page, report, rejects)
                _count(report, run)
            report.pages += 1
            if progress:
                progress(report)
            if page.token is None:
                return started
            if page.token in seen_tokens:
                raise HarvestError(f"the repository sent the resumption token {page.token!r} twice")
            seen_tokens.add(page.token)
            params = {"verb": "ListRecords", "resumptionToken": page.token}

    def _finish(self, report: HarvestReport, rejects: list, started: str | None, granularity: str | None):
        """Close the run; on success only, remember where the next harvest starts."""
        report.rejects_file = self._write_rejects(report.run_id, rejects)
        with self.database.transaction() as session:
            run = session.get(ImportRun, report.run_id)
            run.rejects_file = report.rejects_file
            if report.error:
                self._service(session).finish_run(run, status="failed", error=report.error)
            else:
                self._service(session).finish_run(run)
                report.next_from = _next_from(started, granularity)
                state = self._state(session, report.url, report.metadata_prefix, report.set_spec)
                state.last_datestamp = report.next_from
                state.last_run_at = self.clock()
            _count(report, run)

    def _import(self, service, run, page: _Page, report: HarvestReport, rejects: list) -> None:
        """The page's records in order, in batches between its deletions."""
        batch: list = []

        def flush():
            for raw, outcome in zip(batch, service.import_batch(run, batch) if batch else []):
                if outcome == "rejected":
                    rejects.append(raw)
            batch.clear()

        for identifier, _datestamp, deleted, body in page.records:
            if deleted:
                flush()
                report.deleted += 1
                service.withdraw(run, source=report.source, source_id=identifier)
            else:
                batch.append(marc_record(body, identifier, position=run.read + len(batch) + 1))
        flush()

    def _service(self, session):
        if self.rules is None:
            return ImportService(session, self.actor, self.clock)
        return ImportService(session, self.actor, self.clock, rules=self.rules)

    def _state(self, session, url: str, prefix: str, set_spec: str | None):
        query = select(HarvestState).where(HarvestState.url == url, HarvestState.metadata_prefix == prefix)
        query = query.where(HarvestState.set_spec == set_spec if set_spec else HarvestState.set_spec.is_(None))
        state = session.scalar(query)
        if state is None:
            state = HarvestState(url=url, metadata_prefix=prefix, set_spec=set_spec)
            session.add(state)
            session.flush()
        return state

    def _write_rejects(self, run_id: int, rejects: list) -> str | None:
        if not rejects or self.rejects_dir is None:
            return None


        folder = Path(self.rejects_dir)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"harvest-{run_id}-rejects.xml"
        written = write_rejects(path, rejects)
        return written[0] if written else None


def _count(report: HarvestReport, run) -> None:
    for name in ("read", "created", "updated", "unchanged", "held", "rejected"):
        setattr(report, name, getattr(run, name))


def _next_from(response_date: str, granularity: str) -> str:
    try:
        moment, _ = parse_datestamp(response_date)
    except ValueError:  # a repository with a broken clock format: keep ours
        moment = utcnow()
    return format_datestamp(moment, granularity)
