"""Thematic portals for visitors: the list, a portal's home, and the same
home in kiosk mode (``/kiosque/<slug>``, or ``?kiosk=1``)."""
from __future__ import annotations

from flask import g, render_template
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from catalogue.models import Record
from core.web.transaction import db_session
from search.portals import PortalService
from search.views import bp
from search.web import search_service

ENTRY_FACETS = ("document_type", "audience")  # the portal's home offers these as ways in
ENTRY_VALUES = 8


@bp.route("/portails/")
def portals():
    return render_template("search/portals.html", portals=PortalService(db_session()).list(published_only=True))


@bp.route("/portails/<slug>")
def portal(slug):
    g.portal = PortalService(db_session()).by_slug(slug)
    return _home(g.portal)


@bp.route("/kiosque/<slug>")
def kiosk_portal(slug):
    g.kiosk = g.no_cookie = True
    g.portal = PortalService(db_session()).by_slug(slug)
    return _home(g.portal)


def _home(portal):
    ids = [s.record_id for s in portal.selections if s.record_id]
    works = {r.id: r for r in db_session().scalars(
        select(Record).where(Record.id.in_(ids)).options(selectinload(Record.items)))} if ids else {}
    # The portal's own facet counts, so each way in says how many works wait behind it.
    found = search_service().search("", filters={}, sort="relevance", page=1, size=1, portal=portal,
                                    record_stats=False)
    entries = [(facet, found.result.facets.get(facet, [])[:ENTRY_VALUES]) for facet in ENTRY_FACETS]
    return render_template("search/portal.html", selections=portal.selections, works=works,
                           entries=[(f, values) for f, values in entries if values], total=found.result.total)
