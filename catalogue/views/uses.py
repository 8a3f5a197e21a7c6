"""Counting in-house use by scanning barcodes.

One field, keyboard only: a hand scanner types the barcode and Enter. With
JavaScript each scan is posted in the background and the field is cleared
at once, so a trolley can be scanned without waiting; without JavaScript
the form still works, one page load per scan.
"""
from __future__ import annotations

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext, ngettext

from accounts.permissions import RECORD_USE
from catalogue.forms import UseForm
from catalogue.services import UseService
from catalogue.views import bp
from core.web.auth import require
from core.web.errors import translate
from core.web.helpers import services


@bp.route("/staff/uses", methods=["GET", "POST"])
@require(RECORD_USE)
def record_uses():
    form = UseForm()
    wants_json = request.accept_mimetypes.best == "application/json"
    if request.method == "GET":
        return render_template("uses/scan.html", form=form)
    if not form.validate_on_submit():
        message = gettext("The form expired: reload the page and scan again.")
        if wants_json:
            return jsonify({"ok": False, "message": message}), 400
        flash(message, "error")
        return redirect(url_for("catalogue.record_uses"))
    barcodes = (form.barcode.data or "").split()
    results = services(UseService).record(barcodes)
    rows = []
    for result in results:
        row = result.as_dict()
        row["message"] = translate(row["message"])  # a message id the service chose (N_)
        row["count_label"] = ngettext("(%(num)s use)", "(%(num)s uses)", row["use_count"]) if row["ok"] else ""
        rows.append(row)
    if wants_json:
        return jsonify({"results": rows})
    for row in rows:
        text = f"{row['barcode']} — {row['title'] or ''} : {row['message']} {row['count_label']}"
        flash(text.strip(), "success" if row["ok"] else "error")
    return redirect(url_for("catalogue.record_uses"))
