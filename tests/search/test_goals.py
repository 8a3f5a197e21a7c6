"""GoalService on both databases: rules field by field, version conflicts
that overwrite nothing, the audit trail, what a goal finds (concepts with
their narrower ones, types, audiences) and the anonymous entry counts."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from core.audit import AuditEvent
from core.errors import NotFound, ValidationFailed, VersionConflict
from search.goals import GoalService, count_works, entries, record_entry
from search.models import Goal, GoalEntryDay
from search.services import SearchService
from tests.search.goals_support import catalogue, goal_data, make_goal
from tests.support.factories import make_user
from tests.thesaurus.support import make_concept


def test_create_keeps_the_search_and_is_audited(db):
    doc = make_user(db)
    concept = make_concept(db, "Études")
    goal = make_goal(db, doc, concept_ids=[str(concept)], document_types=["book", "job_sheet"],
                     publics=["parent", "high_school", "parent"])
    with db.transaction() as session:
        stored = GoalService(session).by_slug("etudes-diplomes-metiers")
        assert [c.id for c in stored.concepts] == [concept]
        assert stored.publics == ["high_school", "parent"]  # the vocabulary's order, once each
        assert stored.document_types == ["book", "job_sheet"] and stored.published
        event = session.scalar(select(AuditEvent).where(AuditEvent.entity_type == "goal"))
        assert (event.action, event.entity_id, event.actor_id) == ("create", goal.id, doc.id)
        assert event.changes["concept_ids"] == [None, [concept]]


@pytest.mark.parametrize("overrides, field", [
    ({"slug": ""}, "slug"),
    ({"slug": "Études et diplômes"}, "slug"),
    ({"label_fr": " "}, "label_fr"),
    ({"label_fr": "x" * 300}, "label_fr"),
    ({"publics": []}, "publics"),
    ({"publics": ["pirate"]}, "publics"),
    ({"document_types": ["novel"]}, "document_types"),
    ({"audiences": ["everyone"]}, "audiences"),
    ({"concept_ids": ["999999"]}, "concept_ids"),
    ({"concept_ids": ["twelve"]}, "concept_ids"),
    ({"concept_ids": [], "text": "", "document_types": []}, "concept_ids"),
    ({"position": "first"}, "position"),
])
def test_invalid_goals_are_refused_field_by_field(db, overrides, field):
    with pytest.raises(ValidationFailed) as refused:
        make_goal(db, **{"text": "études", **overrides})
    assert field in refused.value.fields
    with db.transaction() as session:
        assert session.scalar(select(Goal.id)) is None


def test_an_address_is_unique(db):
    make_goal(db, text="études")
    with pytest.raises(ValidationFailed) as refused:
        make_goal(db, text="métiers", label_fr="Autre")
    assert list(refused.value.fields) == ["slug"]


def test_a_stale_version_is_a_conflict_and_overwrites_nothing(db):
    goal = make_goal(db, text="études")
    concept = make_concept(db, "Métiers")
    with db.transaction() as session:
        # A change of concepts alone is a change: it bumps the version.
        changed = GoalService(session).update(goal.id, goal_data(text="études", concept_ids=[concept]),
                                              expected_version=goal.version)
        assert changed.version == goal.version + 1
    with pytest.raises(VersionConflict) as conflict, db.transaction() as session:
        GoalService(session).update(goal.id, goal_data(text="diplômes"), expected_version=goal.version)
    assert conflict.value.current["concept_ids"] == [concept]
    assert conflict.value.submitted["text"] == "diplômes"
    with pytest.raises(VersionConflict), db.transaction() as session:
        GoalService(session).delete(goal.id, expected_version=goal.version)
    with db.transaction() as session:
        assert session.get(Goal, goal.id).text == "études"
        GoalService(session).delete(goal.id, expected_version=goal.version + 1)
    with db.transaction() as session, pytest.raises(NotFound):
        GoalService(session).get(goal.id)
    with db.transaction() as session:
        assert [e.action for e in session.scalars(select(AuditEvent).where(AuditEvent.entity_type == "goal")
                                                   .order_by(AuditEvent.id))] == ["create", "update", "delete"]


def test_visitors_see_published_goals_offered_to_their_public(db):
    make_goal(db, slug="a", text="a", publics=["parent"], position="2")
    make_goal(db, slug="b", text="b", publics=["parent", "student"], position="1")
    make_goal(db, slug="c", text="c", publics=["parent"], published=False)
    with db.transaction() as session:
        service = GoalService(session)
        assert [g.slug for g in service.list(published_only=True, public="parent")] == ["b", "a"]
        assert [g.slug for g in service.list(published_only=True, public="student")] == ["b"]
        assert [g.slug for g in service.list()] == ["c", "b", "a"]
        with pytest.raises(NotFound):
            service.by_slug("c")


def test_a_goal_finds_its_concepts_with_the_narrower_ones_within_its_types_and_audiences(app, db):
    found = catalogue(app, db)
    studies = make_goal(db, slug="etudes", concept_ids=[found["studies"], found["diplomas"]])
    books = make_goal(db, slug="livres", concept_ids=[found["studies"], found["diplomas"]], document_types=["book"])
    parents = make_goal(db, slug="parents", concept_ids=[found["studies"], found["diplomas"]], audiences=["parent"])
    board = make_goal(db, slug="offres", document_types=["job_board"])
    with db.transaction() as session:
        goals = [session.get(Goal, g.id) for g in (studies, books, parents, board)]
        counts = count_works(goals, SearchService(session, app.extensions["catalogue.search"]))
    # Études (and Études supérieures, narrower) + Diplômes: three works; two of them books; two for parents.
    assert counts == {studies.id: 3, books.id: 2, parents.id: 2, board.id: 0}


def test_entries_are_counted_per_day_and_portal_only(db):
    first = make_goal(db, slug="a", text="a")
    second = make_goal(db, slug="b", text="b")
    day = dt.date(2026, 12, 7)
    with db.transaction() as session:
        for _ in range(3):
            record_entry(session, day, "", first.id)
        record_entry(session, day, "kiosque-emploi", first.id)
        record_entry(session, day - dt.timedelta(days=40), "", second.id)
    assert {c.name for c in GoalEntryDay.__table__.columns} == {"day", "portal", "goal_id", "entries"}
    with db.transaction() as session:
        assert [(g.slug, n) for g, n in entries(session, day - dt.timedelta(days=29), day)] == [("a", 4), ("b", 0)]
