from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update

from catalogue.models import Item, ItemUse
from catalogue.vocab import ItemStatus
from core.i18n import N_
from core.outbox import mark_record_ids
from core.services import Service


@dataclass
class UseResult:
    barcode: str
    ok: bool
    message: str
    item_id: int | None = None
    record_id: int | None = None
    title: str | None = None
    use_count: int | None = None

    def as_dict(self) -> dict:
        return dict(self.__dict__)


class UseService(Service):
    """Counts in-house use: each scan of a barcode is one use of that copy.

    Open-access documentation centres count use this way, as items left on
    tables are scanned before going back to the shelves. Nothing about the
    visitor is recorded.
    """

    def record(self, barcodes: list[str]) -> list[UseResult]:
        """Record one use per barcode, in order. Unknown or withdrawn barcodes
        are reported and skipped; the others are counted."""
        results = []
        for raw in barcodes:
            barcode = (raw or "").strip()
            if not barcode:
                continue
            results.append(self._record_one(barcode))
        return results

    def _record_one(self, barcode: str) -> UseResult:
        item = self.session.scalar(select(Item).where(Item.barcode == barcode))
        if item is None:
            return UseResult(barcode, False, N_("Unknown barcode: check it or catalogue the item."))
        title = item.record.title
        if item.status is ItemStatus.WITHDRAWN:
            return UseResult(barcode, False, N_("This item is withdrawn: put it aside for the documentalists."),
                             item.id, item.record_id, title, item.use_count)
        now = self.clock()
        changes = {"use_count": [item.use_count, item.use_count + 1]}
        message = N_("Use recorded.")
        if item.status is ItemStatus.MISSING:
            # A copy marked missing that turns up on a table has been found.
            item.status = ItemStatus.AVAILABLE
            changes["status"] = [ItemStatus.MISSING.value, ItemStatus.AVAILABLE.value]
            # The work's availability in the search index changes with it.
            mark_record_ids(self.session, [item.record_id], "item.found", now=now)
            message = N_("Use recorded. This item was marked missing and is now available again.")
        self.session.add(ItemUse(item_id=item.id, used_at=now, recorded_by_id=self.actor_id))
        self.session.flush()
        # An atomic increment, outside the ORM's version check: counting a
        # use is not an edit, so it must neither lose a concurrent scan nor
        # make a documentalist's open edit form conflict.
        self.session.execute(
            update(Item).where(Item.id == item.id)
            # updated_at stays: it tells when the item was last edited.
            .values(use_count=Item.use_count + 1, last_used_at=now, updated_at=Item.updated_at)
            .execution_options(synchronize_session=False))
        self.session.refresh(item, ["use_count", "last_used_at"])
        changes["use_count"] = [item.use_count - 1, item.use_count]
        self.audit.log("use", "item", item.id, record_id=item.record_id, label=f"{barcode} — {title}",
                       changes=changes)
        return UseResult(barcode, True, message, item.id, item.record_id, title, item.use_count)
