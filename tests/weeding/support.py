"""Helpers of the weeding tests: the staff of the centre (counsellors of two
poles, a documentalist, librarians), copies with a history of use written
straight into the tables (history, not staff actions), and rules."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import insert, update

from catalogue.models import Item, ItemUse
from tests.acquisitions.support import PEOPLE, Staff
from tests.support.factories import make_item, make_record
from weeding.services.rules import RuleService

NOW = dt.datetime.now(dt.timezone.utc)

WEEDING_PEOPLE = {
    **PEOPLE,
    "sophie": ("counsellor", "pathway", "sophie.leroy@cite-metiers.example"),
    "marc": ("counsellor", "pathway", None),
}


def staff(db) -> Staff:
    return Staff(db, WEEDING_PEOPLE)


class Shelf:
    """Builds works and copies: ``shelf.copy(year=2010, uses=[...])``."""

    def __init__(self, db):
        self.db = db
        self.count = 0

    def copy(self, *, title: str | None = None, year: int = 2020, acquired_on: dt.date | None = None,
             uses: list[dt.datetime] = (), poles=("pathway",), document_type: str = "book",
             author: str = "Martin, Léa", condition: str | None = None, call_number: str = "PAR 1",
             library: str = "cite", status: str = "available", record_id: int | None = None,
             descriptors: list[int] = (), **record) -> Item:
        self.count += 1
        if record_id is None:
            made = make_record(self.db, title=title or f"Ouvrage {self.count}", year=year, isbn=None,
                               contributors=[{"name": author, "role": "aut"}], poles=list(poles),
                               document_type=document_type, call_number=call_number,
                               descriptors=list(descriptors), **record)
            record_id = made.id
        item = make_item(self.db, record_id, barcode=f"W{self.count:06d}", library=library, status=status,
                         acquired_on=(acquired_on or dt.date(year, 6, 1)).isoformat(), condition=condition,
                         call_number=call_number)
        if uses:
            with self.db.transaction() as session:
                session.execute(insert(ItemUse), [{"item_id": item.id, "used_at": at} for at in uses])
                session.execute(update(Item).where(Item.id == item.id).values(
                    use_count=len(uses), last_used_at=max(uses)))
        return item


def rule(db, **data):
    with db.transaction() as session:
        made = RuleService(session).create({"name": data.pop("name", "Règle"), **data})
        return made.id


def years_ago(years: float) -> dt.datetime:
    return NOW - dt.timedelta(days=int(365.25 * years))
