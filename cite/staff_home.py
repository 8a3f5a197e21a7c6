"""/staff/: the staff member's home, what waits for them. Proposals they may
move on, weeding votes due from their pole, the latest report runs, and the
imports with updates held for review; each block only for the roles that act
on it, each with its count and a link to the page where the work is done.

It lives on the top floor because it reads every domain; each domain answers
through its own services (read-only), so no domain learns of another."""
from __future__ import annotations

import datetime as dt

from flask import Blueprint, render_template
from flask_login import current_user
from sqlalchemy import func, select

from accounts.permissions import EDIT_CATALOGUE, VIEW_STAFF, VOTE_WEEDING
from acquisitions.services.proposals import ProposalService
from acquisitions.views.desk import REVIEWED
from acquisitions.workflow import MOVES
from core import reports as named
from core.db import utcnow
from core.reports import ReportRun
from core.web.auth import can, require
from core.web.transaction import db_session
from importers.services.held import runs_waiting
from weeding.services.votes import votes_due

bp = Blueprint("staff_home", __name__)

RECENT_RUNS = 5
RECENT_DAYS = 7


def actionable_states(user) -> list:
    """The states of the review queue from which ``user`` may move a proposal
    that is not theirs (acquisitions.workflow): none for a counsellor."""
    return [state for state in REVIEWED
            if any(m.source is state and not m.proposer_only and can(user, m.permission) for m in MOVES)]


def pole_of(user) -> str | None:
    return getattr(user.pole, "value", user.pole)


@bp.route("/staff/")
@require(VIEW_STAFF)
def home():
    session = db_session()
    user = current_user._get_current_object()
    blocks = {}
    states = actionable_states(user)
    if states:
        _, total = ProposalService(session).list(status=states, pole=pole_of(user), size=1)
        blocks["proposals"] = {"total": total, "states": states, "pole": pole_of(user)}
    if can(user, VOTE_WEEDING):
        campaigns = [row for row in votes_due(session, user.id, pole_of(user)) if row["remaining"]]
        blocks["votes"] = {"total": sum(row["remaining"] for row in campaigns), "campaigns": campaigns}
    since = utcnow() - dt.timedelta(days=RECENT_DAYS)
    runs = session.scalars(select(ReportRun).order_by(ReportRun.id.desc()).limit(RECENT_RUNS)).all()
    blocks["reports"] = {
        "total": session.scalar(select(func.count()).select_from(ReportRun).where(ReportRun.started_at >= since)),
        "runs": [(run, _report(run.report)) for run in runs], "days": RECENT_DAYS}
    if can(user, EDIT_CATALOGUE):
        held = runs_waiting(session)
        blocks["imports"] = {"total": sum(count for _, count in held), "runs": held}
    return render_template("staff/home.html", blocks=blocks)


def _report(name: str):
    """The named report, or None for a run of a report since removed."""
    return next((report for report in named.all() if report.name == name), None)
