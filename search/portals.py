"""Thematic portals: what documentalists configure, checked and audited here.

A portal narrows every search made from it (``base_filter``), ranks some
works first (``boost``) and shows a curated selection of works and websites.
Every change carries the version the editor read: a stale one is refused
with a VersionConflict and nothing is overwritten. Selection changes bump
the portal's version too, so two people arranging one portal never undo
each other's work without seeing it. The field rules are in portal_rules.
"""
from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from catalogue.identifiers import InvalidIdentifier, normalise_isbn
from catalogue.models import Record
from core.audit import AuditTrail, diff
from core.db import utcnow
from core.errors import NotFound, VersionConflict
from core.i18n import N_
from core.text import fold
from search.models import Portal, PortalSelection
from search.portal_rules import clean_portal, clean_selection
from thesaurus.models import Concept
from thesaurus.services.lookup import autocomplete

FIELDS = ("slug", "title_fr", "title_en", "description_fr", "description_en", "pole", "base_filter", "boost",
          "kiosk_idle_seconds", "position", "published")


class PortalService:
    def __init__(self, session: Session, actor=None, clock=utcnow):
        self.session = session
        self.actor = actor
        self.clock = clock
        self.audit = AuditTrail(session, actor, clock)

    # Reading -----------------------------------------------------------------
    def list(self, *, published_only: bool = False) -> list[Portal]:
        query = select(Portal).order_by(Portal.position, Portal.title_fr, Portal.id)
        if published_only:
            query = query.where(Portal.published.is_(True))
        return list(self.session.scalars(query))

    def get(self, portal_id: int) -> Portal:
        portal = self.session.get(Portal, portal_id)
        if portal is None:
            raise NotFound(N_("There is no portal number %(id)s."), id=portal_id)
        return portal

    def by_slug(self, slug: str, *, published_only: bool = True) -> Portal:
        portal = self.session.scalar(select(Portal).where(Portal.slug == slug))
        if portal is None or (published_only and not portal.published):
            raise NotFound(N_("There is no portal “%(slug)s”."), slug=slug)
        return portal

    # Writing -----------------------------------------------------------------
    def create(self, data: dict) -> Portal:
        clean = self._clean(data, portal_id=None)
        portal = Portal(created_by_id=self._actor_id, updated_by_id=self._actor_id,
                        created_at=self.clock(), updated_at=self.clock(), **clean)
        self.session.add(portal)
        self.session.flush()
        self.audit.log("create", "portal", portal.id, record_id=None, label=portal.title_fr,
                       changes=diff({}, portal_fields(portal)))
        return portal

    def update(self, portal_id: int, data: dict, *, expected_version: int) -> Portal:
        portal = self.get(portal_id)
        clean = self._clean(data, portal_id=portal_id)
        before = portal_fields(portal)
        return self._change(portal, expected_version, before, clean,
                            lambda: [setattr(portal, name, value) for name, value in clean.items()])

    def delete(self, portal_id: int, *, expected_version: int) -> None:
        portal = self.get(portal_id)
        if portal.version != expected_version:
            raise self._conflict(portal, {})
        self.audit.log("delete", "portal", portal.id, record_id=None, label=portal.title_fr,
                       changes=diff(portal_fields(portal), {}))
        self.session.delete(portal)
        self.session.flush()

    def add_selection(self, portal_id: int, data: dict, *, expected_version: int) -> PortalSelection:
        """``data``: ``work`` (a work's number, page address or ISBN) or
        ``url`` and ``title`` (a website), and an optional ``note``."""
        portal = self.get(portal_id)
        entry = self._clean_selection(data)
        before = portal_fields(portal)
        entry.position = max((s.position for s in portal.selections), default=-1) + 1
        self._change(portal, expected_version, before, {}, lambda: portal.selections.append(entry))
        return entry

    def remove_selection(self, portal_id: int, selection_id: int, *, expected_version: int) -> None:
        portal = self.get(portal_id)
        entry = self._selection(portal, selection_id)
        self._change(portal, expected_version, portal_fields(portal), {}, lambda: portal.selections.remove(entry))

    def move_selection(self, portal_id: int, selection_id: int, offset: int, *, expected_version: int) -> None:
        """Move an entry ``offset`` places (-1: up, +1: down), within bounds."""
        portal = self.get(portal_id)
        entry = self._selection(portal, selection_id)

        def move():
            order = sorted(portal.selections, key=lambda s: (s.position, s.id))
            at = order.index(entry)
            order.insert(max(0, min(len(order) - 1, at + offset)), order.pop(at))
            for position, selection in enumerate(order):
                selection.position = position
        self._change(portal, expected_version, portal_fields(portal), {}, move)

    # Helpers -----------------------------------------------------------------
    @property
    def _actor_id(self) -> int | None:
        return getattr(self.actor, "id", None)

    def _change(self, portal: Portal, expected_version: int, before: dict, submitted: dict, apply) -> Portal:
        if portal.version != expected_version:
            raise self._conflict(portal, submitted)
        try:
            with self.session.begin_nested():
                apply()
                changes = diff(before, portal_fields(portal))
                if changes:
                    portal.updated_at = self.clock()  # bumps the version, even for a selection change
                    portal.updated_by_id = self._actor_id
                self.session.flush()
        except StaleDataError:
            # Another transaction saved the portal between our read and our write.
            self.session.refresh(portal)
            raise self._conflict(portal, submitted) from None
        if changes:
            self.audit.log("update", "portal", portal.id, record_id=None, label=portal.title_fr, changes=changes)
        return portal

    def _conflict(self, portal: Portal, submitted: dict) -> VersionConflict:
        return VersionConflict(
            N_("Someone else saved this portal (version %(version)s) while you were editing it. "
               "Nothing was overwritten: compare both versions, then save again."),
            version=portal.version, current=portal_fields(portal), submitted=submitted)

    def _selection(self, portal: Portal, selection_id: int) -> PortalSelection:
        for entry in portal.selections:
            if entry.id == selection_id:
                return entry
        raise NotFound(N_("This entry is no longer in the portal's selection."))

    def _clean(self, data: dict, *, portal_id: int | None) -> dict:
        return clean_portal(data, slug_taken=lambda slug: self.session.scalar(
            select(Portal.id).where(Portal.slug == slug, Portal.id != (portal_id or -1))) is not None,
            find_concept=self._find_concept)

    def _find_concept(self, text: str) -> int | None:
        """A concept by its number, or by one of its labels (case and accents ignored)."""
        if text.isdigit():
            found = select(Concept.id).where(Concept.id == int(text))
            return self.session.scalar(found) if len(text) < 10 else None
        key = fold(text)
        matches = autocomplete(self.session, text, limit=20)
        return next((m.concept_id for m in matches if fold(m.label) == key), None)

    def subject_labels(self, portal: Portal) -> list[str]:
        """The base filter's subjects as editors name them: each concept's
        French label (the number of one deleted since)."""
        ids = [int(v) for v in (portal.base_filter or {}).get("concept", []) if str(v).isdigit()]
        labels = dict(self.session.execute(
            select(Concept.id, Concept.pref_label_fr).where(Concept.id.in_(ids))).all()) if ids else {}
        return [labels.get(concept_id) or str(concept_id) for concept_id in ids]

    def _clean_selection(self, data: dict) -> PortalSelection:
        return PortalSelection(**clean_selection(data, find_record=self._find_record))

    def _find_record(self, text: str) -> int | None:
        """A work by its number, the address of its page (…/notices/12) or its ISBN."""
        number = re.search(r"(?:^|/)(\d{1,9})/?$", text)
        if number and len(number.group(1)) < 10:
            return self.session.scalar(select(Record.id).where(Record.id == int(number.group(1))))
        try:
            isbn = normalise_isbn(text)
        except InvalidIdentifier:
            return None
        return self.session.scalar(select(Record.id).where(Record.isbn == isbn).order_by(Record.id).limit(1))


def portal_fields(portal: Portal) -> dict:
    """A portal as plain data, for the audit trail and conflicts."""
    data = {name: getattr(portal, name) for name in FIELDS}
    data["pole"] = portal.pole.value if portal.pole else None
    data["base_filter"] = dict(portal.base_filter or {})
    data["boost"] = dict(portal.boost or {})
    # a work by the address of its page: the same in every language, and the form takes it back
    data["selection"] = [f"/notices/{s.record_id}" if s.record_id else s.url
                         for s in sorted(portal.selections, key=lambda s: (s.position, s.id or 0))]
    return data
