"""Suppliers and orders under /api/v1, and the unmet demand."""
from __future__ import annotations

import datetime as dt

from accounts.permissions import DECIDE_ACQUISITION, MANAGE_FUNDS, VIEW_STAFF
from acquisitions.api import schemas
from acquisitions.services.demand import month_of, unmet
from acquisitions.services.orders import OrderService
from core.db import utcnow
from core.errors import ValidationFailed
from core.i18n import N_
from core.web.api import api_user, blueprint, db_session, documented, require_api

blp = blueprint("orders", "Suppliers and orders of accepted proposals, and the searches nobody's proposal answers.")


def orders() -> OrderService:
    return OrderService(db_session(), api_user())


def supplier_json(supplier) -> dict | None:
    if supplier is None:
        return None
    return {"id": supplier.id, "name": supplier.name, "email": supplier.email, "notes": supplier.notes,
            "active": supplier.active}


def order_json(order) -> dict:
    return {"id": order.id, "supplier": supplier_json(order.supplier), "status": order.status.value,
            "reference": order.reference, "created_at": order.created_at.isoformat(),
            "sent_at": order.sent_at.isoformat() if order.sent_at else None,
            "total": str(sum((line.unit_price * line.quantity for line in order.lines), start=0)),
            "lines": [{"id": line.id, "proposal_id": line.proposal_id, "title": line.proposal.title,
                       "quantity": line.quantity, "unit_price": str(line.unit_price),
                       "expected_on": line.expected_on.isoformat() if line.expected_on else None,
                       "received_quantity": line.received_quantity} for line in order.lines]}


@blp.route("/suppliers", methods=["GET"])
@require_api(VIEW_STAFF)
@blp.response(200, schemas.Supplier(many=True))
@documented(blp, 401, 403)
def list_suppliers():
    """Every supplier, by name."""
    return [supplier_json(s) for s in orders().suppliers()]


@blp.route("/suppliers", methods=["POST"])
@require_api(MANAGE_FUNDS)
@blp.arguments(schemas.SupplierIn)
@blp.response(201, schemas.Supplier)
@documented(blp, 401, 403, 422)
def create_supplier(data):
    """Add a supplier (administrators)."""
    return supplier_json(orders().save_supplier(data)), 201


@blp.route("/orders", methods=["GET"])
@require_api(VIEW_STAFF)
@blp.response(200, schemas.OrderList)
@documented(blp, 401, 403)
def list_orders():
    """Orders, most recent first, with their lines."""
    return {"items": [order_json(o) for o in orders().orders()]}


@blp.route("/orders/<int:order_id>/send", methods=["POST"])
@require_api(DECIDE_ACQUISITION)
@blp.arguments(schemas.SendIn)
@blp.response(200, schemas.Order)
@documented(blp, 401, 403, 404, 409, 422)
def send_order(data, order_id):
    """Mark an order as sent to its supplier (its lines stay on it)."""
    return order_json(orders().send(order_id, data.get("reference")))


@blp.route("/unmet-demand", methods=["GET"])
@require_api(VIEW_STAFF)
@blp.arguments(schemas.UnmetArgs, location="query")
@blp.response(200, schemas.Unmet)
@documented(blp, 401, 403, 422)
def unmet_demand(args):
    """A month's searches that found nothing, per pole, but those a proposal answers."""
    month = month_of(utcnow().date())
    if args.get("month"):
        try:
            month = dt.date.fromisoformat(f"{args['month']}-01")
        except ValueError:
            raise ValidationFailed({"month": [N_("Give a month as YYYY-MM.")]}) from None
    pole = args.get("pole")
    found = unmet(db_session(), month, pole="" if pole == "none" else pole)
    return {"month": month.strftime("%Y-%m"), "items": [
        {"query": q.query, "pole": q.pole, "searches": q.searches, "zero_results": q.zero_results,
         "last_day": q.last_day.isoformat(), "reports": q.reports} for q in found]}
