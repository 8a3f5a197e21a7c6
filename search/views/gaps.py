"""A search that found nothing: what the results page offers instead
(search.gaps), and the anonymous "signaler ce manque" with its thanks.

The report is a POST without the session's CSRF token (visitors get no
cookie, so there is no session to tie a token to): the form carries the
query signed and dated by search.gaps, which is all a report may name. A
forged, altered or expired token is refused (400) and counts nothing.
"""
from __future__ import annotations

from flask import abort, current_app, render_template, request
from flask_babel import get_locale

from core.db import utcnow
from core.web.csrf import csrf
from core.web.transaction import db_session
from search.engine import FACETS, SearchRequest
from search.gaps import goals_matching, neighbours, read_report_token, record_report, report_token
from search.goals import GoalService
from search.query import parse
from search.views import bp, link
from search.views.goals import visited_portal
from search.web import search_engine

_EVERYTHING = parse("")


def no_result_offers(q: str, portal, filters: dict) -> dict:
    """The neighbouring concepts (counted within the portal, if any), the
    matching goals and the report token, for the results page."""
    session = db_session()
    engine = search_engine()
    # The portal's facets only: a count of works within it, near enough for a link.
    base = {facet: list(values) for facet, values in ((portal.base_filter or {}) if portal else {}).items()
            if facet in FACETS}

    def works(concept_id: int) -> int:
        return engine.search(SearchRequest(query=_EVERYTHING, filters=base, concept_ids=[concept_id], size=0,
                                           facets=(), highlight=False)).total

    found, considered = neighbours(session, q, works)
    goals = goals_matching(GoalService(session).list(published_only=True), q, considered)
    pole = (portal.pole.value if portal is not None and portal.pole is not None
            else (filters.get("pole") or [""])[0] if len(filters.get("pole") or []) == 1 else "")
    token = report_token(current_app.secret_key, q, portal.slug if portal is not None else "", pole)
    return {"neighbours": found, "goals": goals, "report_token": token, "locale": str(get_locale())}


@bp.route("/signaler-un-manque", methods=["POST"])
@csrf.exempt
def report_gap():
    reported = read_report_token(current_app.secret_key, request.form.get("token"))
    if reported is None:
        abort(400)
    query, portal, pole = reported
    record_report(db_session(), utcnow().date(), query, portal, pole)
    visited_portal()
    return render_template("public/gap_reported.html", query=query,
                           back=link("search.search", q=query))
