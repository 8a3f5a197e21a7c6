"""Demo acquisitions: this fiscal year's funds, three suppliers, about twenty
proposals in every state of their life, the orders that bought some of them,
and a year of observatory counts behind them (acquisitions.json, written
for this project: invented titles, authors, suppliers; ISBNs in 979-10-99).

Everything goes through the services (ProposalService, MoveService,
BudgetService, OrderService), so every rule applies and every move is in
the proposals' history; the observatory's counts are added as
search.stats.record_search adds them, in bulk. The services run on a
clock set back to when each step happened in the story, spread over the
fiscal year so far. Demo accounts have no e-mail address: nothing is mailed.

Loaded once: skipped when a demo supplier exists or this fiscal year's funds
are already open (a real budget is not for the demo to spend).
"""
from __future__ import annotations

import datetime as dt
import json
import random
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from accounts.services import AccountService
from acquisitions.models import Fund, Order, Supplier
from acquisitions.services.budgets import BudgetService, fiscal_year
from acquisitions.services.moves import MoveService
from acquisitions.services.orders import OrderService
from acquisitions.services.proposals import ProposalService
from acquisitions.vocab import OrderStatus
from catalogue.models import Record
from core.db import utcnow
from search.models import QueryCount, SearchDay
from search.stats import normalise

DATA = Path(__file__).with_name("acquisitions.json")
SECOND_COUNSELLOR = ("conseillere", "counsellor", "career_change", "Nadia Conseillère")
STAFF = ("documentaliste", "conseiller", "conseillere", "bibliothecaire", "admin")
STORY_DAYS = 330  # the story's first day, in days before today, when the fiscal year is that old
CLOSED_DAYS = {(1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25)}
SEASON = {7: 0.6, 8: 0.3, 9: 1.3, 10: 1.1}  # summer is quiet, the autumn busy
UTC = dt.timezone.utc


@dataclass
class AcquisitionsReport:
    accounts: list[str] = field(default_factory=list)
    funds: int = 0
    suppliers: int = 0
    proposals: int = 0
    orders: int = 0
    searches: int = 0


def load_acquisitions(session: Session, *, today: dt.date) -> AcquisitionsReport:
    """Load the demo acquisitions unless they (or this year's funds) are there. Idempotent."""
    from cite.demo import DEMO_PASSWORD  # here: cite.demo imports this module

    report = AcquisitionsReport()
    people = AccountService(session)
    username, role, pole, name = SECOND_COUNSELLOR
    if people.by_username(username) is None:
        people.create(username, DEMO_PASSWORD, role, display_name=name, pole=pole)
        report.accounts.append(f"{username} ({role})")
    staff = {username: people.by_username(username) for username in STAFF}
    if any(user is None or not user.active for user in staff.values()):
        return report  # a demo account was removed: its part of the story cannot be told
    year = fiscal_year(today, 1)
    spec = json.loads(DATA.read_text(encoding="utf-8").replace("{year}", str(year))
                      .replace("{next}", str(year + 1)))
    names = [supplier["name"] for supplier in spec["suppliers"]]
    if (session.scalar(select(Supplier.id).where(Supplier.name.in_(names)).limit(1)) is not None
            or session.scalar(select(Fund.id).where(Fund.year == year).limit(1)) is not None):
        return report
    clock = _Clock(today, dt.date(year, 1, 1))
    clock.at(STORY_DAYS)
    funds = {code: BudgetService(session, staff["admin"], clock).create(
        year, code, {"allocated": allocated, "warning_percent": 80}) for code, allocated in spec["funds"].items()}
    suppliers = {data["name"]: OrderService(session, staff["admin"], clock).save_supplier(data).id
                 for data in spec["suppliers"]}
    report.funds, report.suppliers = len(funds), len(suppliers)
    orders_before = session.scalar(select(func.count()).select_from(Order))

    # Every step of the story, oldest first: ("create" | "support" | "comment" | "move" | "send", ...)
    steps = [(p["at"], n, "create", p["by"], p) for n, p in enumerate(spec["proposals"])]
    steps += [(step[2], n, *step[:2], step[3:]) for n, p in enumerate(spec["proposals"])
              for step in p.get("steps", [])]
    steps += [(days, None, "send", username, (supplier, reference))
              for username, days, supplier, reference in spec["sends"]]
    steps.sort(key=lambda step: -step[0])  # stable: a proposal's steps of one day keep their order
    proposals: dict[int, int] = {}  # position in the file -> proposal id
    catalogued: dict[str, dt.date] = {}  # title -> day its copies reached the shelves
    for days, n, kind, username, args in steps:
        clock.at(days)
        actor = staff[username]
        if kind == "create":
            data = _resolve(session, args["data"])
            proposals[n] = ProposalService(session, actor, clock).create(data).id
            report.proposals += 1
        elif kind == "support":
            ProposalService(session, actor, clock).support(proposals[n], args[0])
        elif kind == "comment":
            ProposalService(session, actor, clock).comment(proposals[n], args[0])
        elif kind == "send":
            orders = OrderService(session, actor, clock)
            supplier_id = suppliers[args[0]]
            order = next(o for o in orders.orders() if o.supplier_id == supplier_id and o.status is OrderStatus.OPEN)
            orders.send(order.id, args[1])
        else:
            target, data = args[0], _move_data(session, args[1] if len(args) > 1 else {}, funds, suppliers, clock)
            service = ProposalService(session, actor, clock)
            proposal = MoveService(session, actor, clock).move(
                proposals[n], target, expected_version=service.get(proposals[n]).version, data=data)
            if target == "catalogued":
                catalogued[proposal.title] = clock().date()
    report.orders = session.scalar(select(func.count()).select_from(Order)) - orders_before
    report.searches = _observatory(session, spec["searches"], today, catalogued)
    return report


