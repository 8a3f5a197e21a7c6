"""Visitors' goals ("je suis… / je veux…"): what documentalists keep, checked
and audited here, and what a goal finds.

A goal is a saved search (search.models.Goal). Every change carries the
version the editor read: a stale one is refused with a VersionConflict and
nothing is overwritten. Entries are counted per day and portal only
(GoalEntryDay), as the observatory counts searches: nothing about who.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.exc import StaleDataError

from core.audit import AuditTrail, diff
from core.db import utcnow
from core.errors import NotFound, VersionConflict
from core.i18n import N_
from search.goal_rules import clean_goal, offered_to
from search.models import Goal, GoalEntryDay
from thesaurus.models import Concept

FIELDS = ("slug", "label_fr", "label_en", "publics", "text", "document_types", "audiences", "position",
          "published")
FEW_WORKS = 5  # a goal finding fewer works than this is shown to the documentalists in the observatory


class GoalService:
    def __init__(self, session: Session, actor=None, clock=utcnow):
        self.session = session
        self.actor = actor
        self.clock = clock
        self.audit = AuditTrail(session, actor, clock)

    # Reading -----------------------------------------------------------------
    def list(self, *, published_only: bool = False, public: str | None = None) -> list[Goal]:
        """Goals in the documentalists' order; ``public``: only those offered to it."""
        query = (select(Goal).options(selectinload(Goal.concepts))
                 .order_by(Goal.position, Goal.label_fr, Goal.id))
        if published_only:
            query = query.where(Goal.published.is_(True))
        goals = list(self.session.scalars(query))
        return offered_to(goals, public) if public is not None else goals

    def get(self, goal_id: int) -> Goal:
        goal = self.session.get(Goal, goal_id)
        if goal is None:
            raise NotFound(N_("There is no goal number %(id)s."), id=goal_id)
        return goal

    def by_slug(self, slug: str, *, published_only: bool = True) -> Goal:
        goal = self.session.scalar(select(Goal).where(Goal.slug == slug))
        if goal is None or (published_only and not goal.published):
            raise NotFound(N_("There is no goal “%(slug)s”."), slug=slug)
        return goal

    # Writing -----------------------------------------------------------------
    def create(self, data: dict) -> Goal:
        clean = self._clean(data, goal_id=None)
        concepts = self._concepts(clean.pop("concept_ids"))
        goal = Goal(created_by_id=self._actor_id, updated_by_id=self._actor_id, created_at=self.clock(),
                    updated_at=self.clock(), concepts=concepts, **clean)
        self.session.add(goal)
        self.session.flush()
        self.audit.log("create", "goal", goal.id, record_id=None, label=goal.label_fr,
                       changes=diff({}, goal_fields(goal)))
        return goal

    def update(self, goal_id: int, data: dict, *, expected_version: int) -> Goal:
        goal = self.get(goal_id)
        clean = self._clean(data, goal_id=goal_id)
        if goal.version != expected_version:
            raise self._conflict(goal, clean)
        before = goal_fields(goal)
        concepts = self._concepts(clean.pop("concept_ids"))
        try:
            with self.session.begin_nested():
                for name, value in clean.items():
                    setattr(goal, name, value)
                goal.concepts = concepts
                changes = diff(before, goal_fields(goal))
                if changes:
                    goal.updated_at = self.clock()  # bumps the version, even for a change of concepts only
                    goal.updated_by_id = self._actor_id
                self.session.flush()
        except StaleDataError:
            # Another transaction saved the goal between our read and our write.
            self.session.refresh(goal)
            raise self._conflict(goal, clean) from None
        if changes:
            self.audit.log("update", "goal", goal.id, record_id=None, label=goal.label_fr, changes=changes)
        return goal

    def delete(self, goal_id: int, *, expected_version: int) -> None:
        goal = self.get(goal_id)
        if goal.version != expected_version:
            raise self._conflict(goal, {})
        self.audit.log("delete", "goal", goal.id, record_id=None, label=goal.label_fr,
                       changes=diff(goal_fields(goal), {}))
        self.session.delete(goal)
        self.session.flush()

    # Helpers -----------------------------------------------------------------
    @property
    def _actor_id(self) -> int | None:
        return getattr(self.actor, "id", None)

    def _concepts(self, ids: list[int]) -> list[Concept]:
        return list(self.session.scalars(select(Concept).where(Concept.id.in_(ids)))) if ids else []

    def _conflict(self, goal: Goal, submitted: dict) -> VersionConflict:
        return VersionConflict(
            N_("Someone else saved this goal (version %(version)s) while you were editing it. "
               "Nothing was overwritten: compare both versions, then save again."),
            version=goal.version, current=goal_fields(goal), submitted=submitted)

    def _clean(self, data: dict, *, goal_id: int | None) -> dict:
        return clean_goal(
            data,
            slug_taken=lambda slug: self.session.scalar(
                select(Goal.id).where(Goal.slug == slug, Goal.id != (goal_id or -1))) is not None,
            known_concepts=lambda ids: set(self.session.scalars(select(Concept.id).where(Concept.id.in_(ids)))))


def goal_fields(goal: Goal) -> dict:
    """A goal as plain data, for the audit trail and conflicts."""
    data = {name: getattr(goal, name) for name in FIELDS}
    for name in ("publics", "document_types", "audiences"):
        data[name] = list(data[name] or [])
    data["concept_ids"] = sorted(concept.id for concept in goal.concepts)
    return data


def goal_search(goal: Goal) -> dict:
    """What the search service is asked for a goal: its words, its concepts
    (narrower ones match through the documents' descriptor paths) and its
    filters, as the visitor's facets would give them."""
    filters = {}
    if goal.document_types:
        filters["document_type"] = list(goal.document_types)
    if goal.audiences:
        filters["audience"] = list(goal.audiences)
    return {"text": goal.text or "", "concept_ids": sorted(c.id for c in goal.concepts), "filters": filters}


def count_works(goals: list[Goal], search) -> dict[int, int]:
    """How many works each goal finds now; ``search`` is a SearchService."""
    counts = {}
    for goal in goals:
        asked = goal_search(goal)
        counts[goal.id] = search.search(asked["text"], filters=asked["filters"], concept_ids=asked["concept_ids"],
                                        size=1, record_stats=False).result.total
    return counts


def record_entry(session: Session, day: dt.date, portal: str, goal_id: int, times: int = 1) -> None:
    """Count ``times`` entries into a goal (an upsert: no lost count between two requests)."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(GoalEntryDay).values(day=day, portal=portal, goal_id=goal_id, entries=times)
    session.execute(statement.on_conflict_do_update(
        index_elements=["day", "portal", "goal_id"], set_={"entries": GoalEntryDay.entries + times}))


def entries(session: Session, start: dt.date, end: dt.date) -> list[tuple[Goal, int]]:
    """Each goal's entries from ``start`` to ``end`` included, most entered first (goals never entered too)."""
    total = func.coalesce(func.sum(GoalEntryDay.entries), 0)
    counted = dict(session.execute(
        select(GoalEntryDay.goal_id, total).where(GoalEntryDay.day >= start, GoalEntryDay.day <= end)
        .group_by(GoalEntryDay.goal_id)).all())
    goals = GoalService(session).list()
    return sorted(((goal, int(counted.get(goal.id, 0))) for goal in goals),
                  key=lambda row: (-row[1], row[0].position, row[0].label_fr))
