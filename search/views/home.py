"""The visitors' entrance: the five advice poles and the portals.
Visitors never log in and nothing about them is kept."""
from __future__ import annotations

from flask import render_template
from sqlalchemy import func, select

from catalogue.models import Record, RecordPole
from core.vocab import Pole
from core.web.transaction import db_session
from search.portals import PortalService
from search.views import bp


@bp.route("/")
def home():
    session = db_session()
    counts = dict(session.execute(
        select(RecordPole.pole, func.count()).group_by(RecordPole.pole)).all())
    total = session.scalar(select(func.count()).select_from(Record))
    portals = PortalService(session).list(published_only=True)
    # Each pole leads to its portal when documentalists opened one for it.
    by_pole = {}
    for portal in portals:
        if portal.pole is not None:
            by_pole.setdefault(portal.pole, portal)
    return render_template("public/home.html", poles=list(Pole), counts=counts, total=total,
                           by_pole=by_pole, others=[p for p in portals if p not in by_pole.values()])