class _Clock:
    """The services' clock, set to a day of the story: ``days`` before today,
    shrunk to fit when the fiscal year began less than STORY_DAYS ago. Each
    reading is a little later than the last, so the history keeps its order."""

    def __init__(self, today: dt.date, start: dt.date):
        now = utcnow()
        self.end = dt.datetime.combine(today, dt.time(16), UTC)
        if today == now.date():
            self.end = min(self.end, now - dt.timedelta(minutes=1))
        self.day = dt.datetime.combine(start, dt.time(8), UTC)
        self.scale = max(0.0, min(1.0, (self.end - self.day) / dt.timedelta(days=STORY_DAYS)))

    def at(self, days: float) -> None:
        day = (self.end - dt.timedelta(days=days * self.scale)).replace(microsecond=0)
        if day.date() < self.end.date():  # office hours (UTC), varying from day to day
            day = dt.datetime.combine(day.date(), dt.time(8 + int(days) % 8, int(days * 23) % 60), UTC)
        self.day = max(day, self.day)

    def __call__(self) -> dt.datetime:
        self.day += dt.timedelta(seconds=3)
        return self.day


def _resolve(session: Session, data: dict) -> dict:
    """``record_title`` names a demo work: its record's id (None when deleted since)."""
    data = dict(data)
    if "record_title" in data:
        data["record_id"] = session.scalar(select(Record.id).where(Record.title == data.pop("record_title"))
                                           .order_by(Record.id).limit(1))
    return data


def _move_data(session: Session, data: dict, funds: dict, suppliers: dict, clock: _Clock) -> dict:
    data = _resolve(session, data)
    if "fund" in data:
        data["fund_id"] = funds[data.pop("fund")].id
    if "supplier" in data:
        data["supplier_id"] = suppliers[data.pop("supplier")]
    if "expected_in" in data:
        data["expected_on"] = (clock.day.date() + dt.timedelta(days=data.pop("expected_in"))).isoformat()
    return data


def _observatory(session: Session, searches: list[dict], today: dt.date, catalogued: dict[str, dt.date]) -> int:
    """A year of anonymous counts: searches on the days the centre is open
    (Tuesday to Saturday, but public holidays), quieter in summer. A query
    ``answered_by`` a proposal found nothing until its copies were shelved;
    ``today`` searches are counted today too, so this month has them."""
    rng = random.Random(f"cite-demo-{today.isoformat()}")
    total = 0
    days: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])  # (day, portal) -> [searches, zero results]
    queries: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])  # (day, portal, pole, query) -> the same
    for day in (today - dt.timedelta(days=n) for n in range(364, -1, -1)):
        open_day = day.weekday() not in (0, 6) and (day.month, day.day) not in CLOSED_DAYS
        for spec in searches:
            times = 0
            if open_day and day.month in spec.get("months", range(1, 13)) and \
                    (today - day).days <= spec.get("recent", 365):
                mean = spec["per_week"] / 5 * SEASON.get(day.month, 1.0) * rng.uniform(0.5, 1.5)
                times = int(mean) + (rng.random() < mean - int(mean))
            if day == today:
                times += spec.get("today", 0)
            if not times:
                continue
            shelved = catalogued.get(spec.get("answered_by", ""))
            found = spec.get("found", True) or (shelved is not None and day >= shelved)
            zero = 0 if found else times
            query = normalise(spec["q"])
            rows = [days[day, spec["portal"]]]
            if query:  # browsing a portal or facets without words is not a query
                rows.append(queries[day, spec["portal"], spec["pole"], query])
            for counts in rows:
                counts[0] += times
                counts[1] += zero
            total += times
    _add_counts(session, SearchDay, ("day", "portal"), days)
    _add_counts(session, QueryCount, ("day", "portal", "pole", "query"), queries)
    return total


def _add_counts(session: Session, model, key: tuple[str, ...], counts: dict[tuple, list[int]]) -> None:
    """Add the year's counts in one statement per table: the upsert of
    search.stats.record_search, made once per row instead of once per
    search and day (seconds saved on every demo load)."""
    if not counts:
        return
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(model.__table__)
    statement = statement.on_conflict_do_update(index_elements=list(key), set_={
        "searches": model.__table__.c.searches + statement.excluded.searches,
        "zero_results": model.__table__.c.zero_results + statement.excluded.zero_results})
    session.execute(statement, [{**dict(zip(key, values)), "searches": searches, "zero_results": zero}
                                for values, (searches, zero) in counts.items()])
