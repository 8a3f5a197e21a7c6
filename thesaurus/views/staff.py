"""Staff thesaurus pages: the concept list, a new concept, and the concept
page from which every edit is made (see editing.py for the edits)."""
from __future__ import annotations

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user

from accounts.permissions import EDIT_THESAURUS, VIEW_STAFF
from core.errors import ValidationFailed
from core.web.auth import require
from core.web.forms import ConfirmForm
from core.web.helpers import page_args, pagination, show_errors
from core.web.transaction import db_session
from thesaurus.errors import ThesaurusRuleViolation
from thesaurus.forms import NOTE_FIELDS, ConceptForm, LabelForm, MoveForm, PickForm, PoleForm
from thesaurus.services import browse
from thesaurus.services.collections import CollectionService
from thesaurus.views import bp
from thesaurus.views.common import (
    autocomplete,
    concept_service,
    finding_messages,
    locale,
    picked_ids,
    require_french,
)
from thesaurus.vocab import ConceptStatus


@bp.route("/staff/thesaurus/")
@require(VIEW_STAFF)
def list_concepts():
    page, size = page_args(50)
    q = request.args.get("q", "").strip()
    status = request.args.get("status") if request.args.get("status") in ConceptStatus.values() else None
    concepts, total = browse.concept_list(db_session(), text=q or None, status=status, page=page, size=size)
    return render_template("thesaurus/staff/list.html", concepts=concepts, q=q, status=status,
                           paging=pagination(total, page, size))


@bp.route("/staff/thesaurus/autocomplete")
@require(VIEW_STAFF)
def staff_autocomplete():
    """Suggestions for the pickers: preferred and entry terms, accents and case ignored."""
    q = (request.args.get("q") or "").strip()[:200]
    deprecated = request.args.get("deprecated") == "1"
    return jsonify({"q": q, "matches": autocomplete(q, limit=10, include_deprecated=deprecated)})


@bp.route("/staff/thesaurus/concepts/new", methods=["GET", "POST"])
@require(EDIT_THESAURUS)
def new_concept():
    form = ConceptForm()
    status, problems = 200, []
    if request.method == "GET":
        form.status.data = ConceptStatus.APPROVED.value
    elif form.validate_on_submit():
        broader = picked_ids(form.broader, form.broader_query)
        if not form.broader_query.errors:
            data = {"pref_labels": form.pref_labels(), "notation": (form.notation.data or "").strip() or None,
                    "status": form.status.data, "notes": form.notes(), "broader": broader}
            try:
                require_french(form)
                concept = concept_service().create(data)
            except ValidationFailed as error:
                problems, status = show_errors(form, error), 422
            except ThesaurusRuleViolation as error:
                problems, status = finding_messages(error), 422
            else:
                flash(gettext("The concept “%(label)s” was created.", label=concept.pref_label_fr), "success")
                return redirect(url_for("thesaurus.staff_concept", concept_id=concept.id))
        else:
            status = 422
    else:
        status = 400
    chosen = browse.refs(db_session(), form.broader.data or [])
    return render_template("thesaurus/staff/new.html", form=form, problems=problems, chosen=chosen,
                           lang=locale()), status


@bp.route("/staff/thesaurus/concepts/<int:concept_id>")
@require(VIEW_STAFF)
def staff_concept(concept_id):
    return render_concept(concept_id)


def edit_form(concept) -> ConceptForm:
    data = {"pref_label_fr": concept.pref_label_fr, "pref_label_en": concept.pref_label_en or "",
            "notation": concept.notation or "", "status": concept.status.value, "version": str(concept.version)}
    for name, kind, language in NOTE_FIELDS:
        data[name] = next((n.text for n in concept.notes if n.kind == kind and n.language == language), "")
    return ConceptForm(formdata=None, data=data)


def render_concept(concept_id: int, *, status: int = 200, forms: dict | None = None,
                   problems: list[str] | None = None, conflict: dict | None = None, anchor: str | None = None):
    """The staff concept page. After a refused edit, ``forms`` holds the
    submitted form (with its errors) and ``problems`` says why."""
    session = db_session()
    page = browse.concept_page(session, concept_id)
    concept = page.concept
    version = str(concept.version)
    # Fresh forms must not read the request's form data: another form was posted.
    # Each form has its own prefix (name) so that field ids stay unique on the page.
    fresh = {"formdata": None, "data": {"version": version}}
    defaults = {"edit": lambda: edit_form(concept), "label": lambda: LabelForm(prefix="label", **fresh),
                "move": lambda: MoveForm(prefix="move", formdata=None,
                                         data={"broader": [r.id for r in page.broader], "version": version}),
                "relate": lambda: PickForm(prefix="relate", **fresh),
                "merge": lambda: PickForm(prefix="merge", **fresh),
                "deprecate": lambda: PickForm(prefix="deprecate", **fresh)}
    built = {name: (forms or {}).get(name) or make() for name, make in defaults.items()}
    move_chosen = browse.refs(session, built["move"].broader.data or [])
    events, _ = browse.history(session, concept_id)
    records, records_total = browse.records_of(session, concept_id, include_narrower=False, size=10)
    return render_template("thesaurus/staff/concept.html", page=page, forms=built, move_chosen=move_chosen,
                           confirm=ConfirmForm(formdata=None, data={"version": version}), problems=problems or [],
                           conflict=conflict, anchor=anchor, events=events, records=records,
                           records_total=records_total, lang=locale()), status


@bp.route("/staff/thesaurus/collections/<int:collection_id>/pole", methods=["POST"])
@require(EDIT_THESAURUS)
def collection_pole(collection_id):
    form = PoleForm()
    if not form.validate_on_submit():
        abort(400)
    collection = CollectionService(db_session(), current_user._get_current_object()).set_pole(
        collection_id, form.pole.data or None)
    flash(gettext("The micro-thesaurus “%(label)s” was saved.", label=collection.label_fr), "success")
    return redirect(url_for("thesaurus.collection", collection_id=collection_id))
