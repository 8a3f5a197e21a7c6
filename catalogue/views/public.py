"""The visitors' side. Visitors never log in and nothing about them is kept."""
from __future__ import annotations

from flask import render_template
from sqlalchemy import func, select

from ..models import Record, RecordPole
from ..vocab import Pole
from ..web.transaction import db_session
from . import bp


@bp.route("/")
def home():
    counts = dict(db_session().execute(
        select(RecordPole.pole, func.count()).group_by(RecordPole.pole)).all())
    total = db_session().scalar(select(func.count()).select_from(Record))
    return render_template("public/home.html", poles=list(Pole), counts=counts, total=total)
