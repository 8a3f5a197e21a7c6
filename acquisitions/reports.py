"""Acquisitions' named report (registered by ``acquisitions.init_app``):
proposals left waiting for a decision."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from acquisitions.models import Proposal
from acquisitions.vocab import ProposalStatus
from core.i18n import N_
from core.reports import Param, Report

WAITING = (ProposalStatus.PROPOSED, ProposalStatus.UNDER_REVIEW)


def proposals_waiting(session: Session, params: dict, now: dt.datetime) -> list[dict]:
    """Proposed or under review, unchanged for more than ``days`` days; the
    longest waiting first."""
    changed = func.coalesce(Proposal.updated_at, Proposal.created_at)
    cutoff = now - dt.timedelta(days=params["days"])
    query = (select(Proposal).where(Proposal.status.in_(WAITING), changed < cutoff)
             .order_by(changed, Proposal.id))
    rows = []
    for proposal in session.scalars(query):
        since = proposal.updated_at or proposal.created_at
        proposer = proposal.proposed_by.username if proposal.proposed_by else None
        rows.append({"proposal_id": proposal.id, "title": proposal.title, "status": proposal.status,
                     "pole": proposal.pole, "proposed_by": proposer, "since": since.date(),
                     "days": (now - since).days})
    return rows


PROPOSALS_WAITING = Report(
    name="proposals-waiting", title=N_("Proposals waiting for a decision"),
    description=N_("Proposals still proposed or under review, unchanged for more days than the threshold."),
    columns=(("proposal_id", N_("Proposal")), ("title", N_("Title")), ("status", N_("State")),
             ("pole", N_("Pole")), ("proposed_by", N_("Proposed by")), ("since", N_("Last change")),
             ("days", N_("Days"))),
    rows=proposals_waiting, cron="0 8 * * 1",
    params=(Param("days", 21, N_("Days without a change"), high=3650),),
    mail_columns=("proposal_id", "title", "status", "days"),
    mail_header=N_("Proposal · Title · State · Days"),
    empty=N_("No proposal matches today."))

REPORTS = (PROPOSALS_WAITING,)
