"""Moving a proposal through its states (the graph: ``acquisitions.workflow``).

Every move is checked against the graph (MoveNotAllowed: 409, saying which
moves the proposal allows), the mover's role (MoveForbidden: 403, saying who
may) and the proposal's version (VersionConflict: 409, showing both). What a
move carries (``data``):

- to ``accepted``: ``fund_id`` (default: this fiscal year's fund of the
  proposal's pole, or the general fund); beyond what the fund has left,
  ``override: true`` and a ``comment`` from a librarian (OverBudget: 409);
- to ``rejected``: ``rejection_reason``, and ``record_id`` when the work is
  already held;
- to ``ordered``: ``supplier_id``, ``quantity``, ``unit_price``,
  ``expected_on`` (acquisitions.services.orders), the same budget check;
- to ``received``: ``quantity``, ``unit_price``, ``barcodes``, ``record_id``;
- any move: ``comment``, kept with the event.

Each move is one ProposalEvent (who, when, from, to, why and what it
carried), and the proposer hears of it.
"""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy.orm.exc import StaleDataError

from accounts.permissions import MANAGE_BUDGETS, roles_with
from accounts.services import NotificationService
from acquisitions import workflow
from acquisitions.errors import MoveForbidden, MoveNotAllowed, OverBudget
from acquisitions.models import Fund, Proposal, ProposalEvent
from acquisitions.services import notices
from acquisitions.services.budgets import BudgetService, fiscal_year, fund_label
from acquisitions.services.orders import OrderService
from acquisitions.services.proposals import ProposalService, snapshot
from acquisitions.vocab import ProposalStatus as S
from acquisitions.vocab import RejectionReason
from catalogue.models import Item, Record
from catalogue.services.items import ItemService
from core.db import utcnow
from core.errors import ValidationFailed, VersionConflict
from core.i18n import N_
from core.services import Service

ZERO = Decimal("0.00")


