"""Staff pages for portals: list, create, edit (title, description, base
filter, boost, kiosk delay) and the curated selection. Anyone on the staff
sees the list; changing a portal takes the cataloguing permission. Each
form carries the version it was read at: a stale one gets a 409 showing
what changed, and nothing is overwritten."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import select

from accounts.permissions import EDIT_CATALOGUE, VIEW_STAFF
from catalogue.models import Record
from core.errors import NotFound, ValidationFailed, VersionConflict
from core.web.auth import require
from core.web.errors import translate
from core.web.helpers import show_errors
from core.web.transaction import db_session
from search.forms import PortalForm, SelectionForm, VersionForm
from search.portals import PortalService, portal_fields
from search.views import bp


def service() -> PortalService:
    return PortalService(db_session(), current_user._get_current_object())


@bp.route("/staff/portals")
@require(VIEW_STAFF)
def staff_portals():
    return render_template("search/staff/list.html", portals=service().list())


@bp.route("/staff/portals/new", methods=["GET", "POST"])
@require(EDIT_CATALOGUE)
def new_portal():
    form = PortalForm()
    status = 200
    if form.validate_on_submit():
        try:
            portal = service().create(form.to_data())
        except ValidationFailed as error:
            show_errors(form, error)
            status = 422
        else:
            flash(gettext("The portal “%(title)s” was created.", title=portal.title_fr), "success")
            return redirect(url_for("search.edit_portal", portal_id=portal.id))
    elif form.is_submitted():
        status = 400  # CSRF token missing or expired: the form says so
    else:
        form.published.data, form.kiosk_idle_seconds.data, form.position.data = True, "120", "0"
    return render_template("search/staff/form.html", form=form, portal=None, conflict=None), status


@bp.route("/staff/portals/<int:portal_id>", methods=["GET", "POST"])
@require(EDIT_CATALOGUE)
def edit_portal(portal_id):
    portal = service().get(portal_id)
    if request.method == "GET":
        return _edit_page(portal, _filled(portal))
    form, status, conflict = PortalForm(), 400, None
    if form.validate_on_submit():
        try:
            service().update(portal_id, form.to_data(), expected_version=_version(form))
        except ValidationFailed as error:
            show_errors(form, error)
            status = 422
        except VersionConflict as error:
            conflict = _conflict(error, form, portal)
            status = 409
        else:
            flash(gettext("Your changes were saved."), "success")
            return redirect(url_for("search.edit_portal", portal_id=portal_id))
    return _edit_page(portal, form, conflict=conflict, status=status)


@bp.route("/staff/portals/<int:portal_id>/selections", methods=["POST"])
@require(EDIT_CATALOGUE)
def add_selection(portal_id):
    portal = service().get(portal_id)
    form = SelectionForm()
    if not form.validate_on_submit():
        return _edit_page(portal, _filled(portal), selection=form, status=400)
    try:
        service().add_selection(portal_id, form.data, expected_version=_version(form))
    except ValidationFailed as error:
        show_errors(form, error)
        return _edit_page(portal, _filled(portal), selection=form, status=422)
    except VersionConflict as error:
        return _stale(portal, error)
    flash(gettext("The entry was added to the selection."), "success")
    return redirect(url_for("search.edit_portal", portal_id=portal_id, _anchor="selection"))


@bp.route("/staff/portals/<int:portal_id>/selections/<int:selection_id>/<any(up, down, remove):action>",
          methods=["POST"])
@require(EDIT_CATALOGUE)
def change_selection(portal_id, selection_id, action):
    portal = service().get(portal_id)
    form = VersionForm()
    if not form.validate_on_submit():
        flash(gettext("The form expired: please try again."), "error")
        return redirect(url_for("search.edit_portal", portal_id=portal_id, _anchor="selection"))
    try:
        if action == "remove":
            service().remove_selection(portal_id, selection_id, expected_version=_version(form))
        else:
            service().move_selection(portal_id, selection_id, -1 if action == "up" else 1,
                                     expected_version=_version(form))
    except VersionConflict as error:
        return _stale(portal, error)
    except NotFound as error:
        flash(translate(error.message, error.params), "error")
    return redirect(url_for("search.edit_portal", portal_id=portal_id, _anchor="selection"))


@bp.route("/staff/portals/<int:portal_id>/delete", methods=["POST"])
@require(EDIT_CATALOGUE)
def delete_portal(portal_id):
    portal = service().get(portal_id)
    form = VersionForm()
    if not form.validate_on_submit():
        flash(gettext("The form expired: please try again."), "error")
        return redirect(url_for("search.edit_portal", portal_id=portal_id))
    title = portal.title_fr
    try:
        service().delete(portal_id, expected_version=_version(form))
    except VersionConflict as error:
        return _stale(portal, error)
    flash(gettext("The portal “%(title)s” was deleted.", title=title), "success")
    return redirect(url_for("search.staff_portals"))


def _version(form) -> int:
    try:
        return int(form.version.data)
    except (TypeError, ValueError):
        return -1


def _filled(portal) -> PortalForm:
    data = portal_fields(portal)
    form = PortalForm(formdata=None, data={**data, "pole": data["pole"] or "", "version": str(portal.version),
                                           "kiosk_idle_seconds": str(portal.kiosk_idle_seconds),
                                           "position": str(portal.position)})
    form.base_filter.form.show({**data["base_filter"], "concept": service().subject_labels(portal)})
    form.boost.form.show(data["boost"])
    return form


def _conflict(error: VersionConflict, form: PortalForm, portal) -> dict:
    """What changed meanwhile, field by field; the form is armed with the
    stored version, so saving again is a deliberate choice."""
    mine = form.to_data()
    labels = {name: form[name].label.text for name in mine}
    rows = [(labels[name], error.current.get(name), mine.get(name)) for name in mine
            if _comparable(error.current.get(name)) != _comparable(mine.get(name))]
    form.version.data = str(portal.version)
    return {"message": translate(error.message, error.params), "rows": rows}


def _comparable(value):
    return "" if value in (None, "", [], {}) else str(value)


def _stale(portal, error: VersionConflict):
    """A selection change or a deletion made from a stale page: nothing done."""
    db_session().refresh(portal)
    return _edit_page(portal, _filled(portal), stale=translate(error.message, error.params), status=409)


def _edit_page(portal, form, *, selection=None, conflict=None, stale=None, status=200):
    selection = selection or SelectionForm(formdata=None, data={"version": str(portal.version)})
    ids = [entry.record_id for entry in portal.selections if entry.record_id]
    works = dict(db_session().execute(select(Record.id, Record.title).where(Record.id.in_(ids))).all()) if ids else {}
    return render_template("search/staff/form.html", form=form, portal=portal, conflict=conflict, stale=stale,
                           selection=selection, works=works, action_form=VersionForm(formdata=None)), status
