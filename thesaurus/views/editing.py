"""Edits of a concept by documentalists, one small form each (rename and
notes, entry terms, move, relate, merge, deprecate), all posted from the
concept page.

Every edit sends the version the page showed: a concept changed meanwhile
answers 409 with what changed, and nothing is overwritten. An edit that
would break the thesaurus answers 422 with the findings that say why (a
cycle names its whole chain); field errors go next to their field.
"""
from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import gettext

from accounts.permissions import EDIT_THESAURUS
from core.errors import Conflict, ValidationFailed, VersionConflict
from core.web.auth import require
from core.web.errors import translate
from core.web.forms import ConfirmForm
from core.web.helpers import show_errors
from core.web.transaction import db_session
from thesaurus.errors import ThesaurusRuleViolation
from thesaurus.forms import ConceptForm, LabelForm, MoveForm, PickForm
from thesaurus.services import browse
from thesaurus.views import bp
from thesaurus.views.common import concept_service, finding_messages, picked_id, picked_ids, require_french
from thesaurus.views.staff import render_concept


def _version(form) -> int | None:
    try:
        return int(form.version.data)
    except (TypeError, ValueError):
        return None


def _attempt(concept_id: int, name: str, form, action, done: str, *, anchor: str | None = None,
             follow: bool = False):
    """Run ``action`` if the form is valid; redirect on success, or show the
    concept page again with the refusal next to the form. ``follow``: go to
    the concept the action returns (the survivor of a merge)."""
    if not form.validate_on_submit():
        problems = [gettext("The form expired: please try again.")] if form.csrf_token.errors else []
        return render_concept(concept_id, status=400, forms={name: form}, problems=problems, anchor=anchor)
    status, problems, conflict = 422, [], None
    try:
        target = action()
    except ValidationFailed as error:
        problems = show_errors(form, error)
    except ThesaurusRuleViolation as error:
        problems = finding_messages(error)
    except VersionConflict as error:
        db_session().rollback()
        conflict = {"message": translate(error.message, error.params),
                    "rows": _conflict_rows(error.current or {}, error.submitted or {})}
        status = 409
    except Conflict as error:
        problems, status = [translate(error.message, error.params)], 409
    else:
        if target is False:  # the form named no usable concept: errors are on its fields
            return render_concept(concept_id, status=422, forms={name: form}, anchor=anchor)
        flash(done, "success")
        target_id = (getattr(target, "id", None) if follow else None) or concept_id
        return redirect(url_for("thesaurus.staff_concept", concept_id=target_id))
    # Nothing of a refused edit may show (or be committed): start again from what is stored.
    db_session().rollback()
    if conflict is not None:
        form.version.data = str(browse.get_concept(db_session(), concept_id).version)
    return render_concept(concept_id, status=status, forms={name: form}, problems=problems,
                          conflict=conflict, anchor=anchor)


def _conflict_rows(current: dict, submitted: dict) -> list[tuple]:
    """Only the fields the editor sent: the rest of the concept is not in question."""
    def plain(value):
        if isinstance(value, list) and all(isinstance(v, dict) for v in value):
            return sorted([v.get("kind"), v.get("language"), v.get("text")] for v in value)
        return value
    return [(name, current.get(name), plain(value)) for name, value in submitted.items()
            if current.get(name) != plain(value)]


@bp.route("/staff/thesaurus/concepts/<int:concept_id>/edit", methods=["POST"])
@require(EDIT_THESAURUS)
def edit_concept(concept_id):
    form = ConceptForm()
    concept = browse.get_concept(db_session(), concept_id)
    keep = [{"kind": n.kind, "language": n.language, "text": n.text} for n in concept.notes]

    def action():
        require_french(form)
        data = {"pref_labels": _pref_labels(concept, form), "notation": (form.notation.data or "").strip() or None,
                "status": form.status.data, "notes": form.notes(keep)}
        return concept_service().update(concept_id, data, version=_version(form))

    return _attempt(concept_id, "edit", form, action, gettext("Your changes were saved."), anchor="edit")


def _pref_labels(concept, form) -> dict[str, str]:
    """The form edits French and English; other languages' preferred labels stay."""
    labels = {label.language: label.text for label in concept.labels
              if label.kind == "pref" and label.language not in ("fr", "en")}
    labels.update(form.pref_labels())
    return labels


@bp.route("/staff/thesaurus/concepts/<int:concept_id>/labels", methods=["POST"])
@require(EDIT_THESAURUS)
def add_label(concept_id):
    form = LabelForm(prefix="label")

    def action():
        return concept_service().add_label(concept_id, form.kind.data, (form.language.data or "").strip(),
                                           form.text.data or "", version=_version(form))

    done = gettext("The term “%(text)s” was added.", text=(form.text.data or "").strip())
    return _attempt(concept_id, "label", form, action, done, anchor="labels")


@bp.route("/staff/thesaurus/concepts/<int:concept_id>/labels/<int:label_id>/delete", methods=["POST"])
@require(EDIT_THESAURUS)
def remove_label(concept_id, label_id):
    form = ConfirmForm()

    def action():
        return concept_service().remove_label(concept_id, label_id, version=_version(form))

    return _attempt(concept_id, "confirm", form, action, gettext("The term was removed."), anchor="labels")


@bp.route("/staff/thesaurus/concepts/<int:concept_id>/move", methods=["POST"])
@require(EDIT_THESAURUS)
def move_concept(concept_id):
    form = MoveForm(prefix="move")

    def action():
        ids = picked_ids(form.broader, form.broader_query)
        if form.broader_query.errors:
            return False
        form.broader.data = ids
        return concept_service().move(concept_id, ids, version=_version(form))

    return _attempt(concept_id, "move", form, action, gettext("The concept was moved."), anchor="move")


def _with_pick(concept_id: int, name: str, done: str, call, follow: bool = False):
    form = PickForm(prefix=name)

    def action():
        other = picked_id(form)
        return False if other is None else call(other, _version(form))

    return _attempt(concept_id, name, form, action, done, anchor=name, follow=follow)


@bp.route("/staff/thesaurus/concepts/<int:concept_id>/related", methods=["POST"])
@require(EDIT_THESAURUS)
def relate_concept(concept_id):
    return _with_pick(concept_id, "relate", gettext("The concepts are now related."),
                      lambda other, version: concept_service().relate(concept_id, other))


@bp.route("/staff/thesaurus/concepts/<int:concept_id>/related/<int:other_id>/delete", methods=["POST"])
@require(EDIT_THESAURUS)
def unrelate_concept(concept_id, other_id):
    return _attempt(concept_id, "confirm", ConfirmForm(), lambda: concept_service().unrelate(concept_id, other_id),
                    gettext("The concepts are no longer related."), anchor="relate")


@bp.route("/staff/thesaurus/concepts/<int:concept_id>/merge", methods=["POST"])
@require(EDIT_THESAURUS)
def merge_concept(concept_id):
    return _with_pick(concept_id, "merge", gettext("The concepts were merged."),
                      lambda survivor, version: concept_service().merge(concept_id, survivor), follow=True)


@bp.route("/staff/thesaurus/concepts/<int:concept_id>/deprecate", methods=["POST"])
@require(EDIT_THESAURUS)
def deprecate_concept(concept_id):
    form = PickForm(prefix="deprecate")

    def action():
        replacement = None
        if (form.concept.data or form.concept_label.data or "").strip():
            replacement = picked_id(form)
            if replacement is None:
                return False
        return concept_service().deprecate(concept_id, replaced_by_id=replacement)

    return _attempt(concept_id, "deprecate", form, action, gettext("The concept was deprecated."), anchor="deprecate")

