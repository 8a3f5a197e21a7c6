"""Staff pages for visitors' goals: the list with each goal's count of
works, and the forms to create, edit and delete one. Anyone on the staff
sees the list; changing a goal takes the cataloguing permission, as for
portals. Each form carries the version it was read at: a stale one gets a
409 showing what changed, and nothing is overwritten."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext
from flask_login import current_user

from accounts.permissions import EDIT_CATALOGUE, VIEW_STAFF
from core.errors import ValidationFailed, VersionConflict
from core.web.auth import require
from core.web.errors import translate
from core.web.forms import ConfirmForm
from core.web.helpers import show_errors
from core.web.transaction import db_session
from search.goal_forms import GoalForm
from search.goals import FEW_WORKS, GoalService, count_works, goal_fields
from search.views import bp
from search.web import search_service
from thesaurus.services import browse
from thesaurus.views.common import picked_ids


def service() -> GoalService:
    return GoalService(db_session(), current_user._get_current_object())


@bp.route("/staff/goals")
@require(VIEW_STAFF)
def staff_goals():
    goals = service().list()
    return render_template("search/staff/goals.html", goals=goals, counts=count_works(goals, search_service()),
                           few=FEW_WORKS)


@bp.route("/staff/goals/new", methods=["GET", "POST"])
@require(EDIT_CATALOGUE)
def new_goal():
    form = GoalForm()
    status = 200
    valid = form.validate_on_submit()  # first: validating clears the errors picked_ids adds
    if form.is_submitted():
        form.concept_ids.data = picked_ids(form.concept_ids, form.concepts_query)
    if valid and not form.concepts_query.errors:
        try:
            goal = service().create(form.to_data())
        except ValidationFailed as error:
            show_errors(form, error)
            status = 422
        else:
            flash(gettext("The goal “%(label)s” was created.", label=goal.label_fr), "success")
            return redirect(url_for("search.edit_goal", goal_id=goal.id))
    elif form.is_submitted():
        status = 400 if form.csrf_token.errors else 422
    else:
        form.published.data, form.position.data = True, "0"
    return _page(form, None, status=status)


@bp.route("/staff/goals/<int:goal_id>", methods=["GET", "POST"])
@require(EDIT_CATALOGUE)
def edit_goal(goal_id):
    goal = service().get(goal_id)
    if request.method == "GET":
        return _page(_filled(goal), goal)
    form, status, conflict = GoalForm(), 400, None
    valid = form.validate_on_submit()
    form.concept_ids.data = picked_ids(form.concept_ids, form.concepts_query)
    if valid and not form.concepts_query.errors:
        try:
            service().update(goal_id, form.to_data(), expected_version=_version(form))
        except ValidationFailed as error:
            show_errors(form, error)
            status = 422
        except VersionConflict as error:
            conflict = _conflict(error, form, goal)
            status = 409
        else:
            flash(gettext("Your changes were saved."), "success")
            return redirect(url_for("search.edit_goal", goal_id=goal_id))
    elif not form.csrf_token.errors:
        status = 422
    return _page(form, goal, conflict=conflict, status=status)


@bp.route("/staff/goals/<int:goal_id>/delete", methods=["POST"])
@require(EDIT_CATALOGUE)
def delete_goal(goal_id):
    goal = service().get(goal_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        flash(gettext("The form expired: please try again."), "error")
        return redirect(url_for("search.edit_goal", goal_id=goal_id))
    label = goal.label_fr
    try:
        service().delete(goal_id, expected_version=_version(form))
    except VersionConflict as error:
        db_session().refresh(goal)
        return _page(_filled(goal), goal, stale=translate(error.message, error.params), status=409)
    flash(gettext("The goal “%(label)s” was deleted.", label=label), "success")
    return redirect(url_for("search.staff_goals"))


def _version(form) -> int:
    try:
        return int(form.version.data)
    except (TypeError, ValueError):
        return -1


def _filled(goal) -> GoalForm:
    data = goal_fields(goal)
    return GoalForm(formdata=None, data={**data, "label_en": data["label_en"] or "", "text": data["text"] or "",
                                         "position": str(goal.position), "version": str(goal.version)})


def _conflict(error: VersionConflict, form: GoalForm, goal) -> dict:
    """What changed meanwhile, field by field; the form is armed with the
    stored version, so saving again is a deliberate choice."""
    mine = form.to_data()
    rows = [(name, error.current.get(name), mine.get(name)) for name in mine
            if _comparable(error.current.get(name)) != _comparable(mine.get(name))]
    form.version.data = str(goal.version)
    return {"message": translate(error.message, error.params), "rows": rows}


def _comparable(value):
    if isinstance(value, (list, tuple)):
        value = sorted(str(v) for v in value)
    return "" if value in (None, "", [], {}) else str(value)


def _page(form, goal, *, conflict=None, stale=None, status=200):
    works = count_works([goal], search_service())[goal.id] if goal is not None else None
    return render_template("search/staff/goal_form.html", form=form, goal=goal, conflict=conflict, stale=stale,
                           works=works, chosen=browse.refs(db_session(), form.concept_ids.data or []),
                           lang=str(get_locale()), action_form=ConfirmForm(formdata=None)), status
