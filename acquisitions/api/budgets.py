"""Budgets under /api/v1/budgets and funds under /api/v1/funds."""
from __future__ import annotations

from flask import current_app

from accounts.permissions import MANAGE_BUDGETS, MANAGE_FUNDS, VIEW_STAFF
from acquisitions.api import schemas
from acquisitions.services.budgets import BudgetService, fiscal_year
from core.db import utcnow
from core.web.api import api_user, blueprint, db_session, documented, require_api

blp = blueprint("budgets", "Funds per advice pole and year: allocated, committed, spent and remaining.")


def budgets() -> BudgetService:
    return BudgetService(db_session(), api_user())


@blp.route("/budgets", methods=["GET"])
@require_api(VIEW_STAFF)
@blp.arguments(schemas.BudgetArgs, location="query")
@blp.response(200, schemas.Budget)
@documented(blp, 401, 403, 422)
def get_budget(args):
    """Each fund of a fiscal year with its figures, as decimal strings."""
    year = args.get("year") or fiscal_year(utcnow().date(), current_app.config["FISCAL_YEAR_START_MONTH"])
    return {"year": year, "items": [f.as_dict() for f in budgets().figures(year)]}


@blp.route("/funds", methods=["POST"])
@require_api(MANAGE_FUNDS)
@blp.arguments(schemas.FundIn)
@blp.response(201, schemas.FundFigures)
@documented(blp, 401, 403, 422)
def create_fund(data):
    """Open a fund for a year (administrators)."""
    service = budgets()
    fund = service.create(data.pop("year"), data.pop("code"), data)
    return service.figures_of(fund).as_dict(), 201


@blp.route("/funds/<int:fund_id>", methods=["PATCH"])
@require_api(MANAGE_BUDGETS)
@blp.arguments(schemas.FundUpdate)
@blp.response(200, schemas.FundFigures)
@documented(blp, 401, 403, 404, 409, 422)
def update_fund(data, fund_id):
    """Change a fund's allocation, warning threshold or holder (librarians)."""
    service = budgets()
    fund = service.update(fund_id, data, expected_version=data.pop("version"))
    return service.figures_of(fund).as_dict()
