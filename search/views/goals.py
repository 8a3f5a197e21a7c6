"""The visitors' goals: "Je suis…" (the publics), "je veux…" (the goals
offered to a public), and a goal's entry, counted and led to its results.
On the web and on the kiosks alike (link() keeps kiosk mode and the
portal); nothing about the visitor is kept, not even which public they chose.
"""
from __future__ import annotations

import logging

from flask import abort, current_app, g, redirect, render_template, request
from flask_babel import get_locale, gettext
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from core.db import utcnow
from core.errors import NotFound
from core.web.transaction import db_session
from search.goals import GoalService, record_entry
from search.models import Goal
from search.portals import PortalService
from search.views import bp, link
from search.vocab import Public

log = logging.getLogger(__name__)


def visited_portal():
    """The portal the visitor came through (``portail=``), for the kiosk's
    header and the entry counts; None when there is none or no longer."""
    slug = request.args.get("portail")
    if slug and g.get("portal") is None:
        try:
            g.portal = PortalService(db_session()).by_slug(slug[:100])
        except NotFound:
            g.portal = None
    return g.get("portal")


@bp.app_template_global()
def offered_publics() -> list[Public]:
    """The publics some published goal is offered to, in the table's order."""
    offered = {public for publics in db_session().scalars(select(Goal.publics).where(Goal.published.is_(True)))
               for public in publics or ()}
    return [public for public in Public if public.value in offered]


@bp.route("/je-suis")
def publics():
    visited_portal()
    return render_template("public/publics.html", publics=offered_publics())


@bp.route("/je-suis/<public>")
def goals_of(public):
    if public not in Public.values():
        abort(404)
    visited_portal()
    goals = GoalService(db_session()).list(published_only=True, public=public)
    return render_template("public/goals.html", public=Public(public), goals=goals)


@bp.route("/buts/<goal>")  # not "slug": link() reads a slug as a portal's
def enter_goal(goal):
    """Count the entry, then show the goal's results: a redirect, so that
    paging and facets on the results page count nothing more."""
    goal = GoalService(db_session()).by_slug(goal[:100])
    portal = visited_portal()
    # One short write of its own per entry: entries are deliberate clicks, far
    # fewer than searches (which the observatory buffers), and a visitor's GET
    # keeps its read-only session.
    try:
        with current_app.extensions["catalogue.db"].transaction() as session:
            record_entry(session, utcnow().date(), portal.slug if portal is not None else "", goal.id)
    except SQLAlchemyError:  # a visitor still reaches the works when the count cannot be written
        log.warning("An entry into the goal %s could not be counted.", goal.slug, exc_info=True)
    return redirect(link("search.search", but=goal.slug), 303)


@bp.app_template_global()
def localized_goal(goal) -> str:
    """A goal's wording in the page's language, French when there is no English one."""
    if str(get_locale()) == "en" and goal.label_en:
        return goal.label_en
    return goal.label_fr


@bp.app_template_global()
def public_label(value: str) -> str:
    return gettext(Public(value).label) if value in Public.values() else value
