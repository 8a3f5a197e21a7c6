"""Proposing, and a proposal's page: its support, the demand behind it, its
history and comments, and the moves the reader may make."""
from __future__ import annotations

import datetime as dt

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user

from accounts.permissions import PROPOSE_ACQUISITION, VIEW_STAFF
from acquisitions.errors import AlreadyInCatalogue, AlreadyProposed
from acquisitions.forms import CommentForm, MoveForm, ProposalForm, SupportForm
from acquisitions.services.budgets import BudgetService, fiscal_year, fund_label
from acquisitions.services.demand import demand, query_counts
from acquisitions.services.moves import MoveService
from acquisitions.services.orders import OrderService
from acquisitions.services.proposals import EDITABLE, ProposalService, snapshot
from acquisitions.views import bp
from acquisitions.vocab import ProposalStatus
from core.db import utcnow
from core.errors import CatalogueError, Conflict, ValidationFailed, VersionConflict
from core.i18n import N_
from core.web.auth import require
from core.web.errors import translate
from core.web.helpers import conflict_rows, page_args, pagination, services, show_errors
from core.web.transaction import db_session

LISTS = {"mine": N_("My proposals"), "pole": N_("My pole's proposals"), "all": N_("Every proposal")}


def moves() -> MoveService:
    return MoveService(db_session(), current_user._get_current_object(),
                       fiscal_start=current_app.config["FISCAL_YEAR_START_MONTH"])


def this_year() -> int:
    return fiscal_year(utcnow().date(), current_app.config["FISCAL_YEAR_START_MONTH"])


@bp.route("/staff/acquisitions")
@require(PROPOSE_ACQUISITION)
def home():
    """A counsellor's page: their proposals, their pole's, and the way to propose."""
    shown = request.args.get("list") or ("pole" if getattr(current_user, "pole", None) else "mine")
    shown = shown if shown in LISTS else "mine"
    page, size = page_args(25)
    statuses = [ProposalStatus(s) for s in request.args.getlist("status") if s in ProposalStatus.values()]
    filters = {"mine": {"proposed_by": current_user.id},
               "pole": {"pole": current_user.pole.value if current_user.pole else None}, "all": {}}[shown]
    found, total = services(ProposalService).list(status=statuses or None, text=request.args.get("q"),
                                                  page=page, size=size, **filters)
    return render_template("acquisitions/home.html", proposals=found, shown=shown, lists=LISTS,
                           statuses=statuses, all_statuses=list(ProposalStatus), paging=pagination(total, page, size))


@bp.route("/staff/acquisitions/proposals/new", methods=["GET", "POST"])
@require(PROPOSE_ACQUISITION)
def new_proposal():
    """Propose a work. Prefilled from an observatory query (``?query=``): the
    draft carries the query and how often it was searched, and found nothing."""
    form, status = ProposalForm(), 200
    matches, twin, draft = [], None, None
    if request.method == "GET":
        query = (request.args.get("query") or "").strip()[:200]
        form.pole.data = current_user.pole.value if current_user.pole else ""
        if query:
            searches, zero = query_counts(db_session(), query, since=utcnow().date() - dt.timedelta(days=365))
            draft = {"query": query, "searches": searches, "zero_results": zero}
            form.title.data, form.reason_code.data = query, "unmet_searches"
            form.reason.data = gettext("Searched %(searches)s times in the last twelve months, %(zero)s times without "
                                       "result: “%(query)s”.", searches=searches, zero=zero, query=query)
            form.queries.append_entry(query)
    elif form.validate_on_submit():
        service = services(ProposalService)
        try:
            proposal = service.create(form.to_data(), confirm_duplicate=form.confirm_duplicate.data)
        except ValidationFailed as error:
            show_errors(form, error)
            status = 422
        except AlreadyInCatalogue as error:
            matches, status = error.matches, 409
        except AlreadyProposed as error:
            twin, status = service.get(error.proposal_id), 409
        else:
            flash(gettext("Your proposal “%(title)s” is recorded: the librarians are told.", title=proposal.title),
                  "success")
            return redirect(url_for("acquisitions.show_proposal", proposal_id=proposal.id))
    else:
        status = 400
    return render_template("acquisitions/form.html", form=form, proposal=None, matches=matches, twin=twin,
                           draft=draft, support_form=SupportForm(formdata=None, prefix="support"), conflict=None), status


@bp.route("/staff/acquisitions/proposals/<int:proposal_id>")
@require(VIEW_STAFF)
def show_proposal(proposal_id):
    return render_proposal(services(ProposalService).get(proposal_id))


def render_proposal(proposal, *, move_form: MoveForm | None = None, status: int = 200, failed: str | None = None,
                    comment_form: CommentForm | None = None):
    service = services(ProposalService)
    offered = moves().offered(proposal)
    forms = {}
    for step in offered:
        target = step.target.value
        form = move_form if move_form is not None and failed == target else MoveForm(
            formdata=None, prefix=target, data={"version": str(proposal.version)})
        _move_choices(form, proposal)
        forms[target] = form
    return render_template(
        "acquisitions/show.html", proposal=proposal, support=service.support_of(proposal), offered=offered,
        forms=forms, failed=failed, supported=service.supported_by(proposal, current_user.id),
        demand=demand(db_session(), proposal.queries), support_form=SupportForm(formdata=None, prefix="support"),
        comment_form=comment_form or CommentForm(formdata=None, prefix="comment"), items=OrderService(db_session()).items_of(proposal),
        editable=proposal.status in EDITABLE, fund_label=fund_label), status


