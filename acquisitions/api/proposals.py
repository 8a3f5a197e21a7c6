"""Proposals under /api/v1/proposals: list, propose (with the duplicate
check), read, change, support, comment and move."""
from __future__ import annotations

from flask import current_app, url_for

from accounts.permissions import PROPOSE_ACQUISITION, VIEW_STAFF
from acquisitions.api import schemas
from acquisitions.services.demand import demand
from acquisitions.services.moves import MoveService
from acquisitions.services.proposals import ProposalService, snapshot
from core.web.api import api_user, blueprint, db_session, documented, page, require_api

blp = blueprint("proposals", "Acquisition proposals: the duplicate check, support across poles, and their states.")


def proposals() -> ProposalService:
    return ProposalService(db_session(), api_user())


def moves() -> MoveService:
    return MoveService(db_session(), api_user(), fiscal_start=current_app.config["FISCAL_YEAR_START_MONTH"])


def as_json(proposal, service: ProposalService | None = None, *, detail: bool = False) -> dict:
    service = service or proposals()
    support = service.support_of(proposal)
    data = dict(snapshot(proposal), support={"total": support.total, "by_pole": support.by_pole},
                moves=[m.target.value for m in moves().offered(proposal)])
    if detail:
        data["events"] = [{"from_status": e.from_status.value if e.from_status else None,
                           "to_status": e.to_status.value, "at": e.at.isoformat(),
                           "actor": e.actor.username if e.actor else None, "comment": e.comment,
                           "reason_code": e.reason_code, "details": e.details} for e in proposal.events]
        data["comments"] = [{"id": c.id, "author": c.author.username if c.author else None,
                             "at": c.at.isoformat(), "text": c.text} for c in proposal.comments]
        data["demand"] = [{"month": m.month.strftime("%Y-%m"), "searches": m.searches,
                           "zero_results": m.zero_results} for m in demand(db_session(), proposal.queries)]
    return data


@blp.route("/proposals", methods=["GET"])
@require_api(VIEW_STAFF)
@blp.arguments(schemas.ProposalListArgs, location="query")
@blp.response(200, schemas.ProposalPage)
@documented(blp, 401, 403, 422)
def list_proposals(args):
    """Proposals, most recent first."""
    service = proposals()
    found, total = service.list(status=args.get("status"), pole=args.get("pole"), text=args.get("q"),
                                proposed_by=api_user().id if args.get("mine") else None,
                                page=args["page"], size=args["size"])
    return page([as_json(p, service) for p in found], total, args)


@blp.route("/proposals", methods=["POST"])
@require_api(PROPOSE_ACQUISITION)
@blp.arguments(schemas.ProposalIn)
@blp.response(201, schemas.Proposal)
@documented(blp, 401, 403, 409, 422)
def propose(data):
    """Propose a work. 409 ``already_in_catalogue`` (with ``matches``) when the
    catalogue seems to hold it, unless ``confirm_duplicate``; 409
    ``already_proposed`` (with ``proposal_id``) when an open proposal names it."""
    confirm = data.pop("confirm_duplicate", False)
    proposal = proposals().create(data, confirm_duplicate=confirm)
    return as_json(proposal), 201, {"Location": url_for("proposals.get_proposal", proposal_id=proposal.id)}


@blp.route("/proposals/<int:proposal_id>", methods=["GET"])
@require_api(VIEW_STAFF)
@blp.response(200, schemas.ProposalDetail)
@documented(blp, 401, 403, 404)
def get_proposal(proposal_id):
    """A proposal with its history, comments and the demand behind it, month by month."""
    return as_json(proposals().get(proposal_id), detail=True)


@blp.route("/proposals/<int:proposal_id>", methods=["PATCH"])
@require_api(PROPOSE_ACQUISITION)
@blp.arguments(schemas.ProposalUpdate)
@blp.response(200, schemas.Proposal)
@documented(blp, 401, 403, 404, 409, 422)
def update_proposal(data, proposal_id):
    """Change a proposal's fields until it is decided (409 on a stale ``version``)."""
    version = data.pop("version")
    return as_json(proposals().update(proposal_id, data, expected_version=version))


@blp.route("/proposals/<int:proposal_id>/supports", methods=["POST"])
@require_api(PROPOSE_ACQUISITION)
@blp.arguments(schemas.SupportIn)
@blp.response(201, schemas.SupportOut)
@documented(blp, 401, 403, 404, 409, 422)
def support(data, proposal_id):
    """"Moi aussi": back the proposal, once per person (a second time: 409)."""
    service = proposals()
    backing = service.support(proposal_id, data.get("comment"))
    counted = service.support_of(service.get(proposal_id))
    return {"id": backing.id, "proposal_id": proposal_id, "user": api_user().username,
            "pole": backing.pole.value if backing.pole else None, "comment": backing.comment,
            "at": backing.at.isoformat(), "support": {"total": counted.total, "by_pole": counted.by_pole}}, 201


@blp.route("/proposals/<int:proposal_id>/comments", methods=["POST"])
@require_api(PROPOSE_ACQUISITION)
@blp.arguments(schemas.CommentIn)
@blp.response(201, schemas.Comment)
@documented(blp, 401, 403, 404, 422)
def comment(data, proposal_id):
    """Comment on a proposal."""
    made = proposals().comment(proposal_id, data["text"])
    return {"id": made.id, "author": api_user().username, "at": made.at.isoformat(), "text": made.text}, 201


@blp.route("/proposals/<int:proposal_id>/transitions", methods=["POST"])
@require_api(VIEW_STAFF)
@blp.arguments(schemas.ProposalMoveIn)
@blp.response(200, schemas.Proposal)
@documented(blp, 401, 403, 404, 409, 422)
def transition(data, proposal_id):
    """Move a proposal to another state (``to``), at ``version``. 409 for a move
    outside the graph (``allowed`` lists the possible ones), a stale version
    (``current`` and ``submitted``) or a fund that cannot pay (``over_budget``,
    with ``remaining``); 403 for the wrong role (``allowed_roles``)."""
    target, version = data.pop("to"), data.pop("version")
    proposal = moves().move(proposal_id, target, expected_version=version, data=data)
    return as_json(proposal)
