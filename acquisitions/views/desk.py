"""The librarians' desk: the review queue, budgets, orders and suppliers, and
the month's unmet demand."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import func, select

from accounts.models import User
from accounts.permissions import DECIDE_ACQUISITION, MANAGE_BUDGETS, MANAGE_FUNDS, VIEW_STAFF
from accounts.vocab import Role
from acquisitions.forms import FundForm, NewFundForm, SupplierForm
from acquisitions.models import Proposal, ProposalQuery, ProposalSupport
from acquisitions.services.budgets import FUND_CODES, BudgetService, fund_label
from acquisitions.services.demand import month_of, next_month, unmet
from acquisitions.services.orders import OrderService
from acquisitions.views import bp
from acquisitions.views.proposals import this_year
from acquisitions.vocab import ProposalStatus
from core.db import utcnow
from core.errors import CatalogueError, ValidationFailed, VersionConflict
from core.vocab import Pole
from core.web.auth import can, require
from core.web.errors import translate
from core.web.forms import ConfirmForm
from core.web.helpers import page_args, pagination, services, show_errors
from core.web.transaction import db_session
from search.models import QueryCount

CHART_WIDTH, BAR_HEIGHT = 640, 22
REVIEWED = (ProposalStatus.PROPOSED, ProposalStatus.UNDER_REVIEW)


@bp.route("/staff/acquisitions/review")
@require(VIEW_STAFF)
def review():
    """Proposals to decide, the most backed first (support, then the searches
    without result behind them), then the oldest."""
    session = db_session()
    page, size = page_args(50)
    pole = request.args.get("pole")
    waiting = [Proposal.status.in_(REVIEWED)] + ([Proposal.pole == pole] if pole in Pole.values() else [])
    # Correlated per proposal: each reads a covering index, and the planners
    # (SQLite's above all) do far better with them than with grouped joins.
    backers = (select(func.count()).where(ProposalSupport.proposal_id == Proposal.id)
               .correlate(Proposal).scalar_subquery())
    unmet = (select(func.coalesce(func.sum(QueryCount.zero_results), 0))
             .join(ProposalQuery, ProposalQuery.query == QueryCount.query)
             .where(ProposalQuery.proposal_id == Proposal.id).correlate(Proposal).scalar_subquery())
    query = (select(Proposal, backers + 1, unmet)
             .where(*waiting)
             .order_by(backers.desc(), unmet.desc(), Proposal.created_at, Proposal.id))
    total = session.scalar(select(func.count()).select_from(Proposal).where(*waiting))
    rows = session.execute(query.offset((page - 1) * size).limit(size)).all()
    return render_template("acquisitions/review.html", rows=rows, pole=pole, poles=list(Pole),
                           paging=pagination(total, page, size))


@bp.route("/staff/acquisitions/budgets")
@require(VIEW_STAFF)
def budgets():
    service = services(BudgetService)
    try:
        year = int(request.args.get("year") or this_year())
    except ValueError:
        year = this_year()
    figures = service.figures(year)
    fund_forms = {f.fund.id: _fund_form(f.fund) for f in figures} if can_manage() else {}
    new_fund = _new_fund_form(year, {f.fund.code for f in figures}) if can_open() else None
    return render_template("acquisitions/budgets.html", year=year, years=sorted(set(service.years()) | {year}),
                           figures=figures, chart=_chart(figures), fund_forms=fund_forms, new_fund=new_fund,
                           fund_label=fund_label)


def can_manage() -> bool:
    return can(current_user, MANAGE_BUDGETS)


def can_open() -> bool:
    return can(current_user, MANAGE_FUNDS)


def _fund_form(fund) -> FundForm:
    form = FundForm(formdata=None, prefix=f"fund-{fund.id}",
                    data={"allocated": str(fund.allocated), "warning_percent": str(fund.warning_percent),
                          "holder_id": str(fund.holder_id or ""), "version": str(fund.version)})
    holders = db_session().scalars(select(User).where(User.role.in_((Role.LIBRARIAN, Role.ADMINISTRATOR)),
                                                      User.active.is_(True)).order_by(User.display_name))
    form.holder_id.choices = [("", gettext("The librarians"))] + [(str(u.id), u.display_name) for u in holders]
    return form


def _new_fund_form(year: int, taken: set[str]) -> NewFundForm:
    form = NewFundForm(formdata=None, data={"year": str(year)})
    form.code.choices = [(code, gettext(fund_label_of(code))) for code in FUND_CODES if code not in taken]
    return form


def fund_label_of(code: str) -> str:
    return Pole(code).label if code in Pole.values() else "General fund"


def _chart(figures) -> dict:
    """Horizontal bars, one per fund: spent, then committed, against the allocation."""
    scale = max([f.allocated for f in figures] + [f.committed + f.spent for f in figures] + [1])
    bars = []
    for n, f in enumerate(figures):
        spent = float(f.spent / scale) * CHART_WIDTH
        committed = float(f.committed / scale) * CHART_WIDTH
        bars.append({"y": n * (BAR_HEIGHT + 14) + 4, "spent": round(spent, 1), "committed": round(committed, 1),
                     "allocated": round(float(f.allocated / scale) * CHART_WIDTH, 1), "figures": f})
    return {"width": CHART_WIDTH, "height": len(figures) * (BAR_HEIGHT + 14) + 8, "bar": BAR_HEIGHT,
            "bars": bars}


@bp.route("/staff/acquisitions/budgets/funds/<int:fund_id>", methods=["POST"])
@require(MANAGE_BUDGETS)
def update_fund(fund_id):
    service = services(BudgetService)
    fund = service.get(fund_id)
    form = FundForm(prefix=f"fund-{fund_id}")
    if not form.validate_on_submit():
        abort(400)
    data = {"allocated": form.allocated.data, "warning_percent": form.warning_percent.data,
            "holder_id": form.holder_id.data}
    try:
        service.update(fund_id, data, expected_version=int(form.version.data or -1))
    except (ValidationFailed, VersionConflict) as error:
        messages = [translate(m) for ms in getattr(error, "fields", {}).values() for m in ms]
        flash(" ".join(messages) or translate(error.message, error.params), "error")
    else:
        flash(gettext("The fund was saved."), "success")
    return redirect(url_for("acquisitions.budgets", year=fund.year))


@bp.route("/staff/acquisitions/budgets/funds", methods=["POST"])
@require(MANAGE_FUNDS)
def open_fund():
    form = NewFundForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        year = int(form.year.data)
    except (TypeError, ValueError):
        year = 0
    try:
        services(BudgetService).create(year, form.code.data, {"allocated": form.allocated.data,
                                                              "warning_percent": form.warning_percent.data})
    except ValidationFailed as error:
        flash(" ".join(translate(m) for ms in error.fields.values() for m in ms), "error")
    else:
        flash(gettext("The fund is open."), "success")
    return redirect(url_for("acquisitions.budgets", year=year or None))


@bp.route("/staff/acquisitions/orders")
@require(VIEW_STAFF)
def orders():
    service = services(OrderService)
    return render_template("acquisitions/orders.html", orders=service.orders(), confirm=ConfirmForm(),
                           can_send=can_decide())


def can_decide() -> bool:
    return can(current_user, DECIDE_ACQUISITION)


@bp.route("/staff/acquisitions/orders/<int:order_id>/send", methods=["POST"])
@require(DECIDE_ACQUISITION)
def send_order(order_id):
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        services(OrderService).send(order_id, request.form.get("reference"))
    except CatalogueError as error:
        flash(translate(error.message, error.params), "error")
    else:
        flash(gettext("The order is marked as sent."), "success")
    return redirect(url_for("acquisitions.orders"))


@bp.route("/staff/acquisitions/suppliers", methods=["GET", "POST"])
@require(VIEW_STAFF)
def suppliers():
    service = services(OrderService)
    form, status = SupplierForm(), 200
    if request.method == "POST":
        if not can_open():
            abort(403)
        if form.validate_on_submit():
            try:
                supplier = service.save_supplier({"name": form.name.data, "email": form.email.data,
                                                  "notes": form.notes.data})
            except ValidationFailed as error:
                show_errors(form, error)
                status = 422
            else:
                flash(gettext("The supplier %(name)s was added.", name=supplier.name), "success")
                return redirect(url_for("acquisitions.suppliers"))
        else:
            status = 400
    return render_template("acquisitions/suppliers.html", suppliers=service.suppliers(), form=form,
                           can_add=can_open()), status


@bp.route("/staff/acquisitions/unmet")
@require(VIEW_STAFF)
def unmet_demand():
    """The month's searches that found nothing, per pole, that no proposal answers yet."""
    today = utcnow().date()
    try:
        month = dt.date.fromisoformat(f"{request.args['month']}-01") if request.args.get("month") else month_of(today)
    except ValueError:
        month = month_of(today)
    pole = request.args.get("pole")
    pole = pole if pole in Pole.values() or pole == "none" else None
    found = unmet(db_session(), month, pole="" if pole == "none" else pole)
    by_pole = defaultdict(list)
    for row in found:
        by_pole[row.pole].append(row)
    previous = month_of(month - dt.timedelta(days=1))
    return render_template("acquisitions/unmet.html", month=month, previous=previous,
                           following=next_month(month) if next_month(month) <= today else None,
                           pole=pole, poles=list(Pole), by_pole=dict(by_pole),
                           pole_labels={p.value: p.label for p in Pole})

