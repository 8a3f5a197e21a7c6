"""Funds and what they can still pay for.

A fund per advice pole plus the general fund, per fiscal year (the year it
starts in; its first month is CATALOGUE_FISCAL_YEAR_START_MONTH). For each:

- committed: the estimates of accepted proposals, and the ordered copies not
  received yet, at their order price;
- spent: the copies received, at their price;
- remaining: allocated - committed - spent.

Amounts are read row by row and summed as Decimal: SQLite would add them as
floating-point numbers.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from accounts.models import User
from accounts.services import NotificationService
from acquisitions.models import GENERAL_FUND, Fund, OrderLine, Proposal, Receipt
from acquisitions.services import notices
from acquisitions.vocab import ProposalStatus
from catalogue.services.validation import FieldErrors, amount
from core.errors import NotFound, ValidationFailed, VersionConflict
from core.i18n import N_
from core.services import Service
from core.vocab import Pole

ZERO = Decimal("0.00")
FUND_CODES = (GENERAL_FUND, *Pole.values())


def fiscal_year(day: dt.date, start_month: int) -> int:
    """The fiscal year ``day`` falls in, named by the calendar year it starts in."""
    return day.year if day.month >= start_month else day.year - 1


@dataclass(frozen=True)
class Figures:
    fund: Fund
    allocated: Decimal
    committed: Decimal
    spent: Decimal

    @property
    def remaining(self) -> Decimal:
        return self.allocated - self.committed - self.spent

    @property
    def used_percent(self) -> int:
        if self.allocated <= 0:
            return 0 if self.committed + self.spent == 0 else 100
        return int((self.committed + self.spent) * 100 / self.allocated)

    @property
    def warning(self) -> bool:
        return self.allocated > 0 and self.used_percent >= self.fund.warning_percent

    def as_dict(self) -> dict:
        return {"fund_id": self.fund.id, "year": self.fund.year, "code": self.fund.code,
                "pole": self.fund.pole.value if self.fund.pole else None, "allocated": str(self.allocated),
                "committed": str(self.committed), "spent": str(self.spent), "remaining": str(self.remaining),
                "warning_percent": self.fund.warning_percent, "used_percent": self.used_percent,
                "warning": self.warning, "version": self.fund.version}


def fund_label(fund: Fund) -> str:
    """A message id naming the fund (its pole's goal, or the general fund)."""
    return fund.pole.label if fund.pole else N_("General fund")


class BudgetService(Service):
    def funds(self, year: int) -> list[Fund]:
        """The year's funds: the general fund first, then the poles in their order."""
        order = {code: position for position, code in enumerate(FUND_CODES)}
        found = self.session.scalars(select(Fund).where(Fund.year == year)).all()
        return sorted(found, key=lambda fund: order.get(fund.code, len(order)))

    def get(self, fund_id: int) -> Fund:
        fund = self.session.get(Fund, fund_id) if 0 < fund_id < 2 ** 63 else None
        if fund is None:
            raise NotFound(N_("There is no fund number %(id)s."), id=fund_id)
        return fund

    def find(self, year: int, code: str) -> Fund | None:
        return self.session.scalar(select(Fund).where(Fund.year == year, Fund.code == code))

    def years(self) -> list[int]:
        return sorted(self.session.scalars(select(Fund.year).distinct()), reverse=True)

    def figures(self, year: int) -> list[Figures]:
        funds = self.funds(year)
        amounts = _amounts(self.session, [fund.id for fund in funds])
        return [Figures(fund, fund.allocated, *amounts[fund.id]) for fund in funds]

    def figures_of(self, fund: Fund) -> Figures:
        return Figures(fund, fund.allocated, *_amounts(self.session, [fund.id])[fund.id])

    def create(self, year: int, code: str, data: dict) -> Fund:
        """Open a fund (administrators). ``data``: allocated, warning_percent, holder."""
        errors = FieldErrors()
        if not 2000 <= year <= 2999:
            errors.add("year", N_("Give a year such as 2026."))
        if code not in FUND_CODES:
            errors.add("code", N_("Choose an advice pole's fund, or the general fund."))
        clean = _clean_fund(self.session, data, errors)
        if errors:
            raise ValidationFailed(dict(errors))
        if self.find(year, code) is not None:
            raise ValidationFailed({"code": [N_("This fund is already open for that year.")]})
        fund = Fund(year=year, code=code, allocated=clean.get("allocated") or ZERO,
                    warning_percent=clean.get("warning_percent", 80), holder_id=clean.get("holder_id"))
        self.session.add(fund)
        self.session.flush()
        self.audit.log("fund.create", "fund", fund.id, record_id=None, label=f"{code} {year}",
                       changes={"allocated": [None, str(fund.allocated)]})
        return fund

    def update(self, fund_id: int, data: dict, *, expected_version: int) -> Fund:
        """Change a fund's allocation, threshold or holder (librarians)."""
        fund = self.get(fund_id)
        errors = FieldErrors()
        clean = _clean_fund(self.session, data, errors)
        if errors:
            raise ValidationFailed(dict(errors))
        before = _fund_fields(fund)
        if fund.version != expected_version:
            raise VersionConflict(N_("Someone changed this fund meanwhile: check their figures, then save again."),
                                  current={**before, "version": fund.version},
                                  submitted={k: str(v) for k, v in clean.items()})
        for name, value in clean.items():
            setattr(fund, name, value)
        try:
            self.session.flush()
        except StaleDataError:
            raise VersionConflict(N_("Someone changed this fund meanwhile: check their figures, then save again."),
                                  current=before, submitted={k: str(v) for k, v in clean.items()}) from None
        changes = {k: [before[k], after] for k, after in _fund_fields(fund).items() if before[k] != after}
        self.audit.log("fund.update", "fund", fund.id, record_id=None, label=f"{fund.code} {fund.year}",
                       changes=changes)
        self.watch(fund)
        return fund

    def watch(self, fund: Fund) -> None:
        """Tell the fund's holder (or the librarians) once when it reaches its
        warning threshold; forget it when back under (a larger allocation)."""
        figures = self.figures_of(fund)
        if figures.warning and fund.warned_at is None:
            fund.warned_at = self.clock()
            notices.fund_threshold(NotificationService(self.session, self.clock), fund, figures.used_percent,
                                   fund_label(fund))
        elif not figures.warning and fund.warned_at is not None:
            fund.warned_at = None
        self.session.flush()

    def rollover(self, from_year: int, to_year: int, *, percent: int = 100) -> dict:
        """Open ``to_year``'s funds from ``from_year``'s (allocations times
        ``percent``/100, thresholds and holders kept) and move to them the
        accepted proposals not ordered yet. Safe to run twice."""
        if to_year <= from_year:
            raise ValidationFailed({"to_year": [N_("The new year must come after the old one.")]})
        if not 0 <= percent <= 1000:
            raise ValidationFailed({"percent": [N_("Give a percentage between 0 and 1000.")]})
        report = {"opened": [], "kept": [], "moved": 0}
        targets = {}
        for fund in self.funds(from_year):
            target = self.find(to_year, fund.code)
            if target is None:
                allocated = (fund.allocated * percent / 100).quantize(Decimal("0.01"))
                target = self.create(to_year, fund.code, {"allocated": allocated,
                                                          "warning_percent": fund.warning_percent,
                                                          "holder_id": fund.holder_id})
                report["opened"].append(fund.code)
            else:
                report["kept"].append(fund.code)
            targets[fund.id] = target
        for proposal in self.session.scalars(select(Proposal).where(
                Proposal.fund_id.in_(list(targets)), Proposal.status == ProposalStatus.ACCEPTED)):
            proposal.fund_id = targets[proposal.fund_id].id
            report["moved"] += 1
        self.session.flush()
        self.audit.log("fund.rollover", "fund", 0, record_id=None, label=f"{from_year} → {to_year}",
                       changes={"opened": [None, report["opened"]], "moved": [None, report["moved"]]})
        return report


def _amounts(session: Session, fund_ids: list[int]) -> dict[int, tuple[Decimal, Decimal]]:
    """fund id -> (committed, spent)."""
    committed: dict[int, Decimal] = defaultdict(lambda: ZERO)
    spent: dict[int, Decimal] = defaultdict(lambda: ZERO)
    if not fund_ids:
        return {}
    for fund_id, price, quantity in session.execute(
            select(Proposal.fund_id, Proposal.estimated_price, Proposal.quantity)
            .where(Proposal.fund_id.in_(fund_ids), Proposal.status == ProposalStatus.ACCEPTED)):
        committed[fund_id] += (price or ZERO) * quantity
    for fund_id, price, quantity, received in session.execute(
            select(Proposal.fund_id, OrderLine.unit_price, OrderLine.quantity, OrderLine.received_quantity)
            .join(OrderLine, OrderLine.proposal_id == Proposal.id)
            .where(Proposal.fund_id.in_(fund_ids),
                   Proposal.status.in_((ProposalStatus.ORDERED, ProposalStatus.RECEIVED)))):
        committed[fund_id] += price * max(0, quantity - received)
    for fund_id, price, quantity in session.execute(
            select(Proposal.fund_id, Receipt.unit_price, Receipt.quantity)
            .join(OrderLine, OrderLine.proposal_id == Proposal.id).join(Receipt, Receipt.line_id == OrderLine.id)
            .where(Proposal.fund_id.in_(fund_ids))):
        spent[fund_id] += price * quantity
    return {fund_id: (committed[fund_id], spent[fund_id]) for fund_id in fund_ids}


def _clean_fund(session: Session, data: dict, errors: FieldErrors) -> dict:
    clean = {}
    if "allocated" in data:
        clean["allocated"] = amount(errors, "allocated", data["allocated"])
        if clean["allocated"] is None and "allocated" not in errors:
            errors.add("allocated", N_("Give the amount allocated, for example 1500.00."))
    if "warning_percent" in data:
        try:
            clean["warning_percent"] = int(data["warning_percent"])
            if not 1 <= clean["warning_percent"] <= 100:
                raise ValueError
        except (TypeError, ValueError):
            errors.add("warning_percent", N_("Give a percentage between 1 and 100."))
    if "holder_id" in data:
        holder = data["holder_id"]
        if holder in (None, ""):
            clean["holder_id"] = None
        else:
            try:
                user = session.get(User, int(holder))
            except (TypeError, ValueError, OverflowError):
                user = None
            if user is None:
                errors.add("holder_id", N_("There is no such staff account."))
            else:
                clean["holder_id"] = user.id
    return clean


def _fund_fields(fund: Fund) -> dict:
    return {"allocated": str(fund.allocated), "warning_percent": fund.warning_percent, "holder_id": fund.holder_id}
