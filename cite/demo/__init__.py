"""The demo collection: about 220 works typical of a Cité des métiers,
written for this project (see works.json), loaded through the services so
every rule applies and every work shows in the audit trail.

A small demo thesaurus (thesaurus.ttl, also our own) is imported first, and
the works are indexed with its concepts: works.json names them by the last
part of their URI ("vae"); on an install that has the thesaurus already,
only its missing concepts are created (cite.demo.concepts). The portals
come next (cite.demo.portals): one per advice pole and the centre's other
portals (Handicap, Concours administratifs, Rédaction de CV...), then,
with the staff accounts, the acquisitions: a
second counsellor, this year's funds, suppliers, proposals in every state,
orders and a year of observatory counts (cite.demo.acquisitions). Then the
collection's past: acquisition dates and three years of use
(cite.demo.history), and the default weeding rules, so that statistics and
weeding show real content out of the box."""
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
from catalogue.vocab import Disposal, ItemStatus
from cite.demo import history
from cite.demo.acquisitions import load_acquisitions
from cite.demo.concepts import add_missing_concepts
from cite.demo.goals import load_goals
from cite.demo.portals import load_portals
from core.db import utcnow
from core.vocab import Pole
from thesaurus.models import Concept, ConceptCollection, ConceptScheme
from thesaurus.services.imports import ThesaurusImportService
from thesaurus.skos.read import read
from weeding.services.rules import install_defaults

WORKS = Path(__file__).with_name("works.json")
THESAURUS = Path(__file__).with_name("thesaurus.ttl")
THESAURUS_SCHEME = "https://thesaurus.cite-des-metiers.invalid/demo/scheme"
CONCEPT_PREFIX = "https://thesaurus.cite-des-metiers.invalid/demo/concept/"
DEMO_PASSWORD = "cite-demo-2026"
DEMO_ACCOUNTS = (
    ("documentaliste", "documentalist", None, "Camille Documentaliste"),
    ("conseiller", "counsellor", "job_search", "Karim Conseiller"),
    # Two counsellors of one pole, so a weeding campaign can be reviewed by a pole's team.
    ("conseiller-parcours", "counsellor", "pathway", "Julien Parcours"),
    ("conseillere-parcours", "counsellor", "pathway", "Sophie Parcours"),
    ("bibliothecaire", "librarian", None, "Hélène Bibliothécaire"),
    ("admin", "administrator", None, "Administration"),
)
_ITEM_EXTRAS = ("issue", "withdrawal_reason", "disposal")


@dataclass
class DemoReport:
    created: int = 0
    skipped: int = 0
    items: int = 0
    concepts: int = 0
    portals: int = 0
    goals: int = 0
    accounts: list[str] = field(default_factory=list)
    proposals: int = 0
    funds: int = 0
    orders: int = 0
    uses: int = 0
    uses_per_year: int = 0  # the real centre's rate scaled to the demo's copies
    rules: int = 0


def load_demo(session: Session, *, accounts: bool = True, today: dt.date | None = None) -> DemoReport:
    """Load every demo work whose items are not there yet, and, with the
    accounts, the demo acquisitions as of ``today`` (default: today, UTC;
    never later, as acquisition dates cannot be in the future) unless they
    are there; then the new copies' past (acquisition dates, three years of
    use) and the default weeding rules when there are none. Idempotent."""
    report = DemoReport()
    today = today or utcnow().date()
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
    created: list[Item] = []
    issues: set[int] = set()
    demand: dict[int, float] = {}  # works.json's hint: 0 for a work nobody takes any more
    for work in json.loads(WORKS.read_text(encoding="utf-8")):
        copies = work.pop("items")
        if any(copy["barcode"] in known for copy in copies):
            report.skipped += 1
            continue
        # Concepts deleted or deprecated since are simply left out.
        work["descriptors"] = [concepts[CONCEPT_PREFIX + slug] for slug in work.pop("descriptors", [])
                               if CONCEPT_PREFIX + slug in concepts]
        hint = work.pop("demand", None)
        record = records.create(work)
        first = None  # the day the work's first copy arrived
        latest = max((copy.get("issue") or 0) for copy in copies)
        for copy in copies:
            extras = {key: copy.pop(key, None) for key in _ITEM_EXTRAS}
            barcode = copy["barcode"]
            if extras["issue"]:
                copy["acquired_on"] = history.issue_received(
                    barcode, number=extras["issue"], latest=latest, frequency=work["frequency"], today=today)
            else:
                copy["acquired_on"] = history.acquisition_date(
                    barcode, year=work["year"], status=copy["status"], first=first, today=today)
                first = min(first or copy["acquired_on"], copy["acquired_on"])
            item = items.create(record.id, copy)
            if item.status is ItemStatus.WITHDRAWN:  # gone before the story began, with its paperwork
                item.withdrawn_at = history.withdrawal_time(barcode, acquired=item.acquired_on, today=today)
                item.withdrawal_reason = extras["withdrawal_reason"]
                item.disposal = Disposal(extras["disposal"]) if extras["disposal"] else None
            if extras["issue"]:
                issues.add(item.id)
            if hint is not None:
                demand[item.id] = hint
            created.append(item)
            report.items += 1
        report.created += 1
    session.flush()
    report.portals = load_portals(session, actor)
    report.goals = load_goals(session, actor)  # the centre's "je suis… / je veux…" (cite.demo.goals)
    if accounts:  # the acquisitions' story needs the demo staff
        acquired = load_acquisitions(session, today=today)
        report.accounts += acquired.accounts
        report.proposals, report.funds, report.orders = acquired.proposals, acquired.funds, acquired.orders
    past = history.load_history(session, created, today=today, recorded_by_id=actor.id if actor else None,
                                issues=frozenset(issues), demand=demand)
    report.uses, report.uses_per_year = past.uses, past.per_year
    report.rules = install_defaults(session, actor=None)
    return report


def load_thesaurus(session: Session, actor=None) -> int:
    """Import the demo thesaurus unless its scheme is already there (a second
    run must not undo what documentalists changed since): then only the
    concepts it lacks are created (cite.demo.concepts). Returns the number
    of concepts added."""
    scheme_id = session.scalar(select(ConceptScheme.id).where(ConceptScheme.uri == THESAURUS_SCHEME))
    if scheme_id is not None:
        return add_missing_concepts(session, read(THESAURUS), scheme_id=scheme_id, prefix=CONCEPT_PREFIX,
                                    actor=actor)
    imported = ThesaurusImportService(session, actor).import_graph(read(THESAURUS), source=THESAURUS.name)
    # SKOS has no word for our advice poles: each demo collection carries its
    # pole's code as notation.
    for collection in session.scalars(select(ConceptCollection).where(ConceptCollection.notation.in_(Pole.values()))):
        collection.pole = collection.pole or Pole(collection.notation)
    return len(imported.added)
