from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from catalogue.errors import DuplicateBarcode
from catalogue.models import Item, Record
from catalogue.services.records import RecordService
from catalogue.services.snapshots import item_fields, item_snapshot, plain, plain_fields
from catalogue.services.validation import clean_item
from catalogue.vocab import Disposal, ItemStatus
from core.audit import diff
from core.db import paginate
from core.errors import NotFound, VersionConflict
from core.i18n import N_
from core.outbox import mark_record_ids
from core.services import Service


class ItemService(Service):
    """Create, update and delete copies of works."""

    def get(self, item_id: int) -> Item:
        item = self.session.get(Item, item_id)
        if item is None:
            raise NotFound(N_("There is no item number %(id)s."), id=item_id)
        return item

    def by_barcode(self, barcode: str) -> Item | None:
        return self.session.scalar(select(Item).where(Item.barcode == barcode.strip()))

    def list(self, *, record_id: int | None = None, barcode: str | None = None,
             page: int = 1, size: int = 50) -> tuple[list[Item], int]:
        query = select(Item)
        if record_id is not None:
            query = query.where(Item.record_id == record_id)
        if barcode:
            query = query.where(Item.barcode == barcode.strip())
        return paginate(self.session, query.order_by(Item.id), page=page, size=size)

    def create(self, record_id: int, data: dict, *, source: str | None = None) -> Item:
        record = RecordService(self.session, self.actor, self.clock).get(record_id)
        clean = clean_item(data, today=self.clock().date())
        self._check_barcode(clean["barcode"])
        now = self.clock()
        item = Item(record_id=record.id, source=source, created_at=now, updated_at=now,
                    created_by_id=self.actor_id, updated_by_id=self.actor_id, **clean)
        self._flush(item, clean["barcode"])
        self.session.expire(record, ["items"])
        self._touch(record.id)
        self.audit.log("create", "item", item.id, record_id=record.id,
                       label=f"{item.barcode} — {record.title}", changes=diff({}, item_fields(item)))
        return item

    def update(self, item_id: int, data: dict, *, expected_version: int) -> Item:
        item = self.get(item_id)
        clean = clean_item(data, today=self.clock().date())
        if item.version != expected_version:
            raise self._conflict(item, plain_fields(clean))
        if clean["barcode"] != item.barcode:
            self._check_barcode(clean["barcode"])
        before = item_fields(item)
        # Write in a savepoint, so that losing a race (another transaction
        # saved this item, or took the barcode, since we read) leaves the
        # session usable for a clean 409 instead of an aborted transaction.
        self.session.flush()  # pending work of others stays outside our savepoint
        try:
            with self.session.begin_nested():
                for name, value in clean.items():
                    setattr(item, name, value)
                if item.status is ItemStatus.WITHDRAWN and item.withdrawn_at is None:
                    item.withdrawn_at = self.clock()  # withdrawn by hand: dated all the same
                elif item.status is not ItemStatus.WITHDRAWN:
                    item.withdrawn_at = item.withdrawal_reason = item.disposal = None
                changes = diff(before, item_fields(item))
                if changes:
                    item.updated_at = self.clock()
                    item.updated_by_id = self.actor_id
        except StaleDataError:
            self.session.refresh(item)
            raise self._conflict(item, plain_fields(clean)) from None
        except IntegrityError:
            raise _duplicate(clean["barcode"]) from None
        if not changes:
            return item
        self._touch(item.record_id)
        self.audit.log("update", "item", item.id, record_id=item.record_id,
                       label=f"{item.barcode} — {item.record.title}", changes=changes)
        return item

    def delete(self, item_id: int, *, expected_version: int | None = None) -> None:
        item = self.get(item_id)
        if expected_version is not None and item.version != expected_version:
            raise self._conflict(item, {})
        self.audit.log("delete", "item", item.id, record_id=item.record_id,
                       label=f"{item.barcode} — {item.record.title}", changes=diff(item_fields(item), {}))
        self.session.delete(item)
        self.session.flush()
        self._touch(item.record_id)

    # Fates decided elsewhere (weeding, a replacement received) -----------------
    def withdraw(self, item: Item, *, reason: str, disposal: Disposal | None = None) -> bool:
        """The copy leaves the collection, never the database: statistics,
        exports and the disposal paperwork still read it. False when it had
        already left (nothing changes)."""
        if item.status is ItemStatus.WITHDRAWN:
            return False
        return self.settle(item, "withdraw", status=ItemStatus.WITHDRAWN, withdrawn_at=self.clock(),
                           withdrawal_reason=(reason or "")[:500] or None, disposal=disposal)

    def settle(self, item: Item, action: str, **values) -> bool:
        """Set ``values`` on the copy, as one audited change; False when none changes anything."""
        before = {**item_fields(item), **{name: plain(getattr(item, name)) for name in values}}
        self.session.flush()  # pending work of others stays outside our savepoint
        try:
            with self.session.begin_nested():
                for name, value in values.items():
                    setattr(item, name, value)
                changes = diff(before, {**item_fields(item),
                                        **{name: plain(getattr(item, name)) for name in values}})
                if changes:
                    item.updated_at, item.updated_by_id = self.clock(), self.actor_id
        except StaleDataError:
            self.session.refresh(item)
            raise self._conflict(item, {name: plain(value) for name, value in values.items()}) from None
        if not changes:
            return False
        self._touch(item.record_id)
        self.audit.log(action, "item", item.id, record_id=item.record_id,
                       label=f"{item.barcode} — {item.record.title}", changes=changes)
        return True

    def _touch(self, record_id: int) -> None:
        """Date the work as changed, so OAI-PMH harvesters fetch its new
        holdings, and queue it for the search index (libraries and
        availability come from its copies). A plain UPDATE: the work's
        version, which guards edits of its own fields, must not change
        because a copy did."""
        self.session.execute(update(Record).where(Record.id == record_id).values(updated_at=self.clock())
                             .execution_options(synchronize_session=False))
        mark_record_ids(self.session, [record_id], "item", now=self.clock())

    def _check_barcode(self, barcode: str) -> None:
        if self.by_barcode(barcode) is not None:
            raise _duplicate(barcode)

    def _flush(self, item: Item, barcode: str) -> None:
        # The unique index is the real guard: two clerks may type the same
        # barcode at once, after both passed the check above.
        self.session.flush()  # pending work of others stays outside our savepoint
        try:
            with self.session.begin_nested():
                self.session.add(item)
        except IntegrityError:
            raise _duplicate(barcode) from None

    def _conflict(self, item: Item, submitted: dict) -> VersionConflict:
        return VersionConflict(
            N_("Someone else saved this item (version %(version)s) while you were editing it. "
               "Nothing was overwritten: compare both versions, then save again."),
            version=item.version, current=item_snapshot(item), submitted=submitted)


def _duplicate(barcode: str) -> DuplicateBarcode:
    return DuplicateBarcode(N_("The barcode %(barcode)s is already used by another item."),
                            barcode=barcode,
                            fields={"barcode": [N_("This barcode is already used by another item.")]})