def _move_choices(form: MoveForm, proposal) -> None:
    funds = BudgetService(db_session()).funds(this_year())
    form.fund_id.choices = [("", gettext("Default: this year's fund of its pole"))] + [
        (str(f.id), f"{gettext(fund_label(f))} {f.year}") for f in funds]
    if proposal.fund_id and not form.fund_id.data:
        form.fund_id.data = str(proposal.fund_id)
    suppliers = OrderService(db_session()).suppliers(active_only=True)
    form.supplier_id.choices = [("", gettext("To be chosen"))] + [(str(s.id), s.name) for s in suppliers]


@bp.route("/staff/acquisitions/proposals/<int:proposal_id>/move/<target>", methods=["POST"])
@require(VIEW_STAFF)
def move_proposal(proposal_id, target):
    form = MoveForm(prefix=target)
    proposal = services(ProposalService).get(proposal_id)
    if not form.validate_on_submit():
        flash(gettext("The form expired: please try again."), "error")
        return redirect(url_for("acquisitions.show_proposal", proposal_id=proposal_id))
    try:
        version = int(form.version.data or -1)
        moved = moves().move(proposal_id, target, expected_version=version, data=form.to_data())
    except ValidationFailed as error:
        show_errors(form, error)
        return render_proposal(proposal, move_form=form, status=422, failed=target)
    except VersionConflict as error:
        flash(translate(error.message, error.params), "error")
        return redirect(url_for("acquisitions.show_proposal", proposal_id=proposal_id)), 303
    except CatalogueError as error:  # outside the graph, wrong role, over budget: said on the page
        form.comment.errors = [translate(error.message, error.params)]
        code = 403 if error.code == "forbidden" else 409
        return render_proposal(proposal, move_form=form, status=code, failed=target)
    flash(gettext("The proposal is now: %(status)s.", status=gettext(moved.status.label)), "success")
    return redirect(url_for("acquisitions.show_proposal", proposal_id=proposal_id))


@bp.route("/staff/acquisitions/proposals/<int:proposal_id>/support", methods=["POST"])
@require(PROPOSE_ACQUISITION)
def support_proposal(proposal_id):
    form = SupportForm(prefix="support")
    if not form.validate_on_submit():
        abort(400)
    try:
        services(ProposalService).support(proposal_id, form.comment.data)
    except Conflict as error:
        flash(translate(error.message, error.params), "error")
    else:
        flash(gettext("Your support is counted."), "success")
    return redirect(url_for("acquisitions.show_proposal", proposal_id=proposal_id))


@bp.route("/staff/acquisitions/proposals/<int:proposal_id>/comment", methods=["POST"])
@require(PROPOSE_ACQUISITION)
def comment_proposal(proposal_id):
    form = CommentForm(prefix="comment")
    if not form.validate_on_submit():
        abort(400)
    service = services(ProposalService)
    try:
        service.comment(proposal_id, form.text.data)
    except ValidationFailed as error:
        show_errors(form, error)
        return render_proposal(service.get(proposal_id), comment_form=form, status=422)
    return redirect(url_for("acquisitions.show_proposal", proposal_id=proposal_id) + "#comments")


@bp.route("/staff/acquisitions/proposals/<int:proposal_id>/edit", methods=["GET", "POST"])
@require(PROPOSE_ACQUISITION)
def edit_proposal(proposal_id):
    service = services(ProposalService)
    proposal = service.get(proposal_id)
    if proposal.status not in EDITABLE:
        flash(gettext("A proposal can be changed only until it is decided."), "error")
        return redirect(url_for("acquisitions.show_proposal", proposal_id=proposal_id))
    status, conflict, twin = 200, None, None
    if request.method == "GET":
        form = ProposalForm(data=_form_data(proposal))
    else:
        form = ProposalForm()
        if form.validate_on_submit():
            try:
                proposal = service.update(proposal_id, form.to_data(), expected_version=int(form.version.data or -1))
            except ValidationFailed as error:
                show_errors(form, error)
                status = 422
            except VersionConflict as error:
                conflict = {"message": translate(error.message, error.params),
                            "rows": conflict_rows(snapshot(proposal), error.submitted)}
                form.version.data, status = str(proposal.version), 409
            except AlreadyProposed as error:
                twin, status = service.get(error.proposal_id), 409
            else:
                flash(gettext("Your changes were saved."), "success")
                return redirect(url_for("acquisitions.show_proposal", proposal_id=proposal_id))
        else:
            status = 400
    return render_template("acquisitions/form.html", form=form, proposal=proposal, matches=[], twin=twin,
                           draft=None, support_form=SupportForm(formdata=None, prefix="support"), conflict=conflict), status


def _form_data(proposal) -> dict:
    data = snapshot(proposal)
    data.update(year="" if proposal.year is None else str(proposal.year), quantity=str(proposal.quantity),
                estimated_price=data["estimated_price"] or "", record_id=data["record_id"] or "",
                record_relation=data["record_relation"] or "", pole=data["pole"] or "",
                version=str(proposal.version))
    return data

