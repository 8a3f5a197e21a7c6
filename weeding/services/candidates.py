"""Which copies the rules flag, and why: one SQL statement over the database
(never the search index), then each flag's reasons with their figures.

Each copy is judged by the first active rule, in the rules' order, whose
scope covers it (a CASE over the scopes); it is a candidate when any
criterion of that rule fires, and every criterion that fires is a reason:

- age: published more than ``max_age_years`` years ago;
- no_use: no scan for ``max_unused_years`` years, counted from the
  acquisition (or the cataloguing) of a copy never used;
- low_use: fewer than ``low_use_min`` scans in the last ``low_use_years``
  years, for a copy held that long;
- superseded: a later year of the same work (the match key without its
  year) is in the catalogue;
- periodical_retention: a periodical's issue received more than
  ``periodical_keep_years`` years ago;
- condition: the copy's condition is one of ``conditions``.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import String, and_, case, func, literal, literal_column, or_, select, type_coerce
from sqlalchemy.orm import Session

from catalogue.models import Item, ItemUse, Record
from catalogue.vocab import DocumentType
from core.db import utcnow
from weeding.models import WeedingRule
from weeding.services import scope as scopes
from weeding.vocab import ReasonCode as R

DIGITS = "0123456789"


@dataclass
class Flag:
    item_id: int
    record_id: int
    rule_id: int | None
    reasons: list[dict] = field(default_factory=list)


def years_before(moment: dt.datetime, years: int) -> dt.datetime:
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year - years, day=28)


def work_key(match_key):
    """The match key without its year: the same work in any edition."""
    # Inline, not a bound parameter: PostgreSQL must see the GROUP BY's
    # expression and the SELECT's as the same one.
    return func.rtrim(match_key, literal_column(f"'{DIGITS}'"))


def evaluate(session: Session, *, scope: dict | None = None, rules: list[WeedingRule] | None = None,
             now: dt.datetime | None = None, limit_to: list[int] | None = None) -> list[Flag]:
    """The copies in ``scope`` (a clean scope, see weeding.services.scope) the
    ``rules`` flag (default: the active ones), by item id. ``limit_to``: only
    these item ids (to explain a copy added by hand)."""
    now = now or utcnow()
    if rules is None:
        rules = list(session.scalars(select(WeedingRule).where(WeedingRule.active.is_(True))
                                     .order_by(WeedingRule.position, WeedingRule.id)))
    if not rules:
        return []
    which = case(*[(scopes.of_rule(session, rule), rule.id) for rule in rules], else_=None)
    base = (select(Item.id.label("item_id"), Item.record_id, Record.year, Record.document_type, Record.match_key,
                   Item.acquired_on, Item.created_at, Item.last_used_at, Item.condition, which.label("rule_id"))
            .join(Record, Record.id == Item.record_id)
            .where(scopes.weedable(), scopes.conditions(session, **(scope or {}))))
    if limit_to is not None:
        base = base.where(Item.id.in_(limit_to))
    # Materialised: every criterion reads the copy's rule, and an inlined
    # CASE over the rules' scopes would be evaluated again for each of them.
    base = base.cte("base").prefix_with("MATERIALIZED")
    fired, uses = _criteria(base, rules, now)
    # Moments as the driver gives them, read in Python only for the few
    # reasons that show them: converting every row's would cost more than the query.
    columns = [base.c.item_id, base.c.record_id, base.c.year, type_coerce(base.c.acquired_on, String).label(
                   "acquired_on"), type_coerce(base.c.condition, String).label("condition"),
               base.c.rule_id, type_coerce(base.c.last_used_at, String).label("last_used_at"),
               type_coerce(case((base.c.acquired_on.is_(None), base.c.created_at)), String).label("created_at"),
               uses.label("uses")]
    source = base
    if any(rule.superseded for rule in rules):
        newest = _newest_editions()
        source = base.outerjoin(newest, work_key(base.c.match_key) == newest.c.work)
        fired[R.SUPERSEDED] = _per_rule(base, [r for r in rules if r.superseded],
                                        lambda r: newest.c.newest > base.c.year)
        columns += [newest.c.newest, newest.c.newest_id]
    else:
        columns += [literal(None).label("newest"), literal(None).label("newest_id")]
    judged = select(*columns, *(flag.label(f"fired_{code.value}") for code, flag in fired.items()))
    judged = judged.select_from(source).subquery("judged")
    flags = [judged.c[f"fired_{code.value}"] for code in fired]
    # Core rows on the session's connection: the ORM's per-row work would double the time.
    rows = session.connection().execute(select(judged).where(sum(flags[1:], flags[0]) > 0)
                                        .order_by(judged.c.item_id)).all() if flags else []
    return _flags(rows, {rule.id: rule for rule in rules}, [code.value for code in fired], now)


def _newest_editions():
    """Per work (the match key without its year): the latest year held and
    that edition's record, the first catalogued among equals."""
    work = work_key(Record.match_key)
    ranked = (select(work.label("work"), Record.year, Record.id, func.row_number().over(
        partition_by=work, order_by=(Record.year.desc(), Record.id)).label("rank"))
        .where(Record.match_key.isnot(None), Record.year.isnot(None)).subquery("ranked"))
    return (select(ranked.c.work, ranked.c.year.label("newest"), ranked.c.id.label("newest_id"))
            .where(ranked.c.rank == 1).cte("newest").prefix_with("MATERIALIZED"))


