from __future__ import annotations

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from catalogue.matchkey import match_key
from catalogue.models import Contributor, Item, Record, RecordAudience, RecordDeletion, RecordPole
from catalogue.services.descriptors import descriptor_problems, sync_descriptors
from catalogue.services.snapshots import plain_fields, record_fields, record_snapshot
from catalogue.services.validation import clean_record
from catalogue.vocab import DocumentType, Origin
from core.audit import diff
from core.db import like_pattern, paginate
from core.errors import Conflict, NotFound, VersionConflict
from core.i18n import N_
from core.outbox import mark_record_ids
from core.services import Service


class RecordService(Service):
    """Create, read, update and delete works."""

    # Reading -----------------------------------------------------------------
    def get(self, record_id: int) -> Record:
        record = self.session.get(Record, record_id)
        if record is None:
            raise NotFound(N_("There is no work number %(id)s."), id=record_id)
        return record

    def list(self, *, page: int = 1, size: int = 20, text: str | None = None,
             document_type: str | None = None, pole: str | None = None) -> tuple[list[Record], int]:
        """A page of works, newest changes first, and the total matching.

        ``text`` is a plain substring filter on title, ISBN/ISSN and call
        number for staff lists; visitors' search is the search engine's job.
        """
        # Descriptors are part of every record's snapshot: load them with the page.
        query = filter_records(select(Record).options(selectinload(Record.descriptor_links)),
                               text=text, document_type=document_type, pole=pole)
        return paginate(self.session, query.order_by(Record.updated_at.desc(), Record.id.desc()),
                        page=page, size=size)

    # Writing -----------------------------------------------------------------
    def create(self, data: dict, *, origin: Origin = Origin.LOCAL) -> Record:
        """A new work. ``data["descriptors"]``: concept ids (optional)."""
        clean = self._clean(data, held=())
        now = self.clock()
        record = Record(origin=origin, created_at=now, updated_at=now,
                        created_by_id=self.actor_id, updated_by_id=self.actor_id)
        self._apply(record, clean)
        record.match_key = _key(clean)
        self.session.add(record)
        self.session.flush()
        self.audit.log("create", "record", record.id, record_id=record.id, label=record.title,
                       changes=diff({}, record_fields(record, descriptors=True)))
        mark_record_ids(self.session, [record.id], "record.create", now=now)
        return record

    def update(self, record_id: int, data: dict, *, expected_version: int) -> Record:
        """Replace a work's editable fields.

        Raises VersionConflict, changing nothing, if the stored version is
        not ``expected_version``.
        """
        record = self.get(record_id)
        clean = self._clean(data, held=[link.concept_id for link in record.descriptor_links])
        if record.version != expected_version:
            raise self._conflict(record, plain_fields(clean))
        before = record_fields(record, descriptors=True)
        try:
            with self.session.begin_nested():
                self._apply(record, clean)
                changes = diff(before, record_fields(record, descriptors=True))
                if changes:
                    record.updated_at = self.clock()
                    record.updated_by_id = self.actor_id
                    record.match_key = _key(clean)
        except StaleDataError:
            # Another transaction committed between our read and our write.
            self.session.refresh(record)
            raise self._conflict(record, plain_fields(clean)) from None
        if not changes:
            return record
        self.audit.log("update", "record", record.id, record_id=record.id, label=record.title, changes=changes)
        # Every field but local notes and call number is in the search
        # document: marking on any change is simpler than keeping a list true.
        mark_record_ids(self.session, [record.id], "record.update", now=self.clock())
        return record

    def delete(self, record_id: int, *, expected_version: int | None = None) -> None:
        record = self.get(record_id)
        if expected_version is not None and record.version != expected_version:
            raise self._conflict(record, {})
        count = self.session.scalar(select(func.count()).where(Item.record_id == record.id))
        if count:
            raise Conflict(N_("This work still has %(count)s item(s): withdraw or delete them first."),
                           count=count)
        self.audit.log("delete", "record", record.id, record_id=record.id, label=record.title,
                       changes=diff(record_fields(record, descriptors=True), {}))
        self.session.add(RecordDeletion(record_id=record.id, source=record.source, source_id=record.source_id,
                                        deleted_at=self.clock(), deleted_by_id=self.actor_id))
        self.session.delete(record)
        self.session.flush()
        # The outbox row outlives the record: the indexer removes the document.
        mark_record_ids(self.session, [record_id], "record.delete", now=self.clock())

    # Helpers -----------------------------------------------------------------
    def _conflict(self, record: Record, submitted: dict) -> VersionConflict:
        return VersionConflict(
            N_("Someone else saved this work (version %(version)s) while you were editing it. "
               "Nothing was overwritten: compare both versions, then save again."),
            version=record.version, current=record_snapshot(record), submitted=submitted)

    def _clean(self, data: dict, *, held) -> dict:
        """Field rules, and the descriptors' concepts checked in the database."""
        return clean_record(data, today=self.clock().date(),
                            check_descriptors=lambda ids: descriptor_problems(self.session, ids, held))

    def _apply(self, record: Record, clean: dict) -> None:
        for name, value in clean.items():
            if name not in ("contributors", "audiences", "poles", "descriptors"):
                setattr(record, name, value)
        if "descriptors" in clean:  # absent: the record keeps its descriptors
            sync_descriptors(record, clean["descriptors"], actor_id=self.actor_id, now=self.clock())
        _sync(record.pole_links, "pole", clean["poles"], RecordPole)
        _sync(record.audience_links, "audience", clean["audiences"], RecordAudience)
        wanted = [(c["name"], c["role"]) for c in clean["contributors"]]
        if [(c.name, c.role) for c in record.contributors] != wanted:
            record.contributors.clear()
            record.contributors.extend(
                Contributor(position=i, name=name, role=role) for i, (name, role) in enumerate(wanted))


def _key(clean: dict) -> str | None:
    """The work's match key, kept current so imports can find works catalogued here."""
    first = clean["contributors"][0]["name"] if clean["contributors"] else None
    return match_key(clean["title"], first, clean["year"])


def filter_records(query: Select, *, text: str | None = None, document_type: str | None = None,
                   pole: str | None = None) -> Select:
    """The staff filters on works (shared by lists and the MARC export)."""
    if text:
        pattern = like_pattern(text)
        query = query.where(or_(
            func.lower(Record.title).like(pattern, escape="\\"),
            func.lower(Record.subtitle).like(pattern, escape="\\"),
            Record.isbn.like(pattern.replace("-", ""), escape="\\"),
            Record.issn.like(pattern, escape="\\"),
            func.lower(Record.call_number).like(pattern, escape="\\"),
        ))
    if document_type:
        query = query.where(Record.document_type == DocumentType(document_type))
    if pole:
        query = query.where(Record.id.in_(select(RecordPole.record_id).where(RecordPole.pole == pole)))
    return query


def _sync(links: list, attribute: str, wanted: list, factory) -> None:
    """Make a link collection match ``wanted`` without delete-then-insert of
    the same primary key in one flush."""
    for link in list(links):
        if getattr(link, attribute) not in wanted:
            links.remove(link)
    present = {getattr(link, attribute) for link in links}
    links.extend(factory(**{attribute: value}) for value in wanted if value not in present)
