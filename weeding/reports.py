"""Weeding's named reports (registered by ``weeding.init_app``): copies not
used for years, past their age or beyond a periodical's retention by the
weeding rules, missing, or stuck in processing. Only the centre's copies
still in the collection are looked at (``scope.weedable``)."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from catalogue.models import Item, Record
from catalogue.vocab import ItemStatus
from core.i18n import N_
from core.reports import Param, Report
from weeding.models import WeedingRule
from weeding.services import candidates, scope
from weeding.vocab import ReasonCode

CHUNK = 500  # ids per IN (...) list

ITEM_COLUMNS = (("item_id", N_("Item")), ("barcode", N_("Barcode")), ("title", N_("Title")),
                ("call_number", N_("Call number")), ("poles", N_("Poles")))


def _item_cells(item: Item, record: Record) -> dict:
    return {"item_id": item.id, "barcode": item.barcode, "title": record.title,
            "call_number": item.call_number or record.call_number,
            "poles": sorted(p.value for p in record.poles)}


def _items(session: Session, *conditions, order=()) -> list[tuple[Item, Record]]:
    query = (select(Item, Record).join(Record, Record.id == Item.record_id)
             .where(scope.weedable(), *conditions).order_by(*order, Item.id))
    return list(session.execute(query).all())


def _items_by_id(session: Session, ids: list[int]) -> dict[int, tuple[Item, Record]]:
    found = {}
    for start in range(0, len(ids), CHUNK):
        found.update((item.id, (item, record))
                     for item, record in _items(session, Item.id.in_(ids[start:start + CHUNK])))
    return found


def stale_items(session: Session, params: dict, now: dt.datetime) -> list[dict]:
    """No use for ``years`` years: the last scan is older, or a copy never
    scanned was acquired (catalogued, when its acquisition date is unknown)
    before then. The longest forgotten first."""
    cutoff = candidates.years_before(now, params["years"])
    never_used = and_(Item.last_used_at.is_(None), or_(
        and_(Item.acquired_on.isnot(None), Item.acquired_on < cutoff.date()),
        and_(Item.acquired_on.is_(None), Item.created_at < cutoff)))
    rows = []
    for item, record in _items(session, or_(Item.last_used_at < cutoff, never_used)):
        last_use = item.last_used_at.date() if item.last_used_at else None
        since = last_use or item.acquired_on or item.created_at.date()
        rows.append((since, {**_item_cells(item, record), "last_use": last_use,
                             "acquired_on": item.acquired_on, "uses": item.use_count or 0}))
    return [cells for _, cells in sorted(rows, key=lambda pair: (pair[0], pair[1]["item_id"]))]


def _flagged(session: Session, code: ReasonCode, now: dt.datetime, figures) -> list[dict]:
    """The copies the weeding rules flag for ``code``, with that reason's figures."""
    flags = [(flag, reason) for flag in candidates.evaluate(session, now=now)
             for reason in flag.reasons if reason.get("code") == code.value]
    items = _items_by_id(session, [flag.item_id for flag, _ in flags])
    rule_ids = {flag.rule_id for flag, _ in flags}
    names = select(WeedingRule.id, WeedingRule.name).where(WeedingRule.id.in_(rule_ids))
    rules = dict(session.execute(names).all()) if rule_ids else {}
    return [{**_item_cells(*items[flag.item_id]), **figures(reason), "rule": rules.get(flag.rule_id)}
            for flag, reason in flags if flag.item_id in items]


def past_age(session: Session, params: dict, now: dt.datetime) -> list[dict]:
    return _flagged(session, ReasonCode.AGE, now, lambda r: {
        "year": r.get("year"), "age_years": r.get("age_years"), "max_years": r.get("max_years")})


def periodicals_beyond_retention(session: Session, params: dict, now: dt.datetime) -> list[dict]:
    return _flagged(session, ReasonCode.PERIODICAL_RETENTION, now, lambda r: {
        "received_on": r.get("received_on"), "keep_years": r.get("keep_years")})


def missing_items(session: Session, params: dict, now: dt.datetime) -> list[dict]:
    return [{**_item_cells(item, record), "location": item.location, "since": item.updated_at.date()}
            for item, record in _items(session, Item.status == ItemStatus.MISSING, order=(Item.updated_at,))]


def items_in_processing(session: Session, params: dict, now: dt.datetime) -> list[dict]:
    """In processing, unchanged for more than ``days`` days (the copy's last change)."""
    cutoff = now - dt.timedelta(days=params["days"])
    stuck = _items(session, Item.status == ItemStatus.PROCESSING, Item.updated_at < cutoff,
                   order=(Item.updated_at,))
    return [{**_item_cells(item, record), "since": item.updated_at.date(),
             "days": (now - item.updated_at).days} for item, record in stuck]


STALE_ITEMS = Report(
    name="stale-items", title=N_("Stale items"),
    description=N_("Copies of the centre not used for years: not scanned since, or, for a copy never "
                   "used, acquired before then."),
    columns=(*ITEM_COLUMNS, ("last_use", N_("Last use")), ("acquired_on", N_("Acquired on")),
             ("uses", N_("Uses"))),
    rows=stale_items, cron="0 7 * * 1",
    params=(Param("years", 3, N_("Years without use"), high=100),),
    mail_columns=("barcode", "title", "call_number", "last_use"),
    mail_header=N_("Barcode · Title · Call number · Last use"))

PAST_AGE = Report(
    name="past-age", title=N_("Items past their age"),
    description=N_("Copies published longer ago than their weeding rule allows."),
    columns=(*ITEM_COLUMNS, ("year", N_("Year")), ("age_years", N_("Age (years)")),
             ("max_years", N_("Threshold (years)")), ("rule", N_("Rule"))),
    rows=past_age, cron="15 7 * * 1",
    mail_columns=("barcode", "title", "call_number", "year"),
    mail_header=N_("Barcode · Title · Call number · Year"))

PERIODICALS_BEYOND_RETENTION = Report(
    name="periodicals-beyond-retention", title=N_("Periodical issues beyond retention"),
    description=N_("Issues of periodicals received longer ago than their weeding rule keeps them."),
    columns=(*ITEM_COLUMNS, ("received_on", N_("Received on")), ("keep_years", N_("Kept (years)")),
             ("rule", N_("Rule"))),
    rows=periodicals_beyond_retention, cron="30 7 1 * *",
    mail_columns=("barcode", "title", "received_on"),
    mail_header=N_("Barcode · Title · Received on"),
    empty=N_("No issue matches today."))

MISSING_ITEMS = Report(
    name="missing-items", title=N_("Missing items"),
    description=N_("Copies marked missing, the longest missing first."),
    columns=(*ITEM_COLUMNS, ("location", N_("Location")), ("since", N_("Since"))),
    rows=missing_items, cron="0 7 1 * *",
    mail_columns=("barcode", "title", "call_number", "since"),
    mail_header=N_("Barcode · Title · Call number · Since"))

ITEMS_IN_PROCESSING = Report(
    name="items-in-processing", title=N_("Items in processing for too long"),
    description=N_("Copies in processing, unchanged for more days than the threshold."),
    columns=(*ITEM_COLUMNS, ("since", N_("Since")), ("days", N_("Days"))),
    rows=items_in_processing, cron="45 7 * * 1",
    params=(Param("days", 30, N_("Days in processing"), high=3650),),
    mail_columns=("barcode", "title", "since", "days"),
    mail_header=N_("Barcode · Title · Since · Days"))

REPORTS = (STALE_ITEMS, PAST_AGE, PERIODICALS_BEYOND_RETENTION, MISSING_ITEMS, ITEMS_IN_PROCESSING)