def _criteria(base, rules: list[WeedingRule], now: dt.datetime):
    def held_since(moment: dt.datetime):
        return or_(and_(base.c.acquired_on.isnot(None), base.c.acquired_on < moment.date()),
                   and_(base.c.acquired_on.is_(None), base.c.created_at < moment))

    def uses_since(moment: dt.datetime):
        return (select(func.count(ItemUse.id)).where(ItemUse.item_id == base.c.item_id, ItemUse.used_at >= moment)
                .scalar_subquery())

    fired = {
        R.AGE: _per_rule(base, [r for r in rules if r.max_age_years], lambda r: and_(
            base.c.year.isnot(None), base.c.year < now.year - r.max_age_years)),
        R.NO_USE: _per_rule(base, [r for r in rules if r.max_unused_years], lambda r: or_(
            and_(base.c.last_used_at.isnot(None), base.c.last_used_at < years_before(now, r.max_unused_years)),
            and_(base.c.last_used_at.is_(None), held_since(years_before(now, r.max_unused_years))))),
        R.PERIODICAL_RETENTION: _per_rule(base, [r for r in rules if r.periodical_keep_years], lambda r: and_(
            base.c.document_type == DocumentType.PERIODICAL, held_since(years_before(now, r.periodical_keep_years)))),
        R.CONDITION: _per_rule(base, [r for r in rules if r.conditions], lambda r: base.c.condition.in_(r.conditions)),
    }
    low = [r for r in rules if r.low_use_min and r.low_use_years]
    uses = case(*[(base.c.rule_id == r.id, uses_since(years_before(now, r.low_use_years))) for r in low],
                else_=None) if low else literal(None)
    fired[R.LOW_USE] = _per_rule(base, low, lambda r: and_(
        held_since(years_before(now, r.low_use_years)), uses_since(years_before(now, r.low_use_years)) < r.low_use_min))
    return {code: flag for code, flag in fired.items() if flag is not None}, uses


def _per_rule(base, rules: list[WeedingRule], condition):
    """1 where the copy's own rule has the criterion and it fires, else 0 (None: no rule has it)."""
    if not rules:
        return None
    return case(*[(and_(base.c.rule_id == rule.id, condition(rule)), 1) for rule in rules], else_=0)


def _age(row, rule, now) -> dict:
    return {"year": row.year, "age_years": now.year - row.year, "max_years": rule.max_age_years}


def _day(moment) -> str:
    """A day or moment as the driver gives it (text on SQLite, a date or datetime on PostgreSQL), as its ISO day."""
    if isinstance(moment, dt.datetime):
        return moment.date().isoformat()
    return moment.isoformat() if isinstance(moment, dt.date) else str(moment)[:10]


def _held_since(row) -> str:
    return _day(row.acquired_on if row.acquired_on else row.created_at)


def _no_use(row, rule, now) -> dict:
    if row.last_used_at:
        return {"last_use": _day(row.last_used_at), "held_since": None, "max_years": rule.max_unused_years}
    return {"last_use": None, "held_since": _held_since(row), "max_years": rule.max_unused_years}


def _low_use(row, rule, now) -> dict:
    return {"uses": row.uses or 0, "years": rule.low_use_years, "min_uses": rule.low_use_min}


def _superseded(row, rule, now) -> dict:
    return {"year": row.year, "newer_year": row.newest, "newer_record_id": row.newest_id}


def _retention(row, rule, now) -> dict:
    return {"received_on": _held_since(row), "keep_years": rule.periodical_keep_years}


def _condition(row, rule, now) -> dict:
    return {"condition": row.condition}


FIGURES = {R.AGE.value: _age, R.NO_USE.value: _no_use, R.LOW_USE.value: _low_use,
           R.SUPERSEDED.value: _superseded, R.PERIODICAL_RETENTION.value: _retention,
           R.CONDITION.value: _condition}


def _flags(rows, rules: dict[int, WeedingRule], codes: list[str], now: dt.datetime) -> list[Flag]:
    """Each row's Flag with its reasons (plain loops: a whole collection may be tens of thousands)."""
    plan = [(f"fired_{code}", code, FIGURES[code]) for code in codes]
    found = []
    for row in rows:
        rule = rules[row.rule_id]
        mapping = row._mapping
        found.append(Flag(row.item_id, row.record_id, rule.id, [
            {"code": code, **figures(row, rule, now)} for column, code, figures in plan if mapping[column]]))
    return found
