"""PortalService on both databases: rules field by field, version
conflicts that overwrite nothing, the curated selection, and the audit trail."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from core.audit import AuditEvent
from core.errors import NotFound, ValidationFailed, VersionConflict
from search.models import Portal
from search.portals import PortalService
from tests.support.factories import make_record, make_user


def portal_data(**overrides) -> dict:
    data = {"slug": "creer-son-activite", "title_fr": "Créer son activité", "title_en": "Start your own business",
            "description_fr": "De l'idée au premier client.", "pole": "business_creation",
            "base_filter": {"pole": ["business_creation"]}, "boost": {"document_type": ["book"]},
            "kiosk_idle_seconds": "90"}
    data.update(overrides)
    return data


def create(db, actor=None, **overrides) -> Portal:
    with db.transaction() as session:
        return PortalService(session, actor).create(portal_data(**overrides))


def test_create_keeps_the_settings_and_is_audited(db):
    doc = make_user(db)
    portal = create(db, doc)
    with db.transaction() as session:
        stored = PortalService(session).by_slug("creer-son-activite")
        assert stored.title_en == "Start your own business"
        assert stored.base_filter == {"pole": ["business_creation"]}
        assert stored.boost == {"document_type": ["book"]}
        assert stored.kiosk_idle_seconds == 90 and stored.published
        event = session.scalar(select(AuditEvent).where(AuditEvent.entity_type == "portal"))
        assert (event.action, event.entity_id, event.actor_id) == ("create", portal.id, doc.id)
        assert event.changes["slug"] == [None, "creer-son-activite"]


@pytest.mark.parametrize("overrides, field", [
    ({"slug": ""}, "slug"),
    ({"slug": "Créer son activité"}, "slug"),
    ({"title_fr": " "}, "title_fr"),
    ({"pole": "partner"}, "pole"),
    ({"kiosk_idle_seconds": "3"}, "kiosk_idle_seconds"),
    ({"kiosk_idle_seconds": "soon"}, "kiosk_idle_seconds"),
    ({"base_filter": {"document_type": ["novel"]}}, "base_filter.document_type"),
    ({"base_filter": {"colour": ["red"]}}, "base_filter.colour"),
    ({"boost": {"year_range": ["recent"]}}, "boost.year_range"),
    ({"boost": {"language": ["french"]}}, "boost.language"),
])
def test_invalid_settings_are_refused_field_by_field(db, overrides, field):
    with pytest.raises(ValidationFailed) as refused:
        create(db, **overrides)
    assert field in refused.value.fields
    with db.transaction() as session:
        assert session.scalar(select(Portal.id)) is None


def test_an_address_is_unique(db):
    create(db)
    with pytest.raises(ValidationFailed) as refused:
        create(db, title_fr="Autre")
    assert list(refused.value.fields) == ["slug"]


def test_a_stale_version_is_a_conflict_and_overwrites_nothing(db):
    portal = create(db)
    with db.transaction() as session:
        PortalService(session).update(portal.id, portal_data(title_fr="Entreprendre"), expected_version=portal.version)
    with pytest.raises(VersionConflict) as conflict, db.transaction() as session:
        PortalService(session).update(portal.id, portal_data(title_fr="Lancer sa boîte"),
                                      expected_version=portal.version)
    assert conflict.value.current["title_fr"] == "Entreprendre"
    assert conflict.value.submitted["title_fr"] == "Lancer sa boîte"
    with db.transaction() as session:
        assert session.get(Portal, portal.id).title_fr == "Entreprendre"


def test_selection_add_move_remove_bump_the_version_and_are_audited(db):
    portal = create(db)
    first = make_record(db, title="Construire son business plan", isbn="9782070360246")
    second = make_record(db, title="Devenir artisan", isbn=None)
    with db.transaction() as session:
        service = PortalService(session)
        service.add_selection(portal.id, {"work": str(first.id)}, expected_version=portal.version)
        stored = service.get(portal.id)
        service.add_selection(portal.id, {"work": "978-2-07-036024-6"}, expected_version=stored.version)  # ISBN
        service.add_selection(portal.id, {"work": f"http://catalogue.example/notices/{second.id}"},
                              expected_version=stored.version)
        service.add_selection(portal.id, {"url": "https://example.org/guide", "title": "Le guide des démarches",
                                          "note": "Pas à pas"}, expected_version=stored.version)
        assert [(s.record_id, s.url) for s in stored.selections] == [
            (first.id, None), (first.id, None), (second.id, None), (None, "https://example.org/guide")]
        last = stored.selections[-1]
        service.move_selection(portal.id, last.id, -1, expected_version=stored.version)
        service.move_selection(portal.id, stored.selections[0].id, -1, expected_version=stored.version)  # stays first
        service.remove_selection(portal.id, stored.selections[1].id, expected_version=stored.version)
        version = stored.version
    with db.transaction() as session:
        stored = session.get(Portal, portal.id)
        assert [(s.record_id, s.url) for s in stored.selections] == [
            (first.id, None), (None, "https://example.org/guide"), (second.id, None)]
        assert version > portal.version
        updates = session.scalars(select(AuditEvent).where(AuditEvent.entity_type == "portal",
                                                           AuditEvent.action == "update")
                                  .order_by(AuditEvent.id)).all()
        # four additions, one move and one removal; moving the first entry up changed nothing
        assert len(updates) == 6 and all("selection" in e.changes for e in updates)
        assert updates[-1].changes["selection"][1] == [f"/notices/{first.id}", "https://example.org/guide",
                                                       f"/notices/{second.id}"]
    with pytest.raises(VersionConflict), db.transaction() as session:
        PortalService(session).remove_selection(portal.id, stored.selections[0].id, expected_version=portal.version)


@pytest.mark.parametrize("entry, field", [
    ({"work": "999999"}, "work"),
    ({"work": "not a work"}, "work"),
    ({}, "url"),
    ({"url": "javascript:alert(1)", "title": "x"}, "url"),
    ({"url": "https://example.org"}, "title"),
])
def test_a_bad_selection_entry_says_which_field(db, entry, field):
    portal = create(db)
    with pytest.raises(ValidationFailed) as refused, db.transaction() as session:
        PortalService(session).add_selection(portal.id, entry, expected_version=portal.version)
    assert field in refused.value.fields


def test_unpublished_portals_are_hidden_from_visitors_and_delete_needs_the_version(db):
    portal = create(db, published=False)
    with db.transaction() as session:
        service = PortalService(session)
        with pytest.raises(NotFound):
            service.by_slug("creer-son-activite")
        assert service.by_slug("creer-son-activite", published_only=False).id == portal.id
        assert service.list(published_only=True) == []
        with pytest.raises(VersionConflict):
            service.delete(portal.id, expected_version=portal.version + 5)
        service.delete(portal.id, expected_version=portal.version)
        assert service.list() == []


def test_demo_portals_one_per_pole_twice_safe(db):
    from cite.demo import load_demo
    from cite.demo.portals import PORTALS
    from core.vocab import Pole

    with db.transaction() as session:
        report = load_demo(session, accounts=False)
    assert report.portals == len(PORTALS)
    with db.transaction() as session:
        portals = PortalService(session).list()
        assert {p.pole for p in portals} == set(Pole) | {None}  # and the thematic ones (test_demo_portals)
        creation = PortalService(session).by_slug("creer-son-activite")
        assert creation.title_en == "Start your own business" and len(creation.selections) >= 3
    with db.transaction() as session:
        assert load_demo(session, accounts=False).portals == 0
