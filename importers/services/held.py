"""Updates an import held for review (importers.marc.held): listing a run's,
applying or rejecting one or all of them.

Applying a held update merges it into the work exactly as the import would
have (importers.marc.writes.merge_record): the work's version increments,
the update is audited, and the work is queued for the search index. It is
checked against the work's version when it was held (or the one the
reviewer saw): a work edited since answers a VersionConflict, and nothing is
overwritten. Rejecting leaves the work as it is. Each decision records who,
when and why, on the held update and in the audit trail.

The run's counts stay what the run did (read = created + updated + unchanged
+ held + rejected): decisions are counted apart, by state.
"""
from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from catalogue.models import Item, Record
from catalogue.services.snapshots import record_snapshot
from core.db import paginate
from core.errors import Conflict, NotFound, ValidationFailed, VersionConflict
from core.i18n import N_
from core.outbox import mark_record_ids
from core.services import Service
from importers.errors import AlreadyDecided
from importers.marc import held as holding
from importers.marc.writes import merge_record
from importers.models import ImportHeld, ImportRun

STATES = ("held", "applied", "rejected")
REASON_MAX = 2000


class HeldService(Service):
    """The held updates of import runs, and the decisions on them."""

    # Reading -----------------------------------------------------------------
    def list(self, run_id: int, *, state: str | None = None, page: int = 1,
             size: int = 50) -> tuple[list[ImportHeld], int]:
        """A run's held updates in file order, those of one ``state`` if given."""
        query = select(ImportHeld).where(ImportHeld.run_id == run_id)
        if state is not None:
            query = query.where(ImportHeld.state == state)
        query = query.options(selectinload(ImportHeld.record), selectinload(ImportHeld.decided_by))
        return paginate(self.session, query.order_by(ImportHeld.position, ImportHeld.id), page=page, size=size)

    def counts(self, run_id: int) -> dict[str, int]:
        """How many of a run's held updates wait ("held"), were applied, were rejected."""
        rows = self.session.execute(select(ImportHeld.state, func.count()).where(ImportHeld.run_id == run_id)
                                    .group_by(ImportHeld.state)).all()
        return {state: 0 for state in STATES} | dict(rows)

    def get(self, run_id: int, held_id: int) -> ImportHeld:
        held = self.session.get(ImportHeld, held_id)
        if held is None or held.run_id != run_id:
            raise NotFound(N_("Import %(run)s has no held update number %(id)s."), run=run_id, id=held_id)
        return held

    # Deciding ----------------------------------------------------------------
    def apply(self, run_id: int, held_id: int, *, version: int | None = None,
              reason: str | None = None) -> tuple[ImportHeld, str]:
        """Apply a held update; returns it and "updated" or "unchanged" (the
        work already says the same). ``version``: the work's version the
        reviewer saw (default: its version when the update was held).

        Raises AlreadyDecided, VersionConflict if the work changed since,
        Conflict if it was deleted, ValidationFailed if the result is not a
        valid work. Nothing is written then."""
        held = self.get(run_id, held_id)
        reason = _reason(reason, required=False)
        self._undecided(held)
        record = held.record
        if record is None:
            raise Conflict(N_("The work this update was held for has been deleted: reject the update."))
        if record.version != (held.record_version if version is None else version):
            raise self._conflict(held, record)
        incoming = holding.restore(held.data, held.raw_marc)
        try:
            with self.session.begin_nested():
                self._decide(held, "applied", reason)
                outcome = merge_record(self, held.run, record, incoming, self._barcodes(incoming))
        except StaleDataError:  # another transaction saved the work between our read and our write
            self.session.refresh(record)
            raise self._conflict(held, record) from None
        if outcome == "updated":
            mark_record_ids(self.session, [record.id], "import.held.apply", now=self.clock())
        self._audit(held, "import.held.apply", record)
        return held, outcome

    def reject(self, run_id: int, held_id: int, *, reason: str | None) -> ImportHeld:
        """Reject a held update: the work stays as it is. A reason is required."""
        held = self.get(run_id, held_id)
        reason = _reason(reason, required=True)
        self._undecided(held)
        with self.session.begin_nested():
            self._decide(held, "rejected", reason)
        self._audit(held, "import.held.reject", held.record)
        return held

    def decide_all(self, run_id: int, decision: str, *, reason: str | None) -> dict:
        """Apply (``decision`` "apply") or reject ("reject") every update of the
        run still held. An update that cannot be applied (its work changed or
        was deleted since, or the result would be invalid) stays held and is
        listed in ``skipped`` with why. Returns {"applied", "rejected",
        "skipped": [{"id", "code", "message", "params"}]}."""
        if decision not in ("apply", "reject"):
            raise ValidationFailed({"decision": [N_("Choose apply or reject.")]})
        if self.session.get(ImportRun, run_id) is None:
            raise NotFound(N_("There is no import number %(id)s."), id=run_id)
        reason = _reason(reason, required=decision == "reject")
        done = {"applied": 0, "rejected": 0, "skipped": []}
        ids = self.session.scalars(select(ImportHeld.id).where(ImportHeld.run_id == run_id,
                                                               ImportHeld.state == "held")
                                   .order_by(ImportHeld.position, ImportHeld.id)).all()
        for held_id in ids:
            if decision == "reject":
                self.reject(run_id, held_id, reason=reason)
                done["rejected"] += 1
                continue
            try:
                self.apply(run_id, held_id, reason=reason)
            except (Conflict, ValidationFailed) as error:
                done["skipped"].append({"id": held_id, "code": error.code, "message": error.message,
                                        "params": dict(error.params)})
                continue
            done["applied"] += 1
        return done

    # Helpers -----------------------------------------------------------------
    def _undecided(self, held: ImportHeld) -> None:
        if held.state != "held":
            raise AlreadyDecided(held.state)

    def _decide(self, held: ImportHeld, state: str, reason: str | None) -> None:
        """Record the decision, only if nobody took one meanwhile: on PostgreSQL
        a concurrent decision waits for ours, then finds the row decided."""
        now = self.clock()
        result = self.session.execute(
            update(ImportHeld).where(ImportHeld.id == held.id, ImportHeld.state == "held")
            .values(state=state, decided_by_id=self.actor_id, decided_at=now, reason=reason),
            execution_options={"synchronize_session": False})
        if result.rowcount != 1:
            self.session.refresh(held)
            raise AlreadyDecided(held.state)
        held.state, held.decided_by_id, held.decided_at, held.reason = state, self.actor_id, now, reason
        self.session.flush()

    def _audit(self, held: ImportHeld, action: str, record: Record | None) -> None:
        changes = {"title": [held.old_title, held.new_title], "author": [held.old_author, held.new_author]}
        changes = {name: values for name, values in changes.items() if values[0] != values[1]}
        changes["import"] = [None, f"{held.run_id} #{held.position} ({held.rule})"]
        if held.reason:
            changes["reason"] = [None, held.reason]
        self.audit.log(action, "import_held", held.id, record_id=held.record_id,
                       label=record.title if record is not None else held.old_title, changes=changes)

    def _conflict(self, held: ImportHeld, record: Record) -> VersionConflict:
        return VersionConflict(
            N_("This work was changed (it is now at version %(version)s) since the import held this update: "
               "check the work, then apply again."),
            version=record.version, current=record_snapshot(record), submitted=held.data["clean"])

    def _barcodes(self, incoming) -> dict[str, int]:
        """Barcodes of the incoming copies already in the catalogue -> their work."""
        barcodes = [item["barcode"] for item in incoming.mapped.items]
        if not barcodes:
            return {}
        return dict(self.session.execute(select(Item.barcode, Item.record_id)
                                         .where(Item.barcode.in_(barcodes))).all())


def _reason(reason: str | None, *, required: bool) -> str | None:
    reason = (reason or "").strip() or None
    if reason is None and required:
        raise ValidationFailed({"reason": [N_("Say why the update is rejected: the reason is kept with it.")]})
    if reason is not None and len(reason) > REASON_MAX:
        raise ValidationFailed({"reason": [N_("Keep the reason under 2,000 characters.")]})
    return reason


def runs_waiting(session) -> list[tuple[ImportRun, int]]:
    """The import runs with updates still held for review, newest first, each
    with how many are left to apply or reject."""
    waiting = func.count(ImportHeld.id)
    query = (select(ImportRun, waiting).join(ImportHeld, ImportHeld.run_id == ImportRun.id)
             .where(ImportHeld.state == "held").group_by(ImportRun.id).order_by(ImportRun.id.desc()))
    return [(run, count) for run, count in session.execute(query)]
