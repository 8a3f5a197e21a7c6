"""The librarian's decisions, item by item or in bulk, and what each does:

- withdraw: the copy becomes ``withdrawn`` with date, reason and disposal
  (never deleted);
- replace: an acquisitions proposal, linked to the copy and to the newer
  edition when one is known; the copy stays on the shelf until the new one
  is received (acquisitions withdraws it then);
- transfer: the copy moves to the main library;
- repair: the copy goes to ``in processing``;
- keep: nothing changes but the candidate.

A bulk decision never overrides a "keep" vote: those candidates are skipped
and listed, to be decided one by one. The same decision twice changes
nothing; another decision after one is refused (its effects stand).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from accounts.permissions import REVIEW_WEEDING, roles_with
from acquisitions.errors import AlreadyProposed
from acquisitions.models import Proposal
from acquisitions.services.proposals import ProposalService
from catalogue.models import Record
from catalogue.services.items import ItemService
from catalogue.vocab import Disposal, ItemStatus, Library
from core.errors import ValidationFailed
from core.i18n import N_
from core.services import Service
from weeding.errors import AlreadyDecided, RoleForbidden
from weeding.models import WeedingCampaign, WeedingCandidate, WeedingVote
from weeding.services.campaigns import CampaignService
from weeding.vocab import Verdict

BULK_LIMIT = 5000


@dataclass
class Bulk:
    decided: list[int] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)
    kept_by_vote: list[int] = field(default_factory=list)  # skipped: decide them one by one
    refused: list[dict] = field(default_factory=list)      # {item_id, code}


class DecisionService(Service):
    def decide(self, campaign_id: int, item_id, decision, *, disposal=None, comment: str | None = None,
               expected_version: int | None = None) -> tuple[WeedingCandidate, bool]:
        """(the candidate, whether anything changed)."""
        campaigns = self._campaigns()
        campaign = campaigns.open_campaign(campaign_id)
        candidate = campaigns.candidate(campaign, item_id)
        verdict, disposal, comment = _clean(decision, disposal, comment)
        if candidate.decision is verdict:
            return candidate, False  # the same decision again, from any page: nothing to do
        campaigns._check_version(candidate, expected_version)
        return candidate, self._apply(campaigns, campaign, candidate, verdict, disposal, comment)

    def bulk(self, campaign_id: int, decision, *, item_ids=None, disposal=None,
             comment: str | None = None) -> Bulk:
        """``decision`` for ``item_ids`` (default: every candidate still
        pending), except those a counsellor voted to keep."""
        campaigns = self._campaigns()
        campaign = campaigns.open_campaign(campaign_id)
        verdict, disposal, comment = _clean(decision, disposal, comment)
        query = select(WeedingCandidate).where(WeedingCandidate.campaign_id == campaign.id,
                                               WeedingCandidate.excluded_at.is_(None))
        if item_ids is None:
            query = query.where(WeedingCandidate.decision.is_(None))
        else:
            if not isinstance(item_ids, list) or len(item_ids) > BULK_LIMIT or any(
                    not isinstance(i, int) or isinstance(i, bool) or not 0 < i < 2 ** 63 for i in item_ids):
                raise ValidationFailed({"item_ids": [N_("Give a list of item numbers (5,000 at most).")]})
            query = query.where(WeedingCandidate.item_id.in_(item_ids))
        candidates = list(self.session.scalars(query.order_by(WeedingCandidate.id)))
        known = {c.item_id for c in candidates}
        result = Bulk(refused=[{"item_id": i, "code": "not_in_campaign"} for i in (item_ids or []) if i not in known])
        kept = set(self.session.scalars(select(WeedingVote.candidate_id).where(
            WeedingVote.candidate_id.in_([c.id for c in candidates] or [-1]), WeedingVote.vote == Verdict.KEEP)))
        for candidate in candidates:
            if candidate.decision == verdict:
                result.unchanged.append(candidate.item_id)
            elif candidate.decision is not None:
                result.refused.append({"item_id": candidate.item_id, "code": AlreadyDecided.code})
            elif candidate.id in kept and verdict is not Verdict.KEEP:
                result.kept_by_vote.append(candidate.item_id)
            else:
                self._apply(campaigns, campaign, candidate, verdict, disposal, comment, bulk=True)
                result.decided.append(candidate.item_id)
        return result

    def _campaigns(self) -> CampaignService:
        if self.actor is None or not self.actor.can(REVIEW_WEEDING):
            raise RoleForbidden(N_("Only a librarian decides the fate of weeding candidates."),
                                allowed_roles=[role.value for role in roles_with(REVIEW_WEEDING)])
        return CampaignService(self.session, self.actor, self.clock)

    def _apply(self, campaigns, campaign: WeedingCampaign, candidate: WeedingCandidate, verdict: Verdict,
               disposal: Disposal | None, comment: str | None, *, bulk: bool = False) -> bool:
        if candidate.decision is verdict:
            return False
        if candidate.decision is not None:
            raise AlreadyDecided(candidate.decision.value)
        items = ItemService(self.session, self.actor, self.clock)
        item = candidate.item
        details: dict = {"decision": verdict.value, "bulk": bulk}
        if verdict is Verdict.WITHDRAW:
            codes = ", ".join(r["code"] for r in candidate.reasons) or "manual"
            items.withdraw(item, reason=f"weeding campaign {campaign.id} ({codes})", disposal=disposal)
            details["disposal"] = disposal.value if disposal else None
        elif verdict is Verdict.REPLACE:
            candidate.proposal_id = self._proposal(campaign, candidate, comment)
            details["proposal_id"] = candidate.proposal_id
        elif verdict is Verdict.TRANSFER:
            items.settle(item, "transfer", library=Library.MAIN)
        elif verdict is Verdict.REPAIR:
            items.settle(item, "repair", status=ItemStatus.PROCESSING)
        candidate.decision, candidate.disposal = verdict, disposal if verdict is Verdict.WITHDRAW else None
        candidate.decided_by_id, candidate.decided_at, candidate.decision_comment = self.actor_id, self.clock(), comment
        campaigns._flush(candidate)
        campaigns._event(candidate, "decision", details, comment)
        return True

    def _proposal(self, campaign: WeedingCampaign, candidate: WeedingCandidate, comment: str | None) -> int:
        """A proposal to buy the newer edition when one is known, else the same work again."""
        old = self.session.get(Record, candidate.record_id)
        newer_id = next((r.get("newer_record_id") for r in candidate.reasons
                         if r["code"] == "superseded" and r.get("newer_record_id")), None)
        work = self.session.get(Record, newer_id) if newer_id else old
        poles = [p.value for p in work.poles if p.value in campaign.poles] or list(campaign.poles[:1])
        data = {"title": work.title, "authors": "; ".join(c.name for c in work.contributors) or None,
                "publisher": work.publisher, "year": work.year, "edition": work.edition,
                "isbn": work.isbn if newer_id else None, "issn": work.issn, "document_type": work.document_type.value,
                "pole": poles[0] if poles else None, "poles": poles,
                "reason_code": "newer_edition" if newer_id else "replace_copy",
                "reason": comment or f"Désherbage « {campaign.name} » : remplacer l'exemplaire {candidate.item.barcode}",
                "record_id": work.id, "record_relation": "completes" if newer_id else "replaces"}
        proposals = ProposalService(self.session, self.actor, self.clock)
        try:
            proposal = proposals.create(data, confirm_duplicate=True)
        except AlreadyProposed as error:
            proposal = self.session.get(Proposal, error.proposal_id)
        if proposal.replaces_item_id is None:
            proposal.replaces_item_id = candidate.item_id
        return proposal.id


def _clean(decision, disposal, comment) -> tuple[Verdict, Disposal | None, str | None]:
    errors: dict[str, list[str]] = {}
    verdict = Verdict(decision) if decision in Verdict.values() else None
    if verdict is None:
        errors["decision"] = [N_("Decide keep, withdraw, replace, transfer or repair.")]
    fate = None
    if disposal not in (None, ""):
        fate = Disposal(disposal) if disposal in Disposal.values() else None
        if fate is None:
            errors["disposal"] = [N_("A withdrawn copy goes to sale, donation or pulping.")]
    if comment is not None and not isinstance(comment, str):
        errors["comment"] = [N_("A comment is text.")]
        comment = None
    if errors:
        raise ValidationFailed(errors)
    return verdict, fate, (comment or "").strip()[:2000] or None
