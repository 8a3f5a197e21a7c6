"""The named reports under /api/v1/reports: list them with their schedules,
read one with its runs, run one now, change its schedule, read a run with
its rows. Reading is for every staff member; running and scheduling for
librarians (REVIEW_WEEDING)."""
from __future__ import annotations

from flask import current_app
from flask_babel import gettext
from marshmallow import Schema, fields
from sqlalchemy import func, select

from accounts.permissions import REVIEW_WEEDING, VIEW_STAFF
from core import reporting
from core import reports as named
from core.errors import NotFound
from core.i18n import N_
from core.reports import ReportRun
from core.web.api import (
    PageArgs,
    Strict,
    api_user,
    blueprint,
    db_session,
    documented,
    number_or_text,
    page,
    page_of,
    require_api,
)

blp = blueprint("weeding-reports", "Named reports: stale items, missing items, proposals waiting…, "
                                   "on a schedule, each run kept with its rows.")

MAX_ID = 2 ** 31 - 1


class Column(Schema):
    key = fields.String()
    label = fields.String(metadata={"description": "In the request's language."})


class Param(Schema):
    name = fields.String()
    label = fields.String()
    default = fields.Integer()
    low = fields.Integer()
    high = fields.Integer()


class ScheduleOut(Schema):
    name = fields.String()
    cron = fields.String(metadata={"description": "A crontab line, in the catalogue's time zone."})
    recipients = fields.List(fields.String())
    params = fields.Dict()
    active = fields.Boolean()
    version = fields.Integer(metadata={"description": "0 while the report runs on its defaults."})


class RunSummary(Schema):
    id = fields.Integer()
    report = fields.String()
    trigger = fields.String(metadata={"description": "schedule or manual."})
    started_at = fields.DateTime()
    finished_at = fields.DateTime(allow_none=True)
    params = fields.Dict()
    row_count = fields.Integer()
    columns = fields.List(fields.String())
    mailed_to = fields.List(fields.String())


class Run(RunSummary):
    rows = fields.List(fields.List(fields.Raw()),
                       metadata={"description": "One list per row, in column order."})


class ReportOut(Schema):
    name = fields.String()
    title = fields.String()
    description = fields.String()
    columns = fields.List(fields.Nested(Column))
    params = fields.List(fields.Nested(Param))
    schedule = fields.Nested(ScheduleOut)
    last_run = fields.Nested(RunSummary, allow_none=True)


class ReportList(Schema):
    items = fields.List(fields.Nested(ReportOut))


class RunIn(Strict):
    params = fields.Dict(keys=fields.String(), values=number_or_text(), load_default=dict,
                         metadata={"description": "Parameters for this run only, e.g. {\"years\": 2}."})


class ScheduleIn(Strict):
    cron = fields.String()
    recipients = fields.List(fields.String())
    params = fields.Dict(keys=fields.String(), values=number_or_text())
    active = fields.Boolean()
    version = fields.Integer(required=True, metadata={"description": "The version read (0: the defaults)."})


def as_json(report, schedule, last) -> dict:
    return {"name": report.name, "title": gettext(report.title), "description": gettext(report.description),
            "columns": [{"key": key, "label": gettext(label)} for key, label in report.columns],
            "params": [{"name": p.name, "label": gettext(p.label), "default": p.default, "low": p.low,
                        "high": p.high} for p in report.params],
            "schedule": schedule.as_dict(), "last_run": last}


@blp.route("/reports", methods=["GET"])
@require_api(VIEW_STAFF)
@blp.response(200, ReportList)
@documented(blp, 401, 403)
def list_reports():
    """Every report with its schedule and last run (without its rows)."""
    session = db_session()
    latest = reporting.last_runs(session)
    return {"items": [as_json(r, reporting.schedule_of(session, r), latest.get(r.name)) for r in named.all()]}


@blp.route("/reports/<name>", methods=["GET"])
@require_api(VIEW_STAFF)
@blp.response(200, ReportOut)
@documented(blp, 401, 403, 404)
def get_report(name):
    report = named.get(name)
    session = db_session()
    return as_json(report, reporting.schedule_of(session, report), reporting.last_runs(session).get(name))


@blp.route("/reports/<name>/runs", methods=["GET"])
@require_api(VIEW_STAFF)
@blp.arguments(PageArgs, location="query")
@blp.response(200, page_of(RunSummary))
@documented(blp, 401, 403, 404, 422)
def list_runs(args, name):
    """The report's runs, newest first, without their rows."""
    named.get(name)
    session = db_session()
    mine = ReportRun.report == name
    total = session.scalar(select(func.count()).select_from(ReportRun).where(mine))
    runs = session.scalars(select(ReportRun).where(mine).order_by(ReportRun.id.desc())
                           .offset((args["page"] - 1) * args["size"]).limit(args["size"])).all()
    return page(runs, total, args)


@blp.route("/reports/<name>/runs", methods=["POST"])
@require_api(REVIEW_WEEDING)
@blp.arguments(RunIn)
@blp.response(201, RunSummary)
@documented(blp, 401, 403, 404, 422)
def run_report(data, name):
    """Run the report now: the run is kept and mailed to the schedule's
    recipients. Answers with the run's id and ``row_count``."""
    done = reporting.run(db_session(), name, params=data["params"], site_url=current_app.config["SITE_URL"])
    return done, 201


@blp.route("/reports/<name>/schedule", methods=["PATCH"])
@require_api(REVIEW_WEEDING)
@blp.arguments(ScheduleIn)
@blp.response(200, ScheduleOut)
@documented(blp, 401, 403, 404, 409, 422)
def schedule_report(data, name):
    """Change when the report runs, for whom, with what parameters; send the
    version read (a stale one is a 409)."""
    version = data.pop("version")
    service = reporting.ScheduleService(db_session(), api_user())
    return service.save(name, data, expected_version=version).as_dict()


@blp.route("/reports/runs/<int:run_id>", methods=["GET"])
@require_api(VIEW_STAFF)
@blp.response(200, Run)
@documented(blp, 401, 403, 404)
def get_run(run_id):
    """A run with its rows."""
    done = db_session().get(ReportRun, run_id) if 0 < run_id <= MAX_ID else None
    if done is None:
        raise NotFound(N_("There is no report run number %(id)s."), id=run_id)
    return done
