"""What a campaign shows: each pole's progress and who has not reviewed
yet, and, once closed, the closing report (decisions by pole and by reason,
the age profile before and after, the withdrawn copies for the disposal
paperwork)."""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from accounts.models import User
from catalogue.models import Item, Record, RecordPole
from weeding.models import WeedingCampaign, WeedingCandidate, WeedingVote
from weeding.services.campaigns import CampaignService
from weeding.vocab import Verdict

WITHDRAWN_COLUMNS = ("item_id", "barcode", "title", "authors", "year", "call_number", "poles", "reasons",
                     "withdrawn_at", "disposal", "price")


@dataclass
class PoleProgress:
    pole: str
    candidates: int
    reviewed: int          # candidates with a vote from this pole
    reviewers: list[dict]  # {username, display_name, voted}: who is asked, and how far they are

    @property
    def missing(self) -> list[dict]:
        return [r for r in self.reviewers if r["voted"] < self.candidates]


def progress(session: Session, campaign: WeedingCampaign) -> list[PoleProgress]:
    total = CampaignService(session).count(campaign)
    live = select(WeedingCandidate.id).where(WeedingCandidate.campaign_id == campaign.id,
                                             WeedingCandidate.excluded_at.is_(None))
    by_pole = dict(session.execute(select(WeedingVote.pole, func.count(func.distinct(WeedingVote.candidate_id)))
                                   .where(WeedingVote.candidate_id.in_(live)).group_by(WeedingVote.pole)).all())
    by_user = dict(session.execute(select(WeedingVote.user_id, func.count())
                                   .where(WeedingVote.candidate_id.in_(live)).group_by(WeedingVote.user_id)).all())
    people: dict[str, list[User]] = defaultdict(list)
    for user in CampaignService(session).reviewers(campaign):
        people[user.pole.value].append(user)
    return [PoleProgress(pole, total, by_pole.get(pole, 0),
                         [{"username": u.username, "display_name": u.display_name, "voted": by_user.get(u.id, 0)}
                          for u in people.get(pole, [])])
            for pole in campaign.poles]


def decisions(session: Session, campaign: WeedingCampaign) -> dict:
    """Decisions counted by pole (of the work, among the campaign's) and by reason."""
    rows = session.execute(select(WeedingCandidate.id, WeedingCandidate.record_id, WeedingCandidate.decision,
                                  WeedingCandidate.reasons)
                           .where(WeedingCandidate.campaign_id == campaign.id,
                                  WeedingCandidate.excluded_at.is_(None))).all()
    poles = defaultdict(set)
    for record_id, pole in session.execute(select(RecordPole.record_id, RecordPole.pole).where(
            RecordPole.record_id.in_({row.record_id for row in rows} or {-1}))):
        poles[record_id].add(pole.value)
    by_pole: dict[str, Counter] = defaultdict(Counter)
    by_reason: dict[str, Counter] = defaultdict(Counter)
    totals: Counter = Counter()
    for row in rows:
        decision = row.decision.value if row.decision else "pending"
        totals[decision] += 1
        for pole in (poles[row.record_id] & set(campaign.poles)) or {""}:
            by_pole[pole][decision] += 1
        for reason in row.reasons or []:
            by_reason[reason["code"]][decision] += 1
    return {"totals": dict(totals), "by_pole": {k: dict(v) for k, v in sorted(by_pole.items())},
            "by_reason": {k: dict(v) for k, v in sorted(by_reason.items())}}


def closing_report(session: Session, campaign: WeedingCampaign) -> dict:
    return {"campaign": campaign.id, "status": campaign.status.value, **decisions(session, campaign),
            "profile_before": campaign.profile_before or {}, "profile_after": campaign.profile_after,
            "withdrawn": len(withdrawn_rows(session, campaign))}


def withdrawn_rows(session: Session, campaign: WeedingCampaign) -> list[dict]:
    """The copies this campaign withdrew, for the disposal paperwork."""
    rows = []
    query = (select(WeedingCandidate, Item, Record).join(Item, Item.id == WeedingCandidate.item_id)
             .join(Record, Record.id == Item.record_id)
             .where(WeedingCandidate.campaign_id == campaign.id, WeedingCandidate.decision == Verdict.WITHDRAW)
             .order_by(Item.call_number, Item.barcode))
    for candidate, item, record in session.execute(query):
        rows.append({"item_id": item.id, "barcode": item.barcode, "title": record.title,
                     "authors": "; ".join(c.name for c in record.contributors), "year": record.year,
                     "call_number": item.call_number or record.call_number,
                     "poles": " ".join(sorted(p.value for p in record.poles)),
                     "reasons": " ".join(r["code"] for r in candidate.reasons),
                     "withdrawn_at": item.withdrawn_at.date().isoformat() if item.withdrawn_at else None,
                     "disposal": item.disposal.value if item.disposal else None,
                     "price": f"{item.price:.2f}" if item.price is not None else None})
    return rows
