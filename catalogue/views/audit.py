from __future__ import annotations

from flask import render_template, request

from accounts.permissions import VIEW_AUDIT
from catalogue.views import bp
from core.audit import AuditTrail
from core.web.auth import require
from core.web.helpers import page_args, pagination
from core.web.transaction import db_session

ACTIONS = ("create", "update", "delete", "use")


@bp.route("/staff/audit")
@require(VIEW_AUDIT)
def audit():
    page, size = page_args(50)
    action = request.args.get("action") if request.args.get("action") in ACTIONS else None
    events, total = AuditTrail(db_session()).events(action=action, page=page, size=size)
    return render_template("audit/list.html", events=events, action=action, actions=ACTIONS,
                           paging=pagination(total, page, size))
