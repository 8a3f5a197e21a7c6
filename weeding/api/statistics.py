"""Use statistics under /api/v1/statistics: consultations over a period and
the collection's age profile."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from accounts.permissions import VIEW_STAFF
from core.db import utcnow
from core.web.api import Strict, blueprint, db_session, documented, require_api
from weeding.services import statistics
from weeding.views.statistics import current_consultations, portals_by_slug, value_label

blp = blueprint("weeding-statistics", "Use statistics: consultations (in-house uses counted by scanning "
                                      "barcodes) by month, pole, document type or portal, and the "
                                      "collection's age profile.")

MONTH = validate.Regexp(r"^\d{4}-\d{2}$", error="Give a month as YYYY-MM.")


class ConsultationArgs(Strict):
    by = fields.String(load_default="month", validate=validate.OneOf(statistics.BY))
    from_ = fields.String(data_key="from", validate=MONTH, metadata={
        "description": "First month, YYYY-MM; default: 35 months before the current one."})
    to = fields.String(validate=MONTH, metadata={
        "description": "Last month, YYYY-MM; default: the current one."})


class ConsultationRow(Schema):
    value = fields.String(metadata={"description": "The month (YYYY-MM), or the pole's, document type's or "
                                                   "portal's code (\"\" for works of no pole)."})
    label = fields.String(metadata={"description": "The value in the request's language."})
    uses = fields.Integer()


class ConsultationsOut(Schema):
    by = fields.String()
    from_ = fields.String(data_key="from")
    to = fields.String()
    total = fields.Integer(metadata={"description": "Every use of the period, each counted once (a work of "
                                                    "two poles or portals counts in both rows)."})
    rows = fields.List(fields.Nested(ConsultationRow), metadata={
        "description": "by=month: every month of the period in order; otherwise each value, most used "
                       "first."})


class ProfileArgs(Strict):
    by = fields.String(load_default="publication", validate=validate.OneOf(statistics.PROFILES))


class ProfileRow(Schema):
    year = fields.Integer(allow_none=True, metadata={"description": "null: the year is unknown."})
    copies = fields.Integer()


class ProfileOut(Schema):
    by = fields.String()
    total = fields.Integer()
    rows = fields.List(fields.Nested(ProfileRow), metadata={"description": "Years ascending, unknown last."})


@blp.route("/statistics/consultations", methods=["GET"])
@require_api(VIEW_STAFF)
@blp.arguments(ConsultationArgs, location="query")
@blp.response(200, ConsultationsOut)
@documented(blp, 401, 403, 422)
def get_consultations(args):
    """Consultations over a period of months, by month or per pole, document
    type or portal, up to the last scan."""
    first, last = statistics.period(args.get("from_"), args.get("to"), utcnow().date())
    by = args["by"]
    figures = current_consultations(first, last, kinds=(by,))[by]
    portals = portals_by_slug()
    rows = [{"value": value.strftime("%Y-%m") if by == "month" else value,
             "label": value_label(by, value, portals), "uses": uses} for value, uses in figures.rows]
    return {"by": by, "from_": f"{first:%Y-%m}", "to": f"{last:%Y-%m}", "total": figures.total, "rows": rows}


@blp.route("/statistics/age-profile", methods=["GET"])
@require_api(VIEW_STAFF)
@blp.arguments(ProfileArgs, location="query")
@blp.response(200, ProfileOut)
@documented(blp, 401, 403, 422)
def get_age_profile(args):
    """Copies the centre holds (not withdrawn, not the main library's) by year
    of publication or of acquisition."""
    rows = statistics.age_profile(db_session(), by=args["by"])
    return {"by": args["by"], "total": sum(copies for _, copies in rows),
            "rows": [{"year": year, "copies": copies} for year, copies in rows]}
