"""The named reports' staff pages: every report with its schedule and last
run, one report's runs and schedule form, a run's rows as a table and as CSV.
Librarians (REVIEW_WEEDING) run reports and set their schedules; every
staff member may read them."""
from __future__ import annotations

import csv
import datetime as dt
import io
import re

from flask import Response, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import format_date, gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from wtforms import BooleanField, HiddenField, StringField

from accounts.permissions import REVIEW_WEEDING, VIEW_STAFF
from acquisitions.vocab import ProposalStatus
from core import reporting
from core import reports as named
from core.errors import NotFound, ValidationFailed, VersionConflict
from core.i18n import N_
from core.reports import ReportRun
from core.vocab import Pole
from core.web.auth import can, require
from core.web.errors import translate
from core.web.forms import ConfirmForm
from core.web.helpers import page_args, pagination, show_errors
from core.web.transaction import db_session
from weeding.views import bp

MAX_ID = 2 ** 31 - 1
FIELD_LABELS = {"cron": N_("Schedule (crontab line)"), "recipients": N_("Recipients"), "active": N_("Active"),
                "params": N_("Parameters")}


class ScheduleForm(FlaskForm):
    cron = StringField(_l("Schedule (crontab line)"),
                       description=_l("minute hour day month weekday: 0 7 * * 1 runs on Mondays at 7:00."))
    recipients = StringField(_l("Recipients"), description=_l("E-mail addresses, separated by commas."))
    active = BooleanField(_l("Active"))
    version = HiddenField()


def schedule_form(report, schedule=None) -> ScheduleForm:
    """The form with a field per parameter of ``report``; filled from
    ``schedule`` (a GET), or from the request (a POST: ``schedule`` None)."""
    class Form(ScheduleForm):
        pass

    for param in report.params:
        setattr(Form, f"param_{param.name}", StringField(_l(param.label)))
    if schedule is None:
        return Form()
    data = {"cron": schedule.cron, "recipients": ", ".join(schedule.recipients), "active": schedule.active,
            "version": str(schedule.version)}
    data.update({f"param_{name}": str(value) for name, value in schedule.params.items()})
    return Form(formdata=None, data=data)


def may_run() -> bool:
    return can(current_user, REVIEW_WEEDING)


@bp.route("/staff/reports")
@require(VIEW_STAFF)
def reports():
    session = db_session()
    latest = reporting.last_runs(session)
    rows = [(report, reporting.schedule_of(session, report), latest.get(report.name))
            for report in named.all()]
    return render_template("weeding/reports.html", rows=rows)


@bp.route("/staff/reports/<name>")
@require(VIEW_STAFF)
def report(name):
    report = _report(name)
    return render_report(report, schedule_form(report, reporting.schedule_of(db_session(), report)))


def render_report(report, form, *, conflict=None, status=200):
    session = db_session()
    page, size = page_args(25)
    mine = ReportRun.report == report.name
    total = session.scalar(select(func.count()).select_from(ReportRun).where(mine))
    runs = session.scalars(select(ReportRun).where(mine).order_by(ReportRun.id.desc())
                           .offset((page - 1) * size).limit(size)).all()
    return render_template("weeding/reports_show.html", report=report,
                           schedule=reporting.schedule_of(session, report), runs=runs,
                           paging=pagination(total, page, size), form=form,
                           may_run=may_run(), conflict=conflict), status


@bp.route("/staff/reports/<name>/runs", methods=["POST"])
@require(REVIEW_WEEDING)
def run_report(name):
    report = _report(name)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    done = reporting.run(db_session(), report.name, site_url=current_app.config["SITE_URL"])
    flash(gettext("The report ran: %(num)s rows.", num=done.row_count), "success")
    return redirect(url_for("weeding.report_run", run_id=done.id))


@bp.route("/staff/reports/<name>/schedule", methods=["POST"])
@require(REVIEW_WEEDING)
def schedule_report(name):
    report = _report(name)
    form = schedule_form(report)
    if not form.validate_on_submit():
        return render_report(report, form, status=400)
    data = {"cron": form.cron.data, "recipients": form.recipients.data, "active": form.active.data,
            "params": {p.name: form[f"param_{p.name}"].data for p in report.params}}
    try:
        version = int(form.version.data or 0)
    except ValueError:
        version = -1
    try:
        reporting.ScheduleService(db_session(), current_user._get_current_object()).save(
            report.name, data, expected_version=version)
    except ValidationFailed as error:
        fields = {key.replace("params.", "param_"): messages for key, messages in error.fields.items()}
        show_errors(form, ValidationFailed(fields))
        return render_report(report, form, status=422)
    except VersionConflict as error:
        conflict = {"message": translate(error.message, error.params),
                    "rows": [(gettext(FIELD_LABELS[key]), _shown(error.current.get(key)), _shown(value))
                             for key, value in error.submitted.items() if error.current.get(key) != value]}
        form.version.data = str(error.current.get("version", 0))
        return render_report(report, form, conflict=conflict, status=409)
    flash(gettext("The schedule was saved."), "success")
    return redirect(url_for("weeding.report", name=report.name))


def _shown(value) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k}={v}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(value)
    return "" if value is None else str(value)


@bp.route("/staff/reports/runs/<int:run_id>")
@require(VIEW_STAFF)
def report_run(run_id):
    done = _run(run_id)
    report = _known(done.report)
    labels = [gettext(report.label_of(key)) if report else key for key in done.columns]
    return render_template("weeding/reports_run.html", run=done, report=report, labels=labels, shown=cell)


LABELLED = {"poles": Pole, "pole": Pole, "status": ProposalStatus}
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def cell(key: str, value) -> str:
    """A stored cell as the reader reads it: poles and states by their
    labels, dates as the reader's language writes them (the CSV keeps codes
    and ISO dates, for spreadsheets)."""
    if value is None:
        return ""
    if key in LABELLED and isinstance(value, str):
        vocabulary = LABELLED[key]
        return ", ".join(gettext(vocabulary(code).label) if code in vocabulary.values() else code
                         for code in value.split(", "))
    if isinstance(value, str) and ISO_DATE.match(value):
        return format_date(dt.date.fromisoformat(value), "medium")
    return str(value)


@bp.route("/staff/reports/runs/<int:run_id>.csv")
@require(VIEW_STAFF)
def report_run_csv(run_id):
    done = _run(run_id)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(done.columns)
    writer.writerows(["" if value is None else value for value in row] for row in done.rows)
    filename = f"{done.report}-{done.started_at:%Y-%m-%d}-{done.id}.csv"
    return Response(out.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def _report(name: str):
    return named.get(name)  # UnknownReport: a 404 naming the reports there are


def _known(name: str):
    try:
        return named.get(name)
    except NotFound:  # a run of a report no package defines any more: its rows still show
        return None


def _run(run_id: int) -> ReportRun:
    done = db_session().get(ReportRun, run_id) if 0 < run_id <= MAX_ID else None
    if done is None:
        raise NotFound(N_("There is no report run number %(id)s."), id=run_id)
    return done
