"""/healthz: is the database reachable and its schema current, and how are
the search index and the scheduler doing?

The HTTP status follows the database alone (503 when it is unreachable or
outdated): a search cluster that is down, or a scheduler that stopped, is
reported in the body, for a person or a monitor to act on, while the staff
can still catalogue. Load balancers probe it often, so it stays cheap: one
query, and the index's document count kept for a few seconds.
"""
from __future__ import annotations

import time

from flask import Blueprint, current_app, jsonify
from sqlalchemy import column, func, select, table
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from cite import migrate
from core.heartbeats import SCHEDULER, SEARCH_DRAIN, Heartbeat
from core.outbox import ReindexRequest

bp = Blueprint("health", __name__)

DOCUMENTS_TTL_SECONDS = 10
_DOCUMENTS = "catalogue.health.documents"


def _beat(name: str):
    return select(Heartbeat.at).where(Heartbeat.name == name).scalar_subquery()


# Everything the database tells, in one round trip once the schema is current.
STATUS = select(column("version_num"), select(func.count()).select_from(ReindexRequest).scalar_subquery(),
                _beat(SEARCH_DRAIN), _beat(SCHEDULER)).select_from(table("alembic_version"))


@bp.route("/healthz")
def healthz():
    database = current_app.extensions["catalogue.db"]
    report = {"backend": database.engine.dialect.name, "expected_revision": migrate.head_revision()}
    body = {"database": report}
    try:
        rows = _status(database)
        if rows is None:  # an empty or outdated schema: what it lacks cannot be asked
            report["revision"] = migrate.current_revision(database)
        else:
            report["revision"] = ",".join(sorted(row[0] for row in rows)) or None
        report["status"] = "ok" if report["revision"] == report["expected_revision"] else "outdated"
    except SQLAlchemyError as error:
        report["status"] = "error"
        report["detail"] = str(error.__class__.__name__)
    if report["status"] == "ok":
        _, waiting, drained, beat = rows[0]
        body["search"] = {"engine": current_app.extensions["catalogue.search"].name, **_documents(),
                          "waiting": waiting, "last_drain": _iso(drained)}
        body["scheduler"] = {"last_heartbeat": _iso(beat)}
    healthy = report["status"] == "ok"
    return jsonify({"status": "ok" if healthy else "error", **body}), 200 if healthy else 503


def _status(database):
    """The rows of STATUS, or None when the schema lacks one of its tables."""
    with database.engine.connect() as connection:
        try:
            return connection.execute(STATUS).all()
        except DBAPIError:  # reached, but an empty or older schema: current_revision says which
            return None


def _documents() -> dict:
    """The index's document count, or why it cannot be had, kept a few seconds."""
    kept = current_app.extensions.get(_DOCUMENTS)
    if kept is not None and kept[0] > time.monotonic():
        return kept[1]
    try:
        found = {"status": "ok", "documents": current_app.extensions["catalogue.search"].count()}
    except Exception as error:  # a cluster down, an index not made yet: said, not raised
        found = {"status": "error", "detail": error.__class__.__name__}
    current_app.extensions[_DOCUMENTS] = (time.monotonic() + DOCUMENTS_TTL_SECONDS, found)
    return found


def _iso(moment) -> str | None:
    return moment.isoformat() if moment is not None else None
