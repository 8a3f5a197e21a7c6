"""Import runs and harvests, their counts, their rejects and their updates held for review."""
from __future__ import annotations

from pathlib import Path

from flask import abort, render_template, request, send_file

from accounts.permissions import VIEW_STAFF
from core.web.auth import require
from core.web.helpers import page_args, pagination
from core.web.numbers import MAX_PAGE
from core.web.transaction import db_session
from importers.services.held import HeldService
from importers.services.imports import ImportService
from importers.views import bp


@bp.route("/staff/imports")
@require(VIEW_STAFF)
def list_runs():
    page, size = page_args(25)
    runs, total = ImportService(db_session()).runs(page=page, size=size)
    return render_template("imports/list.html", runs=runs, paging=pagination(total, page, size))


@bp.route("/staff/imports/<int:run_id>")
@require(VIEW_STAFF)
def show_run(run_id: int):
    service = ImportService(db_session())
    run = service.get_run(run_id) or abort(404)
    page, size = page_args(50)
    rejects, total = service.rejects(run.id, page=page, size=size)
    held_service = HeldService(db_session())
    held_page = _held_page()
    held, held_total = held_service.list(run.id, page=held_page, size=HELD_PAGE)
    return render_template("imports/show.html", run=run, rejects=rejects,
                           has_file=_rejects_path(run) is not None, paging=pagination(total, page, size),
                           held=held, held_counts=held_service.counts(run.id),
                           held_paging=pagination(held_total, held_page, HELD_PAGE))


@bp.route("/staff/imports/<int:run_id>/rejects")
@require(VIEW_STAFF)
def download_rejects(run_id: int):
    """The rejected records as they were read, to fix and import again."""
    run = ImportService(db_session()).get_run(run_id) or abort(404)
    path = _rejects_path(run) or abort(404)
    mimetype = "application/xml" if path.suffix == ".xml" else "application/marc"
    return send_file(path, mimetype=mimetype, as_attachment=True,
                     download_name=f"rejects-run-{run.id}{path.suffix}")


HELD_PAGE = 50


def _held_page() -> int:
    value = request.args.get("held_page", "1")
    return min(MAX_PAGE, max(1, int(value))) if value.isdigit() and len(value) < 7 else 1


def _rejects_path(run) -> Path | None:
    if not run.rejects_file:
        return None
    path = Path(run.rejects_file)
    return path if path.is_file() else None


@bp.url_defaults
def _current_run(endpoint: str, values: dict) -> None:
    """The shared pager links to the same page with ?page=N: keep the run's id."""
    if endpoint == "imports.show_run" and "run_id" not in values and request.view_args:
        values.setdefault("run_id", request.view_args.get("run_id"))
