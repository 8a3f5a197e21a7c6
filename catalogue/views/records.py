from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext

from accounts.permissions import DELETE_CATALOGUE, EDIT_CATALOGUE, VIEW_STAFF
from catalogue.forms import RecordForm
from catalogue.services import RecordService
from catalogue.services.descriptors import descriptors_of
from catalogue.services.snapshots import record_fields
from catalogue.views import bp
from catalogue.vocab import DocumentType, Pole
from core.audit import AuditTrail
from core.errors import Conflict, ValidationFailed, VersionConflict
from core.web.auth import require
from core.web.errors import translate
from core.web.forms import ConfirmForm
from core.web.helpers import conflict_rows, page_args, pagination, services, show_errors
from core.web.transaction import db_session
from thesaurus.services import browse
from thesaurus.views.common import picked_ids


@bp.route("/staff/records")
@require(VIEW_STAFF)
def list_records():
    page, size = page_args()
    q = request.args.get("q", "").strip()
    document_type = request.args.get("document_type") or None
    pole = request.args.get("pole") or None
    if document_type not in DocumentType.values():
        document_type = None
    if pole not in Pole.values():
        pole = None
    records, total = services(RecordService).list(page=page, size=size, text=q or None,
                                                  document_type=document_type, pole=pole)
    return render_template("records/list.html", records=records, q=q, document_type=document_type,
                           pole=pole, paging=pagination(total, page, size))


@bp.route("/staff/records/<int:record_id>")
@require(VIEW_STAFF)
def show_record(record_id):
    record = services(RecordService).get(record_id)
    events, _ = AuditTrail(db_session()).events(record_id=record_id, size=50)
    return render_template("records/show.html", record=record, events=events, confirm=ConfirmForm(),
                           descriptors=descriptors_of(db_session(), record_id))


@bp.route("/staff/records/new", methods=["GET", "POST"])
@require(EDIT_CATALOGUE)
def new_record():
    form = RecordForm()
    status = 200
    if form.validate_on_submit():
        try:
            record = services(RecordService).create(_data(form))
        except ValidationFailed as error:
            show_errors(form, error)
            status = 422
        else:
            flash(gettext("The work “%(title)s” was catalogued.", title=record.title), "success")
            return redirect(url_for("catalogue.show_record", record_id=record.id))
    elif form.is_submitted():
        status = 400  # CSRF token missing or expired: the form says so
    else:
        form.languages.data = "fre"
    if len(form.contributors) == 0 or status == 200:
        form.add_blank_contributors()
    return _render_form(form, None, None, status)


@bp.route("/staff/records/<int:record_id>/edit", methods=["GET", "POST"])
@require(EDIT_CATALOGUE)
def edit_record(record_id):
    service = services(RecordService)
    record = service.get(record_id)
    status, conflict = 200, None
    if request.method == "GET":
        form = RecordForm(data=_form_data(record))
        form.add_blank_contributors()
        return _render_form(form, record, None, 200)
    form = RecordForm()
    if form.validate_on_submit():
        try:
            expected = int(form.version.data or -1)
            record = service.update(record_id, _data(form), expected_version=expected)
        except ValidationFailed as error:
            show_errors(form, error)
            status = 422
        except VersionConflict as error:
            # Keep the editor's values on screen, show what changed meanwhile,
            # and arm the form with the stored version so that saving again
            # is a deliberate choice.
            conflict = {"message": translate(error.message, error.params),
                        "rows": conflict_rows(record_fields(record, descriptors=True), error.submitted),
                        "current": record}
            form.version.data = str(record.version)
            status = 409
        else:
            flash(gettext("Your changes were saved."), "success")
            return redirect(url_for("catalogue.show_record", record_id=record.id))
    else:
        status = 400
    form.add_blank_contributors()
    return _render_form(form, record, conflict, status)


@bp.route("/staff/records/<int:record_id>/delete", methods=["POST"])
@require(DELETE_CATALOGUE)
def delete_record(record_id):
    form = ConfirmForm()
    if not form.validate_on_submit():
        flash(gettext("The form expired: please try again."), "error")
        return redirect(url_for("catalogue.show_record", record_id=record_id))
    service = services(RecordService)
    title = service.get(record_id).title
    try:
        service.delete(record_id, expected_version=int(form.version.data) if form.version.data else None)
    except Conflict as error:
        flash(translate(error.message, error.params), "error")
        return redirect(url_for("catalogue.show_record", record_id=record_id))
    flash(gettext("The work “%(title)s” was deleted.", title=title), "success")
    return redirect(url_for("catalogue.list_records"))


def _data(form: RecordForm) -> dict:
    """The form's data for the services. A descriptor typed without the
    autocomplete counts when it names exactly one concept; otherwise the
    error is on the field and the service refuses the rest with it."""
    form.descriptors.data = picked_ids(form.descriptors, form.descriptors_query)
    if form.descriptors_query.errors:
        messages, form.descriptors_query.errors = list(form.descriptors_query.errors), []
        raise ValidationFailed({"descriptors_query": messages})
    return form.to_data()


def _render_form(form: RecordForm, record, conflict, status: int):
    chosen = browse.refs(db_session(), form.descriptors.data or [])
    return render_template("records/form.html", form=form, record=record, conflict=conflict,
                           chosen_descriptors=chosen, lang=str(get_locale())), status


def _form_data(record) -> dict:
    data = record_fields(record)
    data["descriptors"] = [ref.id for ref in descriptors_of(db_session(), record.id)]
    data["languages"] = ", ".join(data["languages"])
    data["year"] = "" if data["year"] is None else str(data["year"])
    data["version"] = str(record.version)
    return data
