from __future__ import annotations

from flask_babel import gettext

from accounts.permissions import VIEW_AUDIT
from catalogue.api import schemas
from catalogue.vocab import (
    Audience,
    Condition,
    ContributorRole,
    DocumentType,
    ItemStatus,
    Library,
    SubscriptionStatus,
)
from core.audit import AuditTrail
from core.vocab import Pole
from core.web.api import blueprint, db_session, documented, page, require_api

blp = blueprint("meta", "Audit trail and controlled vocabularies.")

VOCABULARIES = {
    "document_type": DocumentType, "audience": Audience, "pole": Pole, "contributor_role": ContributorRole,
    "subscription_status": SubscriptionStatus, "library": Library, "item_status": ItemStatus,
    "condition": Condition,
}


def audit_event(event) -> dict:
    return {"id": event.id, "at": event.at.isoformat(), "actor": event.actor.username if event.actor else None,
            "action": event.action, "entity_type": event.entity_type, "entity_id": event.entity_id,
            "record_id": event.record_id, "label": event.label, "changes": event.changes}


@blp.route("/audit", methods=["GET"])
@require_api(VIEW_AUDIT)
@blp.arguments(schemas.AuditArgs, location="query")
@blp.response(200, schemas.AuditPage)
@documented(blp, 401, 403, 422)
def list_audit(args):
    """The audit trail, most recent first."""
    events, total = AuditTrail(db_session()).events(
        record_id=args.get("record_id"), action=args.get("action"), page=args["page"], size=args["size"])
    return page([audit_event(e) for e in events], total, args)


@blp.route("/vocabularies", methods=["GET"])
@blp.response(200)
@blp.doc(security=[])
def vocabularies():
    """Codes of the controlled values and their labels in the request's language. Public."""
    return {name: [{"code": m.value, "label": gettext(m.label)} for m in vocabulary]
            for name, vocabulary in VOCABULARIES.items()}
