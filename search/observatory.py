"""The demand observatory's staff page: what visitors searched, and what
they did not find, per advice pole. It feeds acquisitions."""
from __future__ import annotations

import datetime as dt
import logging

from flask import Blueprint, render_template, request

from accounts.permissions import VIEW_STAFF
from core.db import utcnow
from core.vocab import Pole
from core.web.auth import require
from core.web.transaction import db_session
from search.gaps import reported
from search.goals import FEW_WORKS, count_works, entries
from search.stats import observatory
from search.web import recorder, search_service

bp = Blueprint("observatory", __name__)
log = logging.getLogger(__name__)

PERIODS = (7, 30, 90, 365)  # days, ending today (UTC, as the counts are kept)
CHART_WIDTH, CHART_HEIGHT = 720, 180


@bp.route("/staff/observatory")
@require(VIEW_STAFF)
def show():
    try:
        days = int(request.args.get("days", 30))
    except ValueError:
        days = 30
    days = days if days in PERIODS else 30
    end = utcnow().date()
    recorder().flush()  # this process's latest counts first
    figures = observatory(db_session(), end - dt.timedelta(days=days - 1), end)
    poles = sorted(set(figures.top) | set(figures.top_zero), key=_pole_order)
    goals = entries(db_session(), figures.start, end)
    return render_template("observatory/show.html", figures=figures, days=days, periods=PERIODS,
                           poles=poles, pole_labels={p.value: p.label for p in Pole}, chart=chart(figures.days),
                           found_now=_found_now(figures), goal_entries=goals, few_works=_few_works(goals),
                           reported=reported(db_session(), figures.start, end))


def _few_works(goals) -> list[tuple]:
    """The published goals that find fewer than FEW_WORKS works today: (goal, works)."""
    try:
        counts = count_works([goal for goal, _n in goals if goal.published], search_service())
    except Exception:  # the search cluster is down: the page shows the counts without this list
        log.warning("The observatory could not count the goals' works.", exc_info=True)
        return []
    few = [(goal, counts[goal.id]) for goal, _entries in goals if counts.get(goal.id, FEW_WORKS) < FEW_WORKS]
    return sorted(few, key=lambda row: (row[1], row[0].label_fr))


def _found_now(figures) -> dict[str, int]:
    """How many works each query that found nothing finds today: a work
    catalogued since has answered it. Counted as a visitor's search would,
    but not counted in the observatory."""
    queries = {row.query for rows in figures.top_zero.values() for row in rows}
    try:
        service = search_service()
        return {query: service.search(query, size=1, record_stats=False).result.total for query in sorted(queries)}
    except Exception:  # the search cluster is down: the page shows the counts without today's answer
        log.warning("The observatory could not ask the search index what its queries find today.", exc_info=True)
        return {}


def chart(days) -> dict:
    """Bar geometry for the inline SVG: no script, no library. Heights are
    scaled to the busiest day; zero-result searches are the darker part."""
    peak = max((d.searches for d in days), default=0) or 1
    step = CHART_WIDTH / max(1, len(days))
    bars = []
    for n, day in enumerate(days):
        height = CHART_HEIGHT * day.searches / peak
        zero = CHART_HEIGHT * day.zero_results / peak
        bars.append({"x": round(n * step + step * 0.1, 1), "width": round(step * 0.8, 1),
                     "y": round(CHART_HEIGHT - height, 1), "height": round(height, 1),
                     "zero_y": round(CHART_HEIGHT - zero, 1), "zero_height": round(zero, 1), "day": day})
    return {"width": CHART_WIDTH, "height": CHART_HEIGHT, "peak": peak, "bars": bars}


def _pole_order(pole: str) -> tuple:
    order = [p.value for p in Pole]
    return (pole not in order, order.index(pole) if pole in order else 0, pole)
