"""Search results with facets, for the whole catalogue or within a portal.

No login, no form token, no session: visitors get no cookie. A facet value
is a link that adds or removes that filter (OR within a facet, AND across
facets), so the page works without JavaScript and with the keyboard alone.
"""
from __future__ import annotations

from flask import g, render_template, request
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from catalogue.models import Record
from core.web.helpers import pagination
from core.web.transaction import db_session
from search import projection
from search.answers import kept
from search.engine import FACETS, SORTS
from search.portals import PortalService
from search.views import bp, link
from search.web import search_service

PAGE_SIZE = 20
MAX_PAGE = 250  # deep pages help no visitor and cost the engine most
MAX_VALUES = 20  # per facet in the address: more is not a person choosing


def chosen_filters() -> dict[str, list[str]]:
    return {facet: list(dict.fromkeys(v for v in request.args.getlist(facet) if v))[:MAX_VALUES]
            for facet in FACETS if any(request.args.getlist(facet))}


@bp.route("/recherche")
@kept("page", localised=True)
def search():
    return _results(None)


@bp.route("/portails/<slug>/recherche")
def portal_search(slug):
    g.portal = PortalService(db_session()).by_slug(slug)
    return _results(g.portal)


def _results(portal):
    q = (request.args.get("q") or "").strip()[:200]
    filters = chosen_filters()
    sort = request.args.get("sort") if request.args.get("sort") in SORTS else "relevance"
    try:
        page = min(MAX_PAGE, max(1, int(request.args.get("page", 1))))
    except ValueError:
        page = 1
    endpoint, view_args = request.endpoint, dict(request.view_args or {})
    if not q and not filters:
        return render_template("search/results.html", q=q, found=None, sort=sort, filters=filters,
                               endpoint=endpoint, view_args=view_args)
    found = search_service().search(q, filters=filters, sort=sort, page=page, size=PAGE_SIZE, portal=portal)
    result = found.result
    records = _records([hit.id for hit in result.hits])
    return render_template(
        "search/results.html", q=q, found=found, result=result, sort=sort, filters=filters,
        hits=[(hit, records[hit.id]) for hit in result.hits if hit.id in records],
        facets=facet_links(result.facets, filters, endpoint, view_args),
        paging=pagination(min(result.total, MAX_PAGE * PAGE_SIZE), page, PAGE_SIZE),
        page_url=lambda number: link(endpoint, **view_args, **_kept_args(), page=number),
        endpoint=endpoint, view_args=view_args)


def _records(ids: list[int]) -> dict[int, Record]:
    """The hits' works from the database (the truth for holdings): one query."""
    if not ids:
        return {}
    query = select(Record).where(Record.id.in_(ids)).options(selectinload(Record.items))
    return {record.id: record for record in db_session().scalars(query)}


def facet_links(facets: dict, filters: dict, endpoint: str, view_args: dict) -> list[dict]:
    """Each facet with its values: label code, count, whether chosen, and the
    address that toggles it. A chosen value the engine no longer counts is
    kept (with 0), so the visitor can still remove it."""
    blocks = []
    for facet in FACETS:
        values = list(facets.get(facet, []))
        counted = {v.value for v in values}
        rows = [(v.value, v.count) for v in values] + [(v, 0) for v in filters.get(facet, []) if v not in counted]
        if not rows:
            continue
        blocks.append({"name": facet, "values": [
            {"value": value, "count": count, "chosen": value in filters.get(facet, []),
             "href": toggle_url(endpoint, view_args, facet, value)} for value, count in rows]})
    return blocks


def _kept_args() -> dict[str, list[str]]:
    """The search's own arguments (link() adds kiosk mode and language back)."""
    return {key: request.args.getlist(key) for key in request.args if key not in ("page", "kiosk", "lang")}


def toggle_url(endpoint: str, view_args: dict, facet: str, value: str) -> str:
    """The current search with ``value`` of ``facet`` added or removed, back on page 1."""
    args = _kept_args()
    current = args.get(facet, [])
    args[facet] = [v for v in current if v != value] if value in current else current + [value]
    return link(endpoint, **view_args, **args)


def availability(record: Record) -> str:
    """The work's availability in the facet's terms, from its items."""
    statuses = [item.status.value for item in record.items if item.status.value != "withdrawn"]
    return projection.availability(statuses, record.document_type.value, record.url)


@bp.app_template_global()
def record_availability(record: Record) -> str:
    return availability(record)