class MoveService(Service):
    """``fiscal_start``: the first month of the fiscal year (CATALOGUE_FISCAL_YEAR_START_MONTH)."""

    def __init__(self, session, actor=None, clock=utcnow, *, fiscal_start: int = 1):
        super().__init__(session, actor, clock)
        self.fiscal_start = fiscal_start

    def move(self, proposal_id: int, target: str, *, expected_version: int, data: dict | None = None) -> Proposal:
        data = dict(data or {})
        proposal = ProposalService(self.session, self.actor, self.clock).get(proposal_id)
        try:
            target = S(target)
        except ValueError:
            raise ValidationFailed({"to": [N_("This is not a state of a proposal.")]}) from None
        if proposal.version != expected_version:
            raise VersionConflict(N_("Someone moved or changed this proposal meanwhile: check its state, then try "
                                     "again."), current=snapshot(proposal), submitted={"to": target.value, **data})
        step = self.allowed(proposal, target)
        before = snapshot(proposal)
        source, comment = proposal.status, (str(data.get("comment") or "").strip() or None)
        event = ProposalEvent(from_status=source, to_status=target, at=self.clock(), actor_id=self.actor_id,
                              comment=comment, details={})
        received = getattr(self, f"_to_{target.value}")(proposal, data, event) or 0
        proposal.status, proposal.updated_at = target, self.clock()
        proposal.events.append(event)
        try:
            self.session.flush()
        except StaleDataError:
            raise VersionConflict(N_("Someone moved or changed this proposal meanwhile: check its state, then try "
                                     "again."), current=before, submitted={"to": target.value, **data}) from None
        self.audit.log("proposal.move", "proposal", proposal.id, record_id=proposal.received_record_id,
                       label=proposal.title, changes={"status": [source.value, target.value]})
        notices.moved(NotificationService(self.session, self.clock), proposal, target, self.actor,
                      received=proposal.line.received_quantity if proposal.line else received)
        if step.target in (S.ACCEPTED, S.ORDERED, S.RECEIVED) and proposal.fund is not None:
            BudgetService(self.session, self.actor, self.clock).watch(proposal.fund)
        return proposal

    def allowed(self, proposal: Proposal, target: S) -> workflow.Move:
        """The move to ``target``, if the graph and the actor allow it; refused otherwise."""
        step = workflow.move(proposal.status, target)
        if step is None or ("outstanding" in step.needs and not (proposal.line and proposal.line.outstanding)):
            allowed = [m.target.value for m in workflow.moves_from(proposal.status)
                       if "outstanding" not in m.needs or (proposal.line and proposal.line.outstanding)]
            raise MoveNotAllowed(N_("A proposal in the state “%(state_label)s” cannot move to “%(target_label)s”."),
                                 allowed=allowed, state_label=proposal.status.label, target_label=target.label)
        if not _can(self.actor, step.permission):
            raise MoveForbidden(N_("Your role cannot make this move."), allowed_roles=[
                role.value for role in roles_with(step.permission)])
        if step.proposer_only and proposal.proposed_by_id != self.actor_id:
            raise MoveForbidden(N_("Only the staff member who made the proposal may withdraw it."),
                                allowed_roles=[])
        return step

    def offered(self, proposal: Proposal) -> list[workflow.Move]:
        """The moves the actor may make now (the buttons of the proposal's page)."""
        found = []
        for step in workflow.moves_from(proposal.status):
            try:
                self.allowed(proposal, step.target)
            except (MoveNotAllowed, MoveForbidden):
                continue
            found.append(step)
        return found

    # One method per state reached: what the move needs and does -------------
    def _to_under_review(self, proposal, data, event) -> None:
        if proposal.status is S.REJECTED:
            proposal.rejection_reason = None

    def _to_withdrawn(self, proposal, data, event) -> None:
        pass

    def _to_rejected(self, proposal, data, event) -> None:
        try:
            reason = RejectionReason(data.get("rejection_reason"))
        except ValueError:
            raise ValidationFailed({"rejection_reason": [N_("Say why the proposal is rejected.")]}) from None
        if reason is RejectionReason.ALREADY_HELD and data.get("record_id") not in (None, ""):
            proposal.record_id = self._record_id(data["record_id"])
        proposal.rejection_reason = reason
        event.reason_code = reason.value
        event.details = {"record_id": proposal.record_id} if reason is RejectionReason.ALREADY_HELD else {}

    def _to_accepted(self, proposal, data, event) -> None:
        fund = self._fund(proposal, data.get("fund_id"))
        proposal.fund = fund
        need = proposal.estimated_total or ZERO
        event.details = {"fund_id": fund.id, "fund": f"{fund.code} {fund.year}", "amount": str(need)}
        self._within_budget(fund, need, data, event)

    def _to_ordered(self, proposal, data, event) -> None:
        if proposal.fund is None:
            proposal.fund = self._fund(proposal, data.get("fund_id"))
        orders = OrderService(self.session, self.actor, self.clock)
        line = orders.order_line(proposal, data)
        # The estimate committed at acceptance gives way to the order's price.
        need = line.unit_price * line.quantity - (proposal.estimated_total or ZERO)
        event.details = {"order_id": line.order_id, "quantity": line.quantity, "unit_price": str(line.unit_price)}
        self._within_budget(proposal.fund, need, data, event)

    def _to_received(self, proposal, data, event) -> int:
        order_price = proposal.line.unit_price
        receipt = OrderService(self.session, self.actor, self.clock).receive(proposal, data)
        event.details = {"quantity": receipt.quantity, "unit_price": str(receipt.unit_price),
                         "record_id": receipt.record_id, "items": [link.item_id for link in receipt.items]}
        # Copies dearer than ordered spend more than was committed for them.
        self._within_budget(proposal.fund, (receipt.unit_price - order_price) * receipt.quantity, data, event)
        self._retire_replaced(proposal, event)
        return receipt.quantity

    def _retire_replaced(self, proposal: Proposal, event: ProposalEvent) -> None:
        """A replacement decided in weeding: the old copy stayed on the shelf
        until now, when the new one has come."""
        old = self.session.get(Item, proposal.replaces_item_id) if proposal.replaces_item_id else None
        if old is not None and ItemService(self.session, self.actor, self.clock).withdraw(
                old, reason=f"replaced: proposal {proposal.id} received"):
            event.details = {**(event.details or {}), "withdrawn_item_id": old.id}

    def _to_catalogued(self, proposal, data, event) -> None:
        """Shelving ends the purchase: copies still expected are cancelled
        (the order line keeps those received), which frees their commitment."""
        orders = OrderService(self.session, self.actor, self.clock)
        shelved = orders.shelve(proposal)
        event.details = {"items": [item.id for item in shelved]}
        if proposal.line is not None and proposal.line.outstanding:
            event.details["cancelled_copies"] = proposal.line.outstanding
            proposal.line.quantity = proposal.line.received_quantity
        orders.close_when_complete(proposal.line.order if proposal.line else None)

    # ------------------------------------------------------------------------
    def _fund(self, proposal: Proposal, fund_id) -> Fund:
        budgets = BudgetService(self.session, self.actor, self.clock)
        if fund_id not in (None, ""):
            fund = self.session.get(Fund, _number(fund_id)) if _number(fund_id) else None
            if fund is None:
                raise ValidationFailed({"fund_id": [N_("There is no such fund.")]})
            return fund
        year = fiscal_year(self.clock().date(), self.fiscal_start)
        for code in ([proposal.pole.value] if proposal.pole else []) + ["general"]:
            fund = budgets.find(year, code)
            if fund is not None:
                return fund
        raise ValidationFailed({"fund_id": [N_("No fund is open for this fiscal year: open the year's funds "
                                               "first (catalogue acquisitions rollover).")]})

    def _within_budget(self, fund: Fund, need: Decimal, data: dict, event: ProposalEvent) -> None:
        """Refuse what the fund cannot pay, unless a librarian overrides it with a reason."""
        if need <= 0:
            return
        # The proposal's state has not moved yet: the figures are those before the move.
        self.session.flush()
        remaining = BudgetService(self.session, self.actor, self.clock).figures_of(fund).remaining
        if need <= remaining:
            return
        if not _flag(data.get("override")):
            raise OverBudget(fund_label=fund_label(fund), year=fund.year, remaining=remaining, needed=need)
        if not _can(self.actor, MANAGE_BUDGETS):
            raise MoveForbidden(N_("Only a librarian may go over a fund's budget."), allowed_roles=[
                role.value for role in roles_with(MANAGE_BUDGETS)])
        if not event.comment:
            raise ValidationFailed({"comment": [N_("Say why the fund may go over its budget.")]})
        event.details = {**(event.details or {}), "override": True, "remaining": str(remaining),
                         "needed": str(need)}

    def _record_id(self, value) -> int:
        record = self.session.get(Record, _number(value)) if _number(value) else None
        if record is None:
            raise ValidationFailed({"record_id": [N_("There is no work with this number in the catalogue.")]})
        return record.id


def _can(actor, permission: str) -> bool:
    return actor is not None and getattr(actor, "active", False) and actor.can(permission)


def _number(value) -> int | None:
    """A row number given as any value, or None when it cannot be one."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2 ** 63 else None


def _flag(value) -> bool:
    return value is True or str(value).strip().lower() in ("1", "true", "yes", "on")
