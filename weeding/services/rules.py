"""The weeding rules, as data librarians edit: checked field by field,
versioned (a stale edit is a 409), audited. ``install_defaults`` writes the
career-advice defaults (weeding.defaults) into an empty table."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from catalogue.vocab import Condition, DocumentType
from core.audit import diff
from core.db import utcnow
from core.errors import NotFound, ValidationFailed, VersionConflict
from core.i18n import N_
from core.services import Service
from core.text import fold
from core.vocab import Pole
from thesaurus.models import Concept
from weeding.defaults import DEFAULT_RULES
from weeding.models import WeedingRule

YEARS = ("max_age_years", "max_unused_years", "low_use_years", "periodical_keep_years")
FIELDS = ("name", "position", "active", "justification", "document_type", "pole", "call_number_prefix",
          "concept_id", *YEARS, "low_use_min", "superseded", "conditions")
MAX_YEARS = 100


class RuleService(Service):
    def list(self, *, active_only: bool = False) -> list[WeedingRule]:
        query = select(WeedingRule).order_by(WeedingRule.position, WeedingRule.id)
        if active_only:
            query = query.where(WeedingRule.active.is_(True))
        return list(self.session.scalars(query))

    def get(self, rule_id: int) -> WeedingRule:
        rule = self.session.get(WeedingRule, rule_id) if 0 < rule_id < 2 ** 63 else None
        if rule is None:
            raise NotFound(N_("There is no weeding rule number %(id)s."), id=rule_id)
        return rule

    def create(self, data: dict) -> WeedingRule:
        clean = clean_rule(self.session, data)
        rule = WeedingRule(updated_by_id=self.actor_id, updated_at=self.clock(), **clean)
        self.session.add(rule)
        self.session.flush()
        self.audit.log("weeding.rule.create", "weeding_rule", rule.id, record_id=None, label=rule.name,
                       changes=diff({}, rule_fields(rule)))
        return rule

    def update(self, rule_id: int, data: dict, *, expected_version: int) -> WeedingRule:
        rule = self.get(rule_id)
        clean = clean_rule(self.session, {**rule_fields(rule), **data})
        if rule.version != expected_version:
            raise self._conflict(rule, clean)
        before = rule_fields(rule)
        self.session.flush()
        try:
            with self.session.begin_nested():
                for name, value in clean.items():
                    setattr(rule, name, value)
                changes = diff(before, rule_fields(rule))
                if changes:
                    rule.updated_at, rule.updated_by_id = self.clock(), self.actor_id
        except StaleDataError:
            self.session.refresh(rule)
            raise self._conflict(rule, clean) from None
        if changes:
            self.audit.log("weeding.rule.update", "weeding_rule", rule.id, record_id=None, label=rule.name,
                           changes=changes)
        return rule

    def _conflict(self, rule: WeedingRule, clean: dict) -> VersionConflict:
        return VersionConflict(N_("Someone changed this rule meanwhile: compare, then save again."),
                               current={"version": rule.version, **rule_fields(rule)},
                               submitted={k: getattr(v, "value", v) for k, v in clean.items()})


def rule_fields(rule: WeedingRule) -> dict:
    return {name: getattr(getattr(rule, name), "value", getattr(rule, name)) for name in FIELDS}


def clean_rule(session: Session, data: dict) -> dict:
    """The rule's fields, checked; raises ValidationFailed naming each bad field.
    A criterion left empty is "not applicable"."""
    errors: dict[str, list[str]] = {}
    clean: dict = {}
    clean["name"] = str(data.get("name") or "").strip()[:200]
    if not clean["name"]:
        errors["name"] = [N_("Give the rule a name.")]
    clean["position"] = _number(data.get("position"), errors, "position", default=100, high=10 ** 6)
    clean["active"] = _flag(data.get("active", True))
    clean["justification"] = str(data.get("justification") or "").strip() or None
    clean["superseded"] = _flag(data.get("superseded", False))
    for name, vocabulary in (("document_type", DocumentType), ("pole", Pole)):
        value = str(data.get(name) or "").strip()
        clean[name] = vocabulary(value) if value in vocabulary.values() else None
        if value and clean[name] is None:
            errors[name] = [N_("Choose one of the listed values, or none.")]
    clean["call_number_prefix"] = str(data.get("call_number_prefix") or "").strip()[:100] or None
    clean["concept_id"] = _number(data.get("concept_id"), errors, "concept_id", default=None, high=2 ** 63 - 1)
    if clean["concept_id"] is not None and session.get(Concept, clean["concept_id"]) is None:
        errors["concept_id"] = [N_("There is no such concept in the thesaurus.")]
    for name in YEARS:
        clean[name] = _number(data.get(name), errors, name, default=None, low=1, high=MAX_YEARS)
    clean["low_use_min"] = _number(data.get("low_use_min"), errors, "low_use_min", default=None, low=1,
                                   high=10 ** 6)
    if (clean["low_use_min"] is None) != (clean["low_use_years"] is None):
        errors.setdefault("low_use_min", []).append(
            N_("Low use needs both a number of uses and a number of years, or neither."))
    conditions = data.get("conditions") or []
    if isinstance(conditions, str):
        conditions = [part.strip() for part in conditions.split(",") if part.strip()]
    if not isinstance(conditions, list) or any(c not in Condition.values() for c in conditions):
        errors["conditions"] = [N_("Choose conditions among the listed ones.")]
        conditions = []
    clean["conditions"] = sorted(set(conditions))
    if errors:
        raise ValidationFailed(errors)
    return clean


def install_defaults(session: Session, actor=None, clock=utcnow) -> int:
    """Write the default rules when there is none yet; returns how many were
    added. Called again once the thesaurus is loaded (the demo does), it
    points the defaults still waiting for their concept at it and switches
    them on, unless a librarian has edited them since."""
    if session.scalar(select(func.count()).select_from(WeedingRule)):
        _attach_concepts(session, RuleService(session, actor, clock))
        return 0
    service = RuleService(session, actor, clock)
    for default in DEFAULT_RULES:
        data = {k: v for k, v in default.items() if k != "concept_labels"}
        if "concept_labels" in default:
            data["concept_id"] = _concept(session, default["concept_labels"])
            data["active"] = data["concept_id"] is not None
        service.create(data)
    return len(DEFAULT_RULES)


def _attach_concepts(session: Session, service: RuleService) -> None:
    waiting = {d["name"]: d for d in DEFAULT_RULES if "concept_labels" in d}
    for rule in session.scalars(select(WeedingRule).where(
            WeedingRule.name.in_(list(waiting)), WeedingRule.concept_id.is_(None),
            WeedingRule.active.is_(False), WeedingRule.version == 1)):
        concept_id = _concept(session, waiting[rule.name]["concept_labels"])
        if concept_id is not None:
            service.update(rule.id, {"concept_id": concept_id, "active": True}, expected_version=rule.version)


def _concept(session: Session, labels: tuple[str, ...]) -> int | None:
    wanted = [fold(label) for label in labels]
    found = {fold(label): concept_id for concept_id, label in session.execute(
        select(Concept.id, Concept.pref_label_fr).where(func.lower(Concept.pref_label_fr).in_(
            [label.lower() for label in labels])))}
    return next((found[w] for w in wanted if w in found), None)


def _number(value, errors: dict, name: str, *, default, low: int = 0, high: int) -> int | None:
    if value in (None, ""):
        return default
    try:
        number = int(str(value).strip()) if not isinstance(value, bool) else None
    except ValueError:
        number = None
    if number is None or not low <= number <= high:
        errors[name] = [N_("Give a positive whole number (years: at most 100), or leave it empty.")]
        return default
    return number


def _flag(value) -> bool:
    return value is True or str(value).strip().lower() in ("1", "true", "yes", "on")
