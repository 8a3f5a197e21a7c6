"""Suppliers, orders and receipts.

Accepted proposals are ordered from a supplier: one line each, on the
supplier's open order (made when needed). Receiving some or all of a line's
copies creates the catalogue record, or links the one that already holds
the work, and one item per copy, in processing, with its acquisition date
and price. Shelving makes those items available.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from acquisitions.models import (
    Order,
    OrderLine,
    Proposal,
    Receipt,
    ReceiptItem,
    Supplier,
)
from acquisitions.vocab import OrderStatus, RecordRelation
from catalogue.models import Item, Record
from catalogue.services import ItemService, RecordService
from catalogue.services.snapshots import item_fields
from catalogue.services.validation import BARCODE, FieldErrors, amount, text
from catalogue.vocab import ItemStatus, Library
from core.errors import Conflict, NotFound, ValidationFailed
from core.i18n import N_
from core.services import Service


class OrderService(Service):
    # Suppliers -------------------------------------------------------------
    def suppliers(self, *, active_only: bool = False) -> list[Supplier]:
        query = select(Supplier).order_by(Supplier.name)
        if active_only:
            query = query.where(Supplier.active.is_(True))
        return list(self.session.scalars(query))

    def supplier(self, supplier_id: int) -> Supplier:
        supplier = self.session.get(Supplier, supplier_id) if 0 < supplier_id < 2 ** 63 else None
        if supplier is None:
            raise NotFound(N_("There is no supplier number %(id)s."), id=supplier_id)
        return supplier

    def save_supplier(self, data: dict, supplier_id: int | None = None) -> Supplier:
        errors = FieldErrors()
        name, email, notes = text(data.get("name")), text(data.get("email")), text(data.get("notes"))
        if not name:
            errors.add("name", N_("Give the supplier's name."))
        elif len(name) > 200:
            errors.add("name", N_("This field is too long."))
        if email and ("@" not in email or len(email) > 254):
            errors.add("email", N_("Give an e-mail address such as prenom.nom@example.org."))
        if errors:
            raise ValidationFailed(dict(errors))
        taken = self.session.scalar(select(Supplier).where(Supplier.name == name))
        supplier = self.supplier(supplier_id) if supplier_id is not None else Supplier()
        if taken is not None and taken.id != supplier.id:
            raise ValidationFailed({"name": [N_("There is already a supplier of that name.")]})
        supplier.name, supplier.email, supplier.notes = name, email, notes
        if "active" in data:
            supplier.active = bool(data["active"])
        self.session.add(supplier)
        self.session.flush()
        self.audit.log("supplier.save", "supplier", supplier.id, record_id=None, label=name)
        return supplier

    # Orders ----------------------------------------------------------------
    def orders(self, *, status: OrderStatus | None = None) -> list[Order]:
        query = select(Order).options(selectinload(Order.lines).selectinload(OrderLine.proposal))
        if status is not None:
            query = query.where(Order.status == status)
        return list(self.session.scalars(query.order_by(Order.created_at.desc(), Order.id.desc())))

    def order(self, order_id: int) -> Order:
        order = self.session.get(Order, order_id) if 0 < order_id < 2 ** 63 else None
        if order is None:
            raise NotFound(N_("There is no order number %(id)s."), id=order_id)
        return order

    def order_line(self, proposal: Proposal, data: dict) -> OrderLine:
        """Put an accepted proposal on its supplier's open order (or, with no
        supplier given, on the open order whose supplier is still to be
        chosen). ``data``: supplier_id, quantity, unit_price, expected_on;
        the proposal's quantity and estimate by default."""
        errors = FieldErrors()
        supplier = None
        if data.get("supplier_id") not in (None, ""):
            try:
                supplier = self.supplier(int(data["supplier_id"]))
            except (TypeError, ValueError, NotFound):
                errors.add("supplier_id", N_("There is no such supplier."))
        quantity = _positive(errors, "quantity", data.get("quantity"), proposal.quantity)
        unit_price = amount(errors, "unit_price", data.get("unit_price"))
        if unit_price is None and "unit_price" not in errors:
            unit_price = proposal.estimated_price
            if unit_price is None:
                errors.add("unit_price", N_("Give the price of one copy: the proposal has no estimate."))
        expected_on = _date(errors, "expected_on", data.get("expected_on"))
        if errors:
            raise ValidationFailed(dict(errors))
        order = self.session.scalar(select(Order).where(
            Order.status == OrderStatus.OPEN,
            Order.supplier_id == supplier.id if supplier else Order.supplier_id.is_(None)).order_by(Order.id))
        if order is None:
            order = Order(supplier_id=supplier.id if supplier else None, created_at=self.clock(),
                          created_by_id=self.actor_id)
            self.session.add(order)
        line = OrderLine(order=order, proposal_id=proposal.id, quantity=quantity, unit_price=unit_price,
                         expected_on=expected_on, received_quantity=0)
        self.session.add(line)
        self.session.flush()
        return line

    def send(self, order_id: int, reference: str | None = None) -> Order:
        """The order left for the supplier: its lines can no longer move to another order."""
        order = self.order(order_id)
        if order.status is not OrderStatus.OPEN:
            raise Conflict(N_("This order was already sent."))
        if not order.lines:
            raise Conflict(N_("This order has no line yet: order a proposal first."))
        order.status, order.sent_at, order.reference = OrderStatus.SENT, self.clock(), text(reference)
        self.session.flush()
        self.audit.log("order.send", "order", order.id, record_id=None,
                       label=order.supplier.name if order.supplier else None)
        return order

    # Receiving -------------------------------------------------------------
    def receive(self, proposal: Proposal, data: dict) -> Receipt:
        """Receive copies of the proposal's order line. ``data``: quantity
        (default: all still expected), unit_price (default: the order's),
        barcodes (default: provisional ones), record_id (a work to add the
        copies to)."""
        line = proposal.line
        errors = FieldErrors()
        quantity = _positive(errors, "quantity", data.get("quantity"), line.outstanding)
        if quantity > line.outstanding:
            errors.add("quantity", N_("More copies than the order still expects."))
        unit_price = amount(errors, "unit_price", data.get("unit_price"))
        barcodes = [b for b in (text(v) for v in data.get("barcodes") or []) if b]
        if barcodes and len(barcodes) != quantity:
            errors.add("barcodes", N_("Give one barcode per copy received, or none."))
        if any(not BARCODE.match(barcode) for barcode in barcodes):
            errors.add("barcodes", N_("A barcode has at most 64 letters, digits, dots, dashes or slashes, "
                                      "without spaces."))
        record = self._record_to_fill(proposal, data.get("record_id"), errors)
        if errors:
            raise ValidationFailed(dict(errors))
        unit_price = unit_price if unit_price is not None else line.unit_price
        if record is None:
            record = RecordService(self.session, self.actor, self.clock).create(_record_data(proposal))
        proposal.received_record_id = record.id
        receipt = Receipt(line_id=line.id, quantity=quantity, unit_price=unit_price, received_at=self.clock(),
                          received_by_id=self.actor_id, record_id=record.id)
        self.session.add(receipt)
        items = ItemService(self.session, self.actor, self.clock)
        for barcode in barcodes or self._provisional_barcodes(proposal, quantity):
            item = items.create(record.id, {"barcode": barcode, "library": Library.CITE.value,
                                            "status": ItemStatus.PROCESSING.value,
                                            "acquired_on": self.clock().date().isoformat(),
                                            "price": str(unit_price)})
            receipt.items.append(ReceiptItem(item_id=item.id))
        line.received_quantity += quantity
        if line.order.status is OrderStatus.OPEN:  # copies arrive: the order left, by whatever way
            line.order.status, line.order.sent_at = OrderStatus.SENT, self.clock()
        self.session.flush()
        self.close_when_complete(line.order)
        return receipt

    def close_when_complete(self, order: Order | None) -> None:
        """An order whose every line is received is closed."""
        if order is not None and order.status is not OrderStatus.CLOSED and order.lines and all(
                line.outstanding == 0 for line in order.lines):
            order.status = OrderStatus.CLOSED
            self.session.flush()

    def shelve(self, proposal: Proposal) -> list[Item]:
        """Make the copies received for the proposal, still in processing, available."""
        items = ItemService(self.session, self.actor, self.clock)
        shelved = []
        for item in self.items_of(proposal):
            if item.status is ItemStatus.PROCESSING:
                data = dict(item_fields(item), status=ItemStatus.AVAILABLE.value)
                shelved.append(items.update(item.id, data, expected_version=item.version))
        return shelved

    def items_of(self, proposal: Proposal) -> list[Item]:
        if proposal.line is None:
            return []
        return list(self.session.scalars(
            select(Item).join(ReceiptItem, ReceiptItem.item_id == Item.id)
            .join(Receipt, Receipt.id == ReceiptItem.receipt_id)
            .where(Receipt.line_id == proposal.line.id).order_by(Item.id)))

    def _record_to_fill(self, proposal: Proposal, record_id, errors: FieldErrors) -> Record | None:
        """The work the copies go to: one named, the one an earlier receipt
        made, the one the proposal completes, or the catalogue's with the
        same ISBN or ISSN (harvested from the main library, say). None: a
        new record (a newer edition gets its own, the old one stays linked)."""
        if record_id not in (None, ""):
            try:
                return RecordService(self.session).get(int(record_id))
            except (TypeError, ValueError, NotFound):
                errors.add("record_id", N_("Give the number of a work of the catalogue."))
                return None
        for candidate in (proposal.received_record_id,
                          proposal.record_id if proposal.record_relation is RecordRelation.COMPLETES else None):
            if candidate is not None and (record := self.session.get(Record, candidate)) is not None:
                return record
        for column, value in ((Record.isbn, proposal.isbn), (Record.issn, proposal.issn)):
            if value:
                record = self.session.scalar(select(Record).where(column == value).order_by(Record.id).limit(1))
                if record is not None and record.id != (proposal.record_id if proposal.record_relation
                                                        is RecordRelation.REPLACES else None):
                    return record
        return None

    def _provisional_barcodes(self, proposal: Proposal, count: int) -> list[str]:
        """ACQ<proposal>-<n>: until the documentalist sticks a label on the copy."""
        taken = set(self.session.scalars(select(Item.barcode).where(Item.barcode.like(f"ACQ{proposal.id}-%"))))
        barcodes, n = [], 1
        while len(barcodes) < count:
            barcode = f"ACQ{proposal.id}-{n}"
            if barcode not in taken:
                barcodes.append(barcode)
            n += 1
        return barcodes


def _record_data(proposal: Proposal) -> dict:
    """A new work, filled from the proposal."""
    contributors = [{"name": name.strip(), "role": "aut"}
                    for name in (proposal.authors or "").split(";") if name.strip()]
    poles = [pole.value for pole in proposal.poles] or ([proposal.pole.value] if proposal.pole else [])
    return {"title": proposal.title, "contributors": contributors, "publisher": proposal.publisher,
            "year": proposal.year, "edition": proposal.edition, "isbn": proposal.isbn, "issn": proposal.issn,
            "document_type": proposal.document_type.value, "poles": poles,
            "audiences": [audience.value for audience in proposal.audiences], "languages": ["fre"]}


def _positive(errors: FieldErrors, field: str, value, default: int) -> int:
    if value in (None, ""):
        return default
    try:
        number = int(value)
        if not 1 <= number <= 999:
            raise ValueError
    except (TypeError, ValueError):
        errors.add(field, N_("The quantity is between 1 and 999 copies."))
        return default
    return number


def _date(errors: FieldErrors, field: str, value) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        errors.add(field, N_("Give a date as YYYY-MM-DD."))
        return None

