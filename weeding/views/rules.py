"""The weeding rules' pages: every staff member reads them, in the order
they judge, with their scope, criteria and justification; librarians add
and change them (a stale form is a 409 showing both versions)."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from sqlalchemy import select

from accounts.permissions import REVIEW_WEEDING, VIEW_STAFF
from catalogue.vocab import Condition, DocumentType
from core.errors import ValidationFailed, VersionConflict
from core.vocab import Pole
from core.web.auth import require
from core.web.errors import translate
from core.web.helpers import services, show_errors
from core.web.transaction import db_session
from thesaurus.models import Concept
from weeding.forms import RuleForm
from weeding.services.rules import RuleService, rule_fields
from weeding.views import bp

NONE = "—"  # a criterion that does not apply


def criteria(rule) -> dict[str, str]:
    """Each criterion of ``rule`` in words, "—" when it does not apply."""
    low = (gettext("fewer than %(min)s uses in %(years)s years", min=rule.low_use_min, years=rule.low_use_years)
           if rule.low_use_min and rule.low_use_years else NONE)
    conditions = [gettext(Condition(c).label).lower() for c in rule.conditions or [] if c in Condition.values()]
    return {
        "age": gettext("%(num)s years", num=rule.max_age_years) if rule.max_age_years else NONE,
        "no_use": gettext("%(num)s years", num=rule.max_unused_years) if rule.max_unused_years else NONE,
        "low_use": low,
        "superseded": gettext("yes") if rule.superseded else NONE,
        "periodicals": (gettext("keep %(num)s years", num=rule.periodical_keep_years)
                        if rule.periodical_keep_years else NONE),
        "conditions": ", ".join(conditions) or NONE,
    }


def scope(rule, concepts: dict[int, str]) -> list[str]:
    parts = []
    if rule.document_type:
        parts.append(gettext(DocumentType(rule.document_type).label))
    if rule.pole:
        parts.append(gettext(Pole(rule.pole).label))
    if rule.call_number_prefix:
        parts.append(gettext("shelf %(prefix)s", prefix=rule.call_number_prefix))
    if rule.concept_id:
        parts.append(gettext("concept “%(label)s” and narrower",
                             label=concepts.get(rule.concept_id, str(rule.concept_id))))
    return parts


@bp.route("/staff/weeding/rules")
@require(VIEW_STAFF)
def rules():
    session = db_session()
    listed = RuleService(session).list()
    ids = {rule.concept_id for rule in listed if rule.concept_id}
    concepts = dict(session.execute(select(Concept.id, Concept.pref_label_fr).where(Concept.id.in_(ids))).all()
                    ) if ids else {}
    rows = [{"rule": rule, "scope": scope(rule, concepts), "criteria": criteria(rule)} for rule in listed]
    return render_template("weeding/rules.html", rows=rows)


@bp.route("/staff/weeding/rules/new", methods=["GET", "POST"])
@require(REVIEW_WEEDING)
def new_rule():
    form = RuleForm() if request.method == "POST" else RuleForm(formdata=None)
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        try:
            made = services(RuleService).create(form.to_data())
        except ValidationFailed as error:
            show_errors(form, error)
            return render_template("weeding/rule_form.html", form=form, rule=None, conflict=None), 422
        flash(gettext("The rule “%(name)s” is saved: it judges the next campaigns.", name=made.name), "success")
        return redirect(url_for("weeding.rules") + f"#rule-{made.id}")
    return render_template("weeding/rule_form.html", form=form, rule=None, conflict=None)


@bp.route("/staff/weeding/rules/<int:rule_id>/edit", methods=["GET", "POST"])
@require(REVIEW_WEEDING)
def edit_rule(rule_id):
    service = services(RuleService)
    rule = service.get(rule_id)
    if request.method == "GET":
        form = RuleForm(formdata=None, data=form_data(rule))
        return render_template("weeding/rule_form.html", form=form, rule=rule, conflict=None)
    form = RuleForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        version = int(form.version.data or -1)
    except ValueError:
        version = -1
    try:
        service.update(rule_id, form.to_data(), expected_version=version)
    except ValidationFailed as error:
        show_errors(form, error)
        return render_template("weeding/rule_form.html", form=form, rule=rule, conflict=None), 422
    except VersionConflict as error:
        db_session().rollback()
        rule = service.get(rule_id)
        labels = {name: field.label.text for name, field in form._fields.items()}
        stored = rule_fields(rule)
        rows = [(labels.get(name, name), _shown(stored.get(name)), _shown(value))
                for name, value in error.submitted.items() if stored.get(name) != value]
        form.version.data = str(rule.version)
        conflict = {"message": translate(error.message, error.params), "rows": rows}
        return render_template("weeding/rule_form.html", form=form, rule=rule, conflict=conflict), 409
    flash(gettext("The rule “%(name)s” is saved.", name=rule.name), "success")
    return redirect(url_for("weeding.rules") + f"#rule-{rule_id}")


def form_data(rule) -> dict:
    data = {name: ("" if value is None else value) for name, value in rule_fields(rule).items()}
    data.update(position=str(rule.position), version=str(rule.version),
                conditions=list(rule.conditions or []), active=rule.active, superseded=rule.superseded)
    for name in ("concept_id", "max_age_years", "max_unused_years", "low_use_min", "low_use_years",
                 "periodical_keep_years"):
        data[name] = "" if data[name] == "" else str(data[name])
    return data


def _shown(value) -> str:
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, list):
        return ", ".join(value)
    return "" if value is None else str(value)
