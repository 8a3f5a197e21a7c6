"""Deciding on the updates an import held for review, from the run's page:
apply or reject one, or all those still waiting."""
from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext, ngettext
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField

from accounts.permissions import EDIT_CATALOGUE
from core.errors import CatalogueError, ValidationFailed
from core.web.auth import require
from core.web.errors import translate
from core.web.transaction import db_session
from importers.services.held import HeldService
from importers.views import bp


class DecisionForm(FlaskForm):
    version = HiddenField()  # the work's version the reviewer saw
    reason = StringField()


def held_service() -> HeldService:
    return HeldService(db_session(), current_user._get_current_object())


@bp.route("/staff/imports/<int:run_id>/held/<int:held_id>/<any(apply, reject):decision>", methods=["POST"])
@require(EDIT_CATALOGUE)
def decide_held(run_id: int, held_id: int, decision: str):
    form = DecisionForm()
    if not form.validate_on_submit():
        flash(gettext("The form expired: please try again."), "error")
        return _back(run_id)
    try:
        if decision == "apply":
            held, outcome = held_service().apply(run_id, held_id, version=_version(form.version.data),
                                                 reason=form.reason.data)
            if outcome == "updated":
                flash(gettext("The update was applied to “%(title)s”.", title=held.record.title), "success")
            else:
                flash(gettext("The work already said the same: the update is marked applied."), "success")
        else:
            held_service().reject(run_id, held_id, reason=form.reason.data)
            flash(gettext("The update was rejected: the work stays as it was."), "success")
    except CatalogueError as error:
        _failed(error)
    return _back(run_id)


@bp.route("/staff/imports/<int:run_id>/held/<any(apply, reject):decision>-all", methods=["POST"])
@require(EDIT_CATALOGUE)
def decide_all_held(run_id: int, decision: str):
    form = DecisionForm()
    if not form.validate_on_submit():
        flash(gettext("The form expired: please try again."), "error")
        return _back(run_id)
    try:
        done = held_service().decide_all(run_id, decision, reason=form.reason.data)
    except CatalogueError as error:
        _failed(error)
        return _back(run_id)
    if decision == "reject":
        flash(ngettext("%(num)s update was rejected.", "%(num)s updates were rejected.", done["rejected"]),
              "success")
    else:
        flash(ngettext("%(num)s update was applied.", "%(num)s updates were applied.", done["applied"]),
              "success")
    if done["skipped"]:
        flash(ngettext("%(num)s update could not be applied and is still held: its work changed or was "
                       "deleted since. Look at it, then decide it alone.",
                       "%(num)s updates could not be applied and are still held: their works changed or were "
                       "deleted since. Look at them, then decide them one by one.", len(done["skipped"])),
              "error")
    return _back(run_id)


def _failed(error: CatalogueError) -> None:
    """Nothing of a refused decision is kept (the redirect would commit)."""
    db_session().rollback()
    if isinstance(error, ValidationFailed) and error.fields:
        messages = [translate(m) for ms in error.fields.values() for m in ms]
    else:
        messages = [translate(error.message, error.params)]
    for message in messages:
        flash(message, "error")


def _version(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 19 else None


def _back(run_id: int):
    return redirect(url_for("imports.show_run", run_id=run_id, held_page=request.args.get("held_page"),
                            _anchor="held"))
