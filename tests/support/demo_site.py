"""The demo as the staff meet it after a few weeks, served by ``catalogue
serve``: the demo collection with its staff accounts, plus what the demo
alone leaves empty: a weeding campaign open for a pole (one candidate
decided, one excluded), an import run with an update held for review,
rejects and incoming headings, and a report run.

Used by the accessibility audit of every page (tests/browser) and by the
README's screenshots (docs/screenshots.py).
"""
from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from sqlalchemy import func, select

from accounts.models import User
from acquisitions.models import Proposal
from catalogue.models import Item, Record
from cite import migrate
from cite.demo import DEMO_PASSWORD, load_demo
from core import reporting
from core import reports as named_reports
from core.db import Database
from importers.marc.runner import import_file
from search.engine import make_engine
from search.indexer import drain
from search.models import Goal, Portal
from tests.support import live
from tests.support.marc import cf, df, record
from thesaurus.models import Concept, ConceptCollection, ConceptRelation
from weeding.models import WeedingCandidate, WeedingRule
from weeding.reports import REPORTS
from weeding.services.campaigns import CampaignService
from weeding.services.decisions import DecisionService

PASSWORD = DEMO_PASSWORD
CAMPAIGN_POLE = "pathway"  # the demo's conseiller-parcours and conseillere-parcours vote on it
REPORT = "stale-items"
LEADER = "00000nam a2200000 a 4500"


@dataclass
class DemoSite:
    url: str
    ids: dict[str, list]  # real ids (and names) to put in paths: ids["record"][0], ids["portal"]...


def _delivery(folder: Path, isbn: str) -> Path:
    """A delivery from the main library: a new work with a subject heading to
    map, another title for a work catalogued here (held: same ISBN), a record
    without title and a truncated one (both rejected)."""
    new = record(LEADER, cf("001", "ML1"), df("245", "10", ("a", "Réussir son entretien d'embauche")),
                 df("650", " 7", ("a", "Entretien d'embauche"), ("2", "rameau")),
                 df("952", "  ", ("p", "ML-0001"), ("o", "EMP 9")))
    retitled = record(LEADER, cf("001", "ML2"), df("020", "  ", ("a", isbn)),
                      df("245", "10", ("a", "Manuel de chimie organique")))
    untitled = record(LEADER, cf("001", "ML3"))
    path = folder / "livraison.mrc"
    path.write_bytes(new.as_marc() + retitled.as_marc() + untitled.as_marc() + b"00100nam  2200037   4500garbage")
    return path


def _weeks_of_weeding(session, librarian: User, campaign) -> None:
    """A candidate kept, with the librarian's comment, and another excluded:
    the rows that show who decided and the button that takes one back."""
    kept, excluded = session.scalars(select(WeedingCandidate.item_id).where(
        WeedingCandidate.campaign_id == campaign.id).order_by(WeedingCandidate.id).limit(2)).all()
    DecisionService(session, librarian).decide(campaign.id, kept, "keep",
                                               comment="Toujours demandé par les conseillers")
    CampaignService(session, librarian).exclude(campaign.id, excluded, reason="Fonds historique du centre")


def prepare(database_url: str, folder: Path) -> dict[str, list]:
    """Fill a migrated, empty database; the ids the pages need."""
    database = Database(database_url)
    try:
        with database.transaction() as session:
            load_demo(session)
            librarian = session.scalar(select(User).where(User.username == "bibliothecaire"))
            campaign = CampaignService(session, librarian).open(
                {"name": "Parcours : guides anciens", "scope": {"pole": CAMPAIGN_POLE}})
            _weeks_of_weeding(session, librarian, campaign)
            isbn = session.scalar(select(Record.isbn).where(Record.isbn.is_not(None), Record.source.is_(None))
                                  .order_by(Record.id))
        run = import_file(database, _delivery(folder, isbn), source="main-library", rejects_dir=folder / "rejects",
                          workers=0)
        named_reports.register(*REPORTS)  # as create_app does
        with database.transaction() as session:
            report_run = reporting.run(session, REPORT)
            related = select(ConceptRelation.source_id).where(ConceptRelation.kind == "related")
            goals = list(session.scalars(select(Goal).where(Goal.published.is_(True)).order_by(Goal.id)))
            ids = {
                "record": [session.scalar(select(func.min(Item.record_id)))],
                "item": [session.scalar(select(func.min(Item.id)))],
                "proposal": [session.scalar(select(func.min(Proposal.id)).where(Proposal.status == status))
                             for status in sorted(set(session.scalars(select(Proposal.status))))],
                "portal": list(session.scalars(select(Portal.slug).order_by(Portal.id))),
                "portal_id": [session.scalar(select(func.min(Portal.id)))],
                "concept": [session.scalar(select(func.min(Concept.id)).where(Concept.id.in_(related)))],
                "collection": [session.scalar(select(func.min(ConceptCollection.id)))],
                "rule": [session.scalar(select(func.min(WeedingRule.id)))],
                "campaign": [campaign.id],
                "run": [run.run],
                "report": [REPORT],
                "report_run": [report_run.id],
                # Empty while the demo ships no goal: the pages that need one say so.
                "goal": [goal.slug for goal in goals],
                "goal_id": [goal.id for goal in goals[:1]],
                "public": sorted({public for goal in goals for public in goal.publics}),
            }
        return ids
    finally:
        database.dispose()


@contextlib.contextmanager
def demo_site(folder: str | os.PathLike, database_url: str | None = None) -> Iterator[DemoSite]:
    """Serve the demo from ``folder`` (its database there unless
    ``database_url`` names a migrated, empty one) until the block ends."""
    folder = Path(folder)
    instance = folder / "instance"
    instance.mkdir(parents=True, exist_ok=True)
    if database_url is None:
        database_url = f"sqlite:///{folder / 'catalogue.db'}"
        database = Database(database_url)
        migrate.upgrade(database)
        database.dispose()
    ids = prepare(database_url, folder)
    database = Database(database_url)
    engine = make_engine({"SEARCH_ENGINE": "embedded", "SEARCH_PATH": str(instance / "search.db")})
    drain(database, engine)
    engine.close()
    database.dispose()
    with live.live_server(database_url, instance) as url:
        yield DemoSite(url, ids)
