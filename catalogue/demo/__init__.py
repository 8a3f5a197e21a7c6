"""The demo collection: about 150 works typical of a Cité des métiers,
written for this project (see works.json), loaded through the services so
every rule applies and every work shows in the audit trail."""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..accounts.services import AccountService
from ..models import Item
from ..services import ItemService, RecordService

WORKS = Path(__file__).with_name("works.json")
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
    accounts: list[str] = field(default_factory=list)


def load_demo(session: Session, *, accounts: bool = True) -> DemoReport:
    """Load every demo work whose items are not there yet. Idempotent."""
    report = DemoReport()
    if accounts:
        people = AccountService(session)
        for username, role, pole, name in DEMO_ACCOUNTS:
            if people.by_username(username) is None:
                people.create(username, DEMO_PASSWORD, role, display_name=name, pole=pole)
                report.accounts.append(f"{username} ({role})")
    actor = AccountService(session).by_username("documentaliste")
    records, items = RecordService(session, actor), ItemService(session, actor)
    known = set(session.scalars(select(Item.barcode)))
    for work in json.loads(WORKS.read_text(encoding="utf-8")):
        copies = work.pop("items")
        if any(copy["barcode"] in known for copy in copies):
            report.skipped += 1
            continue
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
    return report
