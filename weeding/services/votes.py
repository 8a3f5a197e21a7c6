"""Counsellors' votes: one per counsellor and candidate, for their pole, with
MUSTIE/IOUPI flags and a comment; changing one's vote carries the version
read (a stale one is a 409)."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from accounts.permissions import VOTE_WEEDING, roles_with
from core.errors import ValidationFailed, VersionConflict
from core.i18n import N_
from core.services import Service
from weeding.errors import AlreadyDecided, NotYourPole, RoleForbidden
from weeding.models import WeedingCandidate, WeedingVote
from weeding.services.campaigns import CampaignService
from weeding.vocab import CampaignStatus, Verdict, checklist_values


class VoteService(Service):
    def vote(self, campaign_id: int, item_id, vote, *, flags=None, comment: str | None = None,
             expected_version: int | None = None) -> tuple[WeedingVote, bool]:
        """(the vote, whether anything changed)."""
        campaigns = CampaignService(self.session, self.actor, self.clock)
        campaign = campaigns.open_campaign(campaign_id)
        if self.actor is None or not self.actor.can(VOTE_WEEDING):
            raise RoleForbidden(N_("Only counsellors vote on weeding candidates."),
                                allowed_roles=[role.value for role in roles_with(VOTE_WEEDING)])
        pole = getattr(self.actor.pole, "value", self.actor.pole)
        if pole not in campaign.poles:
            raise NotYourPole(campaign.poles)
        candidate = campaigns.candidate(campaign, item_id)
        verdict, flags, comment = _clean(vote, flags, comment)
        if candidate.decision is not None:
            raise AlreadyDecided(candidate.decision.value)
        mine = self.session.scalar(select(WeedingVote).where(WeedingVote.candidate_id == candidate.id,
                                                             WeedingVote.user_id == self.actor_id))
        if mine is not None and expected_version is not None and mine.version != expected_version:
            raise VersionConflict(N_("You changed this vote meanwhile, in another window: check it, then vote "
                                     "again."), current=vote_state(mine),
                                  submitted={"vote": verdict.value, "flags": flags, "comment": comment})
        if mine is not None and (mine.vote, mine.flags, mine.comment) == (verdict, flags, comment):
            return mine, False
        before = vote_state(mine) if mine is not None else None
        if mine is None:
            mine = WeedingVote(candidate_id=candidate.id, user_id=self.actor_id, pole=pole)
            self.session.add(mine)
        mine.vote, mine.flags, mine.comment, mine.at = verdict, flags, comment, self.clock()
        # The candidate's version moves with each vote: a librarian deciding
        # from a page read before it learns of it (409) instead of overlooking it.
        candidate.last_vote_at = self.clock()
        campaigns._flush(candidate)
        campaigns._event(candidate, "vote", {"vote": verdict.value, "flags": flags, "pole": pole,
                                              "previous": before and before["vote"]}, comment)
        return mine, True


def vote_state(vote: WeedingVote) -> dict:
    return {"id": vote.id, "user": vote.user.username if vote.user else None, "pole": vote.pole,
            "vote": vote.vote.value, "flags": list(vote.flags or []), "comment": vote.comment,
            "at": vote.at.isoformat() if vote.at else None, "version": vote.version}


def _clean(vote, flags, comment) -> tuple[Verdict, list[str], str | None]:
    errors: dict[str, list[str]] = {}
    verdict = Verdict(vote) if vote in Verdict.values() else None
    if verdict is None:
        errors["vote"] = [N_("Vote keep, withdraw, replace, transfer or repair.")]
    flags = flags if flags is not None else []
    if not isinstance(flags, list) or any(f not in checklist_values() for f in flags):
        errors["flags"] = [N_("Flags come from the MUSTIE and IOUPI checklists, such as mustie:ugly or "
                              "ioupi:worn.")]
        flags = []
    if comment is not None and not isinstance(comment, str):
        errors["comment"] = [N_("A comment is text.")]
        comment = None
    comment = (comment or "").strip()[:2000] or None
    if errors:
        raise ValidationFailed(errors)
    return verdict, sorted(set(flags)), comment


def votes_due(session: Session, user_id: int, pole: str | None) -> list[dict]:
    """The open campaigns ``pole`` reviews, each as ``{campaign, total, voted,
    remaining}``: its candidates left to review (neither excluded nor
    decided), and how many of them ``user_id`` has voted on. Empty without a pole."""
    rows = []
    for campaign in CampaignService(session).list(status=CampaignStatus.OPEN.value):
        if pole is None or pole not in (campaign.poles or []):
            continue
        left = select(WeedingCandidate.id).where(
            WeedingCandidate.campaign_id == campaign.id, WeedingCandidate.excluded_at.is_(None),
            WeedingCandidate.decision.is_(None))
        total = session.scalar(select(func.count()).select_from(left.subquery()))
        voted = session.scalar(select(func.count()).select_from(WeedingVote).where(
            WeedingVote.user_id == user_id, WeedingVote.candidate_id.in_(left)))
        rows.append({"campaign": campaign, "total": total, "voted": voted, "remaining": total - voted})
    return rows
