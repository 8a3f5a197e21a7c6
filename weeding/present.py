"""Campaigns and candidates as plain data, for the API and the pages alike
(``translate`` and ``locale`` come from the edge)."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from weeding.explain import explain
from weeding.models import WeedingCampaign, WeedingCandidate
from weeding.services import report
from weeding.services.campaigns import CampaignService
from weeding.services.votes import vote_state


def campaign_json(session: Session, campaign: WeedingCampaign, *, detail: bool = False) -> dict:
    service = CampaignService(session)
    decided = dict(session.execute(
        select(WeedingCandidate.decision, func.count()).where(
            WeedingCandidate.campaign_id == campaign.id, WeedingCandidate.excluded_at.is_(None),
            WeedingCandidate.decision.isnot(None)).group_by(WeedingCandidate.decision)).all())
    data = {"id": campaign.id, "name": campaign.name, "status": campaign.status.value, "scope": campaign.scope,
            "rules": list(campaign.rule_ids or []), "poles": list(campaign.poles or []),
            "candidates": service.count(campaign), "excluded": service.count(campaign, excluded=True),
            "decided": {getattr(k, "value", k): v for k, v in decided.items()},
            "created_at": campaign.created_at.isoformat(),
            "created_by": campaign.created_by.username if campaign.created_by else None,
            "closed_at": campaign.closed_at.isoformat() if campaign.closed_at else None,
            "version": campaign.version}
    if detail:
        data["progress"] = [{"pole": p.pole, "candidates": p.candidates, "reviewed": p.reviewed,
                             "reviewers": p.reviewers, "missing": [r["username"] for r in p.missing]}
                            for p in report.progress(session, campaign)]
        data["report"] = report.closing_report(session, campaign)
    return data


def candidate_json(candidate: WeedingCandidate, translate, locale: str) -> dict:
    item, record = candidate.item, candidate.item.record
    return {"item_id": candidate.item_id, "record_id": candidate.record_id, "barcode": item.barcode,
            "title": record.title, "year": record.year, "call_number": item.call_number or record.call_number,
            "item_status": item.status.value, "source": candidate.source.value, "rule_id": candidate.rule_id,
            "reasons": candidate.reasons, "explanation": explain(candidate.reasons, translate, locale),
            "votes": [vote_state(v) for v in candidate.votes],
            "decision": candidate.decision.value if candidate.decision else None,
            "disposal": candidate.disposal.value if candidate.disposal else None,
            "decided_by": candidate.decided_by.username if candidate.decided_by else None,
            "decided_at": candidate.decided_at.isoformat() if candidate.decided_at else None,
            "decision_comment": candidate.decision_comment,
            "proposal_id": candidate.proposal_id, "excluded": candidate.excluded_at is not None,
            "exclusion_reason": candidate.exclusion_reason, "version": candidate.version}
