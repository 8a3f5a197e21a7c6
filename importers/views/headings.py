"""Alignment with the main library: incoming subject headings not yet mapped
to a concept, most used first; mapping one indexes every record carrying it,
now and in later imports."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext, ngettext
from flask_login import current_user

from accounts.permissions import EDIT_THESAURUS, VIEW_STAFF
from core.errors import CatalogueError
from core.web.auth import require
from core.web.errors import translate
from core.web.forms import ConfirmForm
from core.web.helpers import page_args, pagination
from core.web.transaction import db_session
from importers.services.alignment import AlignmentService
from importers.views import bp
from thesaurus.forms import MapForm
from thesaurus.views.common import picked_id


def alignment():
    return AlignmentService(db_session(), current_user._get_current_object())


@bp.route("/staff/thesaurus/headings")
@require(VIEW_STAFF)
def headings():
    return render_headings()


def render_headings(*, status: int = 200, failed: MapForm | None = None):
    page, size = page_args(25)
    q = request.args.get("q", "").strip()
    rows, total = alignment().queue(page=page, size=size, text=q or None)
    forms = {}
    for row in rows:
        if failed is not None and failed.heading_key.data == row.heading_key:
            forms[row.heading_key] = failed
            continue
        suggestion = row.suggestion
        forms[row.heading_key] = MapForm(formdata=None, data={
            "heading_key": row.heading_key, "concept": str(suggestion.id) if suggestion else "",
            "concept_label": suggestion.pref_label_fr if suggestion else ""})
    mappings, mapped_total = alignment().mappings(page=1, size=50)
    return render_template("imports/headings.html", rows=rows, forms=forms, q=q, mappings=mappings,
                           mapped_total=mapped_total, confirm=ConfirmForm(formdata=None),
                           paging=pagination(total, page, size), failed=failed), status


@bp.route("/staff/thesaurus/headings/map", methods=["POST"])
@require(EDIT_THESAURUS)
def map_heading():
    form = MapForm()
    if not form.validate_on_submit():
        flash(gettext("The form expired: please try again."), "error")
        return redirect(url_for("imports.headings"))
    concept_id = picked_id(form)
    if concept_id is None:
        return render_headings(status=422, failed=form)
    try:
        mapping, indexed = alignment().map(form.heading_key.data, concept_id)
    except CatalogueError as error:
        db_session().rollback()
        form.concept_label.errors = list(form.concept_label.errors or []) + [translate(error.message, error.params)]
        return render_headings(status=422, failed=form)
    flash(ngettext("“%(heading)s” is mapped: %(num)s record got the descriptor.",
                   "“%(heading)s” is mapped: %(num)s records got the descriptor.", indexed,
                   heading=mapping.heading), "success")
    return redirect(url_for("imports.headings", q=request.args.get("q") or None))


@bp.route("/staff/thesaurus/headings/mappings/<int:mapping_id>/delete", methods=["POST"])
@require(EDIT_THESAURUS)
def unmap_heading(mapping_id):
    if not ConfirmForm().validate_on_submit():
        flash(gettext("The form expired: please try again."), "error")
    else:
        alignment().unmap(mapping_id)
        flash(gettext("The mapping was removed; descriptors already given stay."), "success")
    return redirect(url_for("imports.headings"))
