"""Campaigns: a librarian opens a review over a scope with the rules, the
candidates are computed in SQL and kept with their reasons; staff add copies
by hand or exclude candidates, with a reason; the campaign shows each pole's
progress; closing it records the age profile after."""
from __future__ import annotations

from sqlalchemy import func, insert, select
from sqlalchemy.orm.exc import StaleDataError

from accounts.models import User
from accounts.vocab import Role
from catalogue.models import Item, Record, RecordPole
from core.db import paginate
from core.errors import NotFound, ValidationFailed, VersionConflict
from core.i18n import N_
from core.services import Service
from core.vocab import Pole
from weeding.errors import CampaignClosed, NotInCampaign
from weeding.models import WeedingCampaign, WeedingCandidate, WeedingEvent, WeedingRule, WeedingVote
from weeding.services import scope as scopes
from weeding.services.candidates import evaluate
from weeding.services.statistics import age_profile
from weeding.vocab import CampaignStatus, Source

STATES = ("pending", "decided", "excluded", "kept_by_vote", "all")


class CampaignService(Service):
    def list(self, *, status: str | None = None) -> list[WeedingCampaign]:
        query = select(WeedingCampaign).order_by(WeedingCampaign.created_at.desc(), WeedingCampaign.id.desc())
        if status in CampaignStatus.values():
            query = query.where(WeedingCampaign.status == status)
        return list(self.session.scalars(query))

    def get(self, campaign_id: int) -> WeedingCampaign:
        campaign = self.session.get(WeedingCampaign, campaign_id) if 0 < campaign_id < 2 ** 63 else None
        if campaign is None:
            raise NotFound(N_("There is no weeding campaign number %(id)s."), id=campaign_id)
        return campaign

    def open(self, data: dict) -> WeedingCampaign:
        """A campaign over ``data["scope"]`` judged by ``data["rules"]`` (rule
        ids; default: every active rule), its candidates computed now."""
        name = str(data.get("name") or "").strip()
        errors = {} if name and len(name) <= 200 else {"name": [N_("Give the campaign a name (200 characters at "
                                                                   "most).")]}
        raw_scope = data.get("scope") if data.get("scope") is not None else {}
        try:
            scope = scopes.clean_scope(self.session, raw_scope)
        except ValidationFailed as error:
            errors.update(error.fields)
            scope = {}
        rules = self._rules(data.get("rules", data.get("rule_ids", (raw_scope if isinstance(raw_scope, dict)
                                                                    else {}).get("rules"))), errors)
        if errors:
            raise ValidationFailed(errors)
        now = self.clock()
        campaign = WeedingCampaign(
            name=name, scope=scope, rule_ids=[rule.id for rule in rules], status=CampaignStatus.OPEN,
            poles=scope.get("poles") or Pole.values(), created_by_id=self.actor_id, created_at=now,
            profile_before=_profile(self.session, scope))
        self.session.add(campaign)
        self.session.flush()
        flags = evaluate(self.session, scope=scope, rules=rules, now=now)
        if flags:
            # Core rows, not ORM objects: a whole collection may flag tens of thousands.
            self.session.connection().execute(insert(WeedingCandidate.__table__), [
                {"campaign_id": campaign.id, "item_id": f.item_id, "record_id": f.record_id, "rule_id": f.rule_id,
                 "source": Source.RULES.value, "reasons": f.reasons, "version": 1} for f in flags])
        self.audit.log("weeding.campaign.open", "weeding_campaign", campaign.id, record_id=None, label=name,
                       changes={"scope": [None, scope], "candidates": [None, len(flags)]})
        return campaign

    def count(self, campaign: WeedingCampaign, *, excluded: bool = False) -> int:
        query = select(func.count()).where(WeedingCandidate.campaign_id == campaign.id)
        query = query.where(WeedingCandidate.excluded_at.isnot(None) if excluded
                            else WeedingCandidate.excluded_at.is_(None))
        return self.session.scalar(query)

    def candidates(self, campaign_id: int, *, state: str = "all", pole: str | None = None,
                   page: int = 1, size: int = 50) -> tuple[list[WeedingCandidate], int]:
        campaign = self.get(campaign_id)
        query = select(WeedingCandidate).where(WeedingCandidate.campaign_id == campaign.id)
        if state != "excluded":
            query = query.where(WeedingCandidate.excluded_at.is_(None))
        if state == "pending":
            query = query.where(WeedingCandidate.decision.is_(None))
        elif state == "decided":
            query = query.where(WeedingCandidate.decision.isnot(None))
        elif state == "excluded":
            query = query.where(WeedingCandidate.excluded_at.isnot(None))
        elif state == "kept_by_vote":
            query = query.where(WeedingCandidate.id.in_(select(WeedingVote.candidate_id)
                                                         .where(WeedingVote.vote == "keep")))
        if pole:
            query = query.where(WeedingCandidate.record_id.in_(select(RecordPole.record_id)
                                                                .where(RecordPole.pole == pole)))
        return paginate(self.session, query.order_by(WeedingCandidate.id), page=page, size=size)

    def candidate(self, campaign: WeedingCampaign, item_id, *, excluded_ok: bool = False) -> WeedingCandidate:
        """The campaign's candidate for ``item_id``; NotInCampaign (422) when there is none."""
        number = item_id if isinstance(item_id, int) and not isinstance(item_id, bool) else None
        found = None
        if number is not None and 0 < number < 2 ** 63:
            found = self.session.scalar(select(WeedingCandidate).where(
                WeedingCandidate.campaign_id == campaign.id, WeedingCandidate.item_id == number))
        if found is None or (found.excluded_at is not None and not excluded_ok):
            raise NotInCampaign(item_id)
        return found

    def add(self, campaign_id: int, item_id, *, comment: str | None = None) -> WeedingCandidate:
        """A copy added by hand, with the reasons the rules give it if any."""
        campaign = self.open_campaign(campaign_id)
        number = item_id if isinstance(item_id, int) and not isinstance(item_id, bool) else None
        item = self.session.get(Item, number) if number and 0 < number < 2 ** 63 else None
        if item is None or not self.session.scalar(select(func.count()).select_from(Item).join(Record).where(
                Item.id == item.id, scopes.weedable())):
            raise ValidationFailed({"item_id": [N_("Name a copy of the centre still in the collection.")]})
        existing = self.session.scalar(select(WeedingCandidate).where(
            WeedingCandidate.campaign_id == campaign.id, WeedingCandidate.item_id == item.id))
        if existing is not None:
            if existing.excluded_at is not None:
                return self.include(campaign_id, item.id)
            return existing
        rules = self.session.scalars(select(WeedingRule).where(WeedingRule.id.in_(campaign.rule_ids or [-1]))
                                     .order_by(WeedingRule.position, WeedingRule.id)).all()
        flags = evaluate(self.session, rules=list(rules), now=self.clock(), limit_to=[item.id])
        manual = {"code": "manual", **({"comment": comment.strip()} if comment and comment.strip() else {})}
        candidate = WeedingCandidate(campaign_id=campaign.id, item_id=item.id, record_id=item.record_id,
                                     rule_id=flags[0].rule_id if flags else None, source=Source.MANUAL,
                                     reasons=(flags[0].reasons if flags else []) + [manual])
        self.session.add(candidate)
        self.session.flush()
        self._event(candidate, "added", {}, comment)
        return candidate

    def exclude(self, campaign_id: int, item_id, *, reason: str, expected_version: int | None = None):
        campaign = self.open_campaign(campaign_id)
        candidate = self.candidate(campaign, item_id)
        reason = str(reason or "").strip()
        if not reason:
            raise ValidationFailed({"reason": [N_("Say why this candidate is excluded.")]})
        if candidate.decision is not None:
            raise ValidationFailed({"item_id": [N_("A decided candidate cannot be excluded.")]})
        self._check_version(candidate, expected_version)
        candidate.excluded_at, candidate.exclusion_reason = self.clock(), reason[:500]
        self._flush(candidate)
        self._event(candidate, "excluded", {}, reason)
        return candidate

    def include(self, campaign_id: int, item_id, *, expected_version: int | None = None) -> WeedingCandidate:
        """An excluded candidate taken back; one already back is left as it is,
        whatever ``expected_version`` (nothing would be overwritten)."""
        campaign = self.open_campaign(campaign_id)
        candidate = self.candidate(campaign, item_id, excluded_ok=True)
        if candidate.excluded_at is not None:
            self._check_version(candidate, expected_version)
            candidate.excluded_at = candidate.exclusion_reason = None
            self._flush(candidate)
            self._event(candidate, "included", {}, None)
        return candidate

    def close(self, campaign_id: int, *, expected_version: int | None = None) -> WeedingCampaign:
        campaign = self.open_campaign(campaign_id)
        if expected_version is not None and campaign.version != expected_version:
            raise VersionConflict(N_("Someone changed this campaign meanwhile: check it, then try again."),
                                  current={"version": campaign.version, "status": campaign.status.value},
                                  submitted={"version": expected_version})
        campaign.status, campaign.closed_at, campaign.closed_by_id = CampaignStatus.CLOSED, self.clock(), self.actor_id
        campaign.profile_after = _profile(self.session, campaign.scope)
        self.session.flush()
        self.audit.log("weeding.campaign.close", "weeding_campaign", campaign.id, record_id=None,
                       label=campaign.name, changes={"status": ["open", "closed"]})
        return campaign

    def open_campaign(self, campaign_id: int) -> WeedingCampaign:
        campaign = self.get(campaign_id)
        if campaign.status is not CampaignStatus.OPEN:
            raise CampaignClosed()
        return campaign

    def reviewers(self, campaign: WeedingCampaign) -> list[User]:
        """The active counsellors of the campaign's poles: who is asked to vote."""
        return list(self.session.scalars(select(User).where(
            User.active.is_(True), User.role == Role.COUNSELLOR, User.pole.in_(campaign.poles))
            .order_by(User.pole, User.display_name)))

    # ------------------------------------------------------------------------
    def _rules(self, wanted, errors: dict) -> list[WeedingRule]:
        if wanted in (None, "", []):
            return list(self.session.scalars(select(WeedingRule).where(WeedingRule.active.is_(True))
                                             .order_by(WeedingRule.position, WeedingRule.id)))
        ids = wanted if isinstance(wanted, list) else [wanted]
        if any(not isinstance(i, int) or isinstance(i, bool) or not 0 < i < 2 ** 63 for i in ids):
            errors["rules"] = [N_("Name rules by their numbers.")]
            return []
        rules = list(self.session.scalars(select(WeedingRule).where(WeedingRule.id.in_(ids))
                                          .order_by(WeedingRule.position, WeedingRule.id)))
        if len(rules) != len(set(ids)):
            errors["rules"] = [N_("Some of these rules do not exist.")]
        return rules

    def _check_version(self, candidate: WeedingCandidate, expected_version) -> None:
        if expected_version is not None and candidate.version != expected_version:
            raise VersionConflict(N_("Someone voted on or decided this candidate meanwhile: check it, then try "
                                     "again."), current=candidate_state(candidate),
                                  submitted={"version": expected_version})

    def _flush(self, candidate: WeedingCandidate) -> None:
        try:
            self.session.flush()
        except StaleDataError:
            raise VersionConflict(N_("Someone voted on or decided this candidate meanwhile: check it, then try "
                                     "again."), current={}, submitted={}) from None

    def _event(self, candidate: WeedingCandidate, kind: str, details: dict, comment: str | None) -> None:
        candidate.events.append(WeedingEvent(kind=kind, actor_id=self.actor_id, at=self.clock(), details=details,
                                             comment=comment))
        self.audit.log(f"weeding.{kind}", "weeding_candidate", candidate.id, record_id=candidate.record_id,
                       label=f"campaign {candidate.campaign_id}, item {candidate.item_id}",
                       changes={name: [None, value] for name, value in details.items()})


def candidate_state(candidate: WeedingCandidate) -> dict:
    return {"item_id": candidate.item_id, "version": candidate.version,
            "decision": candidate.decision.value if candidate.decision else None,
            "excluded": candidate.excluded_at is not None}


def _profile(session, scope: dict) -> dict:
    """Publication year -> copies in the scope still in the collection (JSON keys are text)."""
    items = (select(Item.id).join(Record, Record.id == Item.record_id)
             .where(scopes.weedable(), scopes.conditions(session, **scope)))
    return {("" if year is None else str(year)): count
            for year, count in age_profile(session, by="publication", items=items)}
