"""A work's public page: what it is, where to find it on the shelves, its
subjects, and other works on the same subjects.

Only what helps a visitor is shown: no barcode, price, condition or staff
note. "Same subjects" are read from the database, ranked by the number of
descriptors shared: that is what the phrase means, and an engine's text
score over an empty query would rank nothing.
"""
from __future__ import annotations

from flask import abort, g, render_template, request
from sqlalchemy import func, select

from catalogue.models import Record, RecordDescriptor
from catalogue.services.descriptors import descriptors_of
from catalogue.vocab import ItemStatus, weeded
from core.errors import NotFound
from core.web.transaction import db_session
from search.portals import PortalService
from search.views import bp

SAME_SUBJECTS = 6


@bp.route("/notices/<int:record_id>")
def record(record_id):
    session = db_session()
    work = session.get(Record, record_id)
    if work is None or weeded([item.status for item in work.items], work.document_type):
        abort(404)
    slug = request.args.get("portail")
    if slug:
        try:
            g.portal = PortalService(session).by_slug(slug)
        except NotFound:
            g.portal = None  # a stale link still shows the work
    holdings = [item for item in work.items if item.status != ItemStatus.WITHDRAWN]
    descriptors = [ref for ref in descriptors_of(session, record_id) if not ref.deprecated]
    return render_template("search/record.html", record=work, holdings=holdings, descriptors=descriptors,
                           related=same_subjects(session, work.id, [d.id for d in descriptors]),
                           back=request.args.get("retour") if _local(request.args.get("retour")) else None)


def same_subjects(session, record_id: int, concept_ids: list[int], limit: int = SAME_SUBJECTS) -> list[Record]:
    """Other works sharing the most descriptors with this one, newest first among equals."""
    if not concept_ids:
        return []
    shared = func.count(RecordDescriptor.concept_id)
    ranked = (select(RecordDescriptor.record_id, shared.label("shared"))
              .where(RecordDescriptor.concept_id.in_(concept_ids), RecordDescriptor.record_id != record_id)
              .group_by(RecordDescriptor.record_id).subquery())
    query = (select(Record).join(ranked, ranked.c.record_id == Record.id)
             .order_by(ranked.c.shared.desc(), Record.year.desc().nulls_last(), Record.id).limit(limit))
    return list(session.scalars(query))


def _local(address: str | None) -> bool:
    """Only a path of this site may be a "back to results" link (no open redirect)."""
    return bool(address) and address.startswith("/") and not address.startswith("//") and "\\" not in address
