"""Weeding rules under /api/v1/weeding/rules: read by all staff, written by librarians."""
from __future__ import annotations

from flask import url_for

from accounts.permissions import REVIEW_WEEDING, VIEW_STAFF
from core.web.api import api_user, blueprint, db_session, documented, require_api
from weeding.api import schemas
from weeding.services.rules import RuleService, rule_fields

blp = blueprint("weeding-rules", "Weeding rules: scopes and CREW-like criteria, as data.")


def as_json(rule) -> dict:
    return {"id": rule.id, "version": rule.version, **rule_fields(rule)}


@blp.route("/weeding/rules", methods=["GET"])
@require_api(VIEW_STAFF)
@blp.arguments(schemas.RuleListArgs, location="query")
@blp.response(200, schemas.Rule(many=True))
@documented(blp, 401, 403, 422)
def list_rules(args):
    """The rules in the order they judge: the first whose scope covers a copy judges it."""
    return [as_json(r) for r in RuleService(db_session()).list(active_only=bool(args.get("active")))]


@blp.route("/weeding/rules", methods=["POST"])
@require_api(REVIEW_WEEDING)
@blp.arguments(schemas.RuleIn)
@blp.response(201, schemas.Rule)
@documented(blp, 401, 403, 422)
def create_rule(data):
    """A new rule; a criterion left out is not applicable."""
    rule = RuleService(db_session(), api_user()).create(data)
    return as_json(rule), 201, {"Location": url_for("weeding-rules.get_rule", rule_id=rule.id)}


@blp.route("/weeding/rules/<int:rule_id>", methods=["GET"])
@require_api(VIEW_STAFF)
@blp.response(200, schemas.Rule)
@documented(blp, 401, 403, 404)
def get_rule(rule_id):
    return as_json(RuleService(db_session()).get(rule_id))


@blp.route("/weeding/rules/<int:rule_id>", methods=["PATCH"])
@require_api(REVIEW_WEEDING)
@blp.arguments(schemas.RuleUpdate)
@blp.response(200, schemas.Rule)
@documented(blp, 401, 403, 404, 409, 422)
def update_rule(data, rule_id):
    """Change a rule at ``version`` (409 when someone changed it meanwhile)."""
    version = data.pop("version")
    return as_json(RuleService(db_session(), api_user()).update(rule_id, data, expected_version=version))
