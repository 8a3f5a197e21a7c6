"""/healthz: is the database reachable and its schema current?"""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify
from sqlalchemy.exc import SQLAlchemyError

from . import migrate

bp = Blueprint("health", __name__)


@bp.route("/healthz")
def healthz():
    database = current_app.extensions["catalogue.db"]
    report = {"backend": database.engine.dialect.name, "expected_revision": migrate.head_revision()}
    try:
        report["revision"] = migrate.current_revision(database)
        report["status"] = "ok" if report["revision"] == report["expected_revision"] else "outdated"
    except SQLAlchemyError as error:
        report["status"] = "error"
        report["detail"] = str(error.__class__.__name__)
    healthy = report["status"] == "ok"
    body = {"status": "ok" if healthy else "error", "database": report}
    return jsonify(body), 200 if healthy else 503
