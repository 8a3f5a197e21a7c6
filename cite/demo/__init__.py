"""The demo collection: about 150 works typical of a Cité des métiers,
written for this project (see works.json), loaded through the services so
every rule applies and every work shows in the audit trail.

A small demo thesaurus (thesaurus.ttl, also our own) is imported first, and
the works are indexed with its concepts: works.json names them by the last
part of their URI ("vae"). One thematic portal per advice pole comes next
(cite.demo.portals), then, with the staff accounts, the acquisitions: a
second counsellor, this year's funds, suppliers, proposals in every state,
orders and a year of observatory counts (cite.demo.acquisitions)."""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from accounts.services import AccountService
from catalogue.models import Item
from catalogue.services import ItemService, RecordService
from cite.demo.acquisitions import load_acquisitions
from cite.demo.portals import load_portals
from core.db import utcnow
from core.vocab import Pole
from thesaurus.models import Concept, ConceptCollection, ConceptScheme
from thesaurus.services.imports import ThesaurusImportService
from thesaurus.skos.read import read

WORKS = Path(__file__).with_name("works.json")
THESAURUS = Path(__file__).with_name("thesaurus.ttl")
THESAURUS_SCHEME = "https://thesaurus.cite-des-metiers.invalid/demo/scheme"
CONCEPT_PREFIX = "https://thesaurus.cite-des-metiers.invalid/demo/concept/"
DEMO_PASSWORD = "cite-demo-2026"
DEMO_ACCOUNTS = (
    ("documentaliste", "documentalist", None, "Camille Documentaliste"),
    ("conseiller", "counsellor", "job_search", "Karim Conseiller"),
    ("bibliothecaire", "librarian", None, "Hélène Bibliothécaire"),
    ("admin", "administrator", None, "Administration"),
)
_ITEM_EXTRAS = ("use_count", "last_used_on")


@dataclass
class DemoReport:
    created: int = 0
    skipped: int = 0
    items: int = 0
    concepts: int = 0
    portals: int = 0
    accounts: list[str] = field(default_factory=list)
    proposals: int = 0
    funds: int = 0
    orders: int = 0


def load_demo(session: Session, *, accounts: bool = True, today: dt.date | None = None) -> DemoReport:
    """Load every demo work whose items are not there yet, and, with the
    accounts, the demo acquisitions as of ``today`` (default: today, UTC)
    unless they are there. Idempotent."""
    report = DemoReport()
    if accounts:
        people = AccountService(session)
        for username, role, pole, name in DEMO_ACCOUNTS:
            if people.by_username(username) is None:
                people.create(username, DEMO_PASSWORD, role, display_name=name, pole=pole)
                report.accounts.append(f"{username} ({role})")
    actor = AccountService(session).by_username("documentaliste")
    report.concepts = load_thesaurus(session, actor)
    concepts = dict(session.execute(
        select(Concept.uri, Concept.id).where(Concept.uri.startswith(CONCEPT_PREFIX))).all())
    records, items = RecordService(session, actor), ItemService(session, actor)
    known = set(session.scalars(select(Item.barcode)))
    for work in json.loads(WORKS.read_text(encoding="utf-8")):
        copies = work.pop("items")
        if any(copy["barcode"] in known for copy in copies):
            report.skipped += 1
            continue
        # Concepts deleted or deprecated since are simply left out.
        work["descriptors"] = [concepts[CONCEPT_PREFIX + slug] for slug in work.pop("descriptors", [])
                               if CONCEPT_PREFIX + slug in concepts]
        record = records.create(work)
        for copy in copies:
            extras = {key: copy.pop(key) for key in _ITEM_EXTRAS}
            item = items.create(record.id, copy)
            # Past use makes the demo realistic for weeding reports.
            item.use_count = extras["use_count"]
            if extras["last_used_on"]:
                day = dt.date.fromisoformat(extras["last_used_on"])
                item.last_used_at = dt.datetime(day.year, day.month, day.day, 15, tzinfo=dt.timezone.utc)
            report.items += 1
        report.created += 1
    session.flush()
    report.portals = load_portals(session, actor)
    if accounts:  # the acquisitions' story needs the demo staff
        acquired = load_acquisitions(session, today=today or utcnow().date())
        report.accounts += acquired.accounts
        report.proposals, report.funds, report.orders = acquired.proposals, acquired.funds, acquired.orders
    return report


def load_thesaurus(session: Session, actor=None) -> int:
    """Import the demo thesaurus unless its scheme is already there (a second
    run must not undo what documentalists changed since). Returns the number
    of concepts added."""
    if session.scalar(select(ConceptScheme.id).where(ConceptScheme.uri == THESAURUS_SCHEME)) is not None:
        return 0
    imported = ThesaurusImportService(session, actor).import_graph(read(THESAURUS), source=THESAURUS.name)
    # SKOS has no word for our advice poles: each demo collection carries its
    # pole's code as notation.
    for collection in session.scalars(select(ConceptCollection).where(ConceptCollection.notation.in_(Pole.values()))):
        collection.pole = collection.pole or Pole(collection.notation)
    return len(imported.added)
