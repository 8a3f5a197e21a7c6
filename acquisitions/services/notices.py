"""Who hears of what, in the inbox and by mail (accounts.services.NotificationService):

- the proposer, of every move of their proposal (but the moves they make);
- the librarians, of every new proposal;
- a fund's holder (or, without one, the librarians), when the fund reaches
  its warning threshold.
"""
from __future__ import annotations

from accounts.services import NotificationService
from accounts.vocab import Role
from acquisitions.models import Fund, Proposal
from acquisitions.vocab import ProposalStatus as S
from core.i18n import N_

PROPOSAL_PATH = "/staff/acquisitions/proposals/{id}"
BUDGETS_PATH = "/staff/acquisitions/budgets?year={year}"
SUBJECT = N_("Acquisitions: %(title)s")

MOVED = {
    S.UNDER_REVIEW: N_("Your proposal “%(title)s” is under review."),
    S.ACCEPTED: N_("Your proposal “%(title)s” was accepted."),
    S.REJECTED: N_("Your proposal “%(title)s” was rejected: see why on its page."),
    S.WITHDRAWN: N_("Your proposal “%(title)s” was withdrawn."),
    S.ORDERED: N_("Your proposal “%(title)s” was ordered."),
    S.RECEIVED: N_("Copies of your proposal “%(title)s” were received: %(count)s so far."),
    S.CATALOGUED: N_("Your proposal “%(title)s” is on the shelves: visitors can find it."),
}


def moved(notifications: NotificationService, proposal: Proposal, target: S, actor, *, received: int = 0) -> None:
    notifications.notify([proposal.proposed_by], MOVED[target], subject=SUBJECT,
                         params={"title": proposal.title[:200], "count": received},
                         link=PROPOSAL_PATH.format(id=proposal.id), skip=actor)


def proposed(notifications: NotificationService, proposal: Proposal, actor) -> None:
    name = getattr(actor, "display_name", None) or "—"
    notifications.notify(notifications.staff_with(Role.LIBRARIAN), N_("New proposal from %(name)s: “%(title)s”."),
                         subject=SUBJECT, params={"title": proposal.title[:200], "name": name},
                         link=PROPOSAL_PATH.format(id=proposal.id), skip=actor)


def fund_threshold(notifications: NotificationService, fund: Fund, used_percent: int, fund_label: str) -> None:
    """``fund_label``: a message id (the pole's goal, or "General fund")."""
    holders = [fund.holder] if fund.holder is not None else notifications.staff_with(Role.LIBRARIAN)
    notifications.notify(holders, N_("The fund “%(fund_label)s” %(year)s has reached %(percent)s %% of its "
                                     "allocation."),
                         subject=N_("Acquisitions: a fund reaches its threshold"),
                         params={"fund_label": fund_label, "year": fund.year, "percent": used_percent},
                         link=BUDGETS_PATH.format(year=fund.year))
