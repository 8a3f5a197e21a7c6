"""The collection's age profile: how many copies the centre holds, by year
of publication or of acquisition. Campaigns take it of their scope when
they open and when they close; the statistics page of the whole collection.

Read live (nothing to fold): one grouped pass over the copies. The copies
are counted per work first, then each work's year is read once, in id
order: on SQLite a third faster than a lookup per copy. ``record_id + 0``
keeps SQLite from walking the record_id index instead, a random read per copy.
"""
from __future__ import annotations

from sqlalchemy import extract, func, literal_column, select
from sqlalchemy.orm import Session

from catalogue.models import Item, Record
from catalogue.vocab import ItemStatus, Library
from core.errors import ValidationFailed
from core.i18n import N_

PROFILES = ("publication", "acquisition")
Profile = list[tuple[int | None, int]]


def age_profile(session: Session, *, by: str, items=None) -> Profile:
    """(year, copies), years ascending and None (unknown year) last, of the
    copies the centre holds: in its library, not withdrawn (the main
    library's copies are not the centre's to weed). ``by``: "publication"
    (the work's year) or "acquisition" (the copy's date). ``items``: a
    selectable of ``Item.id`` (or ids) counting only those copies."""
    if by not in PROFILES:
        raise ValidationFailed({"by": [N_("Choose publication or acquisition.")]})
    if by == "acquisition":
        year = extract("year", Item.acquired_on)
        return _ordered(session.execute(select(year, func.count()).where(*_held(items)).group_by(year)).all())
    work = Item.record_id + literal_column("0")
    per_work = (select(work.label("record_id"), func.count().label("copies")).where(*_held(items))
                .group_by(work).subquery())
    return _ordered(session.execute(select(Record.year, func.sum(per_work.c.copies))
                                    .join(per_work, per_work.c.record_id == Record.id)
                                    .group_by(Record.year)).all())


def _held(items) -> list:
    held = [Item.library == Library.CITE, Item.status != ItemStatus.WITHDRAWN]
    if items is not None:
        held.append(Item.id.in_(items))
    return held


def _ordered(rows) -> Profile:
    counted = [(None if year is None else int(year), int(copies)) for year, copies in rows]
    return sorted(counted, key=lambda row: (row[0] is None, row[0] or 0))
