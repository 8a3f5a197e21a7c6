"""Search results with facets, for the whole catalogue or within a portal.

No login, no form token, no session: visitors get no cookie. A facet value
is a link that adds or removes that filter (OR within a facet, AND across
facets), so the page works without JavaScript and with the keyboard alone.
"""
from __future__ import annotations

from types import SimpleNamespace

from flask import abort, g, render_template, request
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from catalogue.models import Record
from core.errors import NotFound
from core.web.helpers import pagination
from core.web.transaction import db_session
from search import projection
from search.answers import NOT_KEPT, kept
from search.engine import FACETS, SORTS
from search.goals import GoalService, goal_search
from search.portals import PortalService
from search.views import bp, link
from search.views.gaps import no_result_offers
from search.views.goals import visited_portal
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
    goal = _goal() if portal is None else None
    if goal is not None and not goal.text and request.args.get("sort") not in SORTS:
        sort = "date"  # without words nothing is more relevant than anything else: the newest first
    if not q and not filters and goal is None:
        return render_template("search/results.html", q=q, found=None, sort=sort, filters=filters,
                               endpoint=endpoint, view_args=view_args)
    if goal is not None:
        found = _goal_results(goal, q, filters, sort, page)
    else:
        found = search_service().search(q, filters=filters, sort=sort, page=page, size=PAGE_SIZE, portal=portal)
    result = found.result
    records = _records([hit.id for hit in result.hits])
    offers = {}
    if not result.total and q and goal is None:
        g.setdefault(NOT_KEPT, True)  # offers goals, which change without the index's state changing
        offers = no_result_offers(q, portal, filters)
    return render_template(
        "search/results.html", q=q, found=found, result=result, sort=sort, filters=filters, goal=goal, **offers,
        hits=[(hit, records[hit.id]) for hit in result.hits if hit.id in records],
        facets=facet_links(result.facets, filters, endpoint, view_args),
        paging=pagination(min(result.total, MAX_PAGE * PAGE_SIZE), page, PAGE_SIZE),
        page_url=lambda number: link(endpoint, **view_args, **_kept_args(), page=number),
        endpoint=endpoint, view_args=view_args)


def _goal():
    """The goal of a goal's results page (``but=``), or None; 404 for one
    that is not (or no longer) published."""
    slug = request.args.get("but")
    if not slug:
        return None
    try:
        goal = GoalService(db_session()).by_slug(slug[:100])
    except NotFound:
        abort(404)
    g.setdefault(NOT_KEPT, True)  # documentalists edit goals without the index's state changing
    visited_portal()
    return goal


def _goal_results(goal, q: str, filters: dict, sort: str, page: int):
    """The goal's saved search, its types and audiences applied as a
    portal's base filter is (the visitor's facets narrow within them).
    Entries are counted by /buts/<slug>, so paging and facets here count nothing."""
    asked = goal_search(goal)
    within = SimpleNamespace(base_filter=asked["filters"], boost={}, slug="", pole=None)
    found = search_service().search(asked["text"], filters=filters, sort=sort, page=page, size=PAGE_SIZE,
                                    portal=within, concept_ids=asked["concept_ids"], record_stats=False)
    return found


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
