from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext

from accounts.permissions import DELETE_CATALOGUE, EDIT_CATALOGUE
from catalogue.errors import DuplicateBarcode
from catalogue.forms import ItemForm
from catalogue.services import ItemService, RecordService
from catalogue.services.snapshots import item_fields
from catalogue.views import bp
from core.errors import ValidationFailed, VersionConflict
from core.web.auth import require
from core.web.errors import translate
from core.web.forms import ConfirmForm
from core.web.helpers import conflict_rows, services, show_errors


@bp.route("/staff/records/<int:record_id>/items/new", methods=["GET", "POST"])
@require(EDIT_CATALOGUE)
def new_item(record_id):
    record = services(RecordService).get(record_id)
    form = ItemForm()
    status = 200
    if request.method == "GET":
        form.call_number.data = record.call_number
        form.acquired_on.data = ""
    elif form.validate_on_submit():
        try:
            item = services(ItemService).create(record_id, form.to_data())
        except (ValidationFailed, DuplicateBarcode) as error:
            show_errors(form, error)
            status = 409 if isinstance(error, DuplicateBarcode) else 422
        else:
            flash(gettext("Item %(barcode)s added.", barcode=item.barcode), "success")
            if request.form.get("then") == "another":
                return redirect(url_for("catalogue.new_item", record_id=record_id))
            return redirect(url_for("catalogue.show_record", record_id=record_id))
    else:
        status = 400
    return render_template("items/form.html", form=form, record=record, item=None, conflict=None), status


@bp.route("/staff/items/<int:item_id>/edit", methods=["GET", "POST"])
@require(EDIT_CATALOGUE)
def edit_item(item_id):
    service = services(ItemService)
    item = service.get(item_id)
    status, conflict = 200, None
    if request.method == "GET":
        data = item_fields(item)
        data["version"] = str(item.version)
        form = ItemForm(data={k: ("" if v is None else v) for k, v in data.items()})
        return render_template("items/form.html", form=form, record=item.record, item=item, conflict=None)
    form = ItemForm()
    if form.validate_on_submit():
        try:
            service.update(item_id, form.to_data(), expected_version=int(form.version.data or -1))
        except (ValidationFailed, DuplicateBarcode) as error:
            show_errors(form, error)
            status = 409 if isinstance(error, DuplicateBarcode) else 422
        except VersionConflict as error:
            conflict = {"message": translate(error.message, error.params),
                        "rows": conflict_rows(item_fields(item), error.submitted)}
            form.version.data = str(item.version)
            status = 409
        else:
            flash(gettext("Your changes were saved."), "success")
            return redirect(url_for("catalogue.show_record", record_id=item.record_id))
    else:
        status = 400
    return render_template("items/form.html", form=form, record=item.record, item=item, conflict=conflict), status


@bp.route("/staff/items/<int:item_id>/delete", methods=["POST"])
@require(DELETE_CATALOGUE)
def delete_item(item_id):
    service = services(ItemService)
    item = service.get(item_id)
    record_id, barcode = item.record_id, item.barcode
    if not ConfirmForm().validate_on_submit():
        flash(gettext("The form expired: please try again."), "error")
    else:
        service.delete(item_id)
        flash(gettext("Item %(barcode)s deleted.", barcode=barcode), "success")
    return redirect(url_for("catalogue.show_record", record_id=record_id))
