"""Weeding campaigns under /api/v1/weeding/campaigns: open one over a scope,
read its candidates with their reasons, add or exclude copies, vote (the
counsellors of its poles), decide (librarians, one by one or in bulk) and
close it with its report."""
from __future__ import annotations

from flask import url_for
from flask_babel import get_locale, gettext

from accounts.permissions import EDIT_CATALOGUE, REVIEW_WEEDING, VIEW_STAFF
from core.web.api import api_user, blueprint, db_session, documented, page, require_api
from weeding.api import schemas
from weeding.present import campaign_json, candidate_json
from weeding.services.campaigns import CampaignService
from weeding.services.decisions import DecisionService
from weeding.services.votes import VoteService, vote_state

blp = blueprint("weeding-campaigns", "Weeding campaigns: candidates with their reasons, votes and decisions.")


def campaigns() -> CampaignService:
    return CampaignService(db_session(), api_user())


def _candidate(candidate) -> dict:
    return candidate_json(candidate, gettext, str(get_locale() or "fr"))


@blp.route("/weeding/campaigns", methods=["GET"])
@require_api(VIEW_STAFF)
@blp.arguments(schemas.CampaignListArgs, location="query")
@blp.response(200, schemas.Campaign(many=True))
@documented(blp, 401, 403, 422)
def list_campaigns(args):
    """Campaigns, newest first."""
    return [campaign_json(db_session(), c) for c in campaigns().list(status=args.get("status"))]


@blp.route("/weeding/campaigns", methods=["POST"])
@require_api(REVIEW_WEEDING)
@blp.arguments(schemas.CampaignIn)
@blp.response(201, schemas.Campaign)
@documented(blp, 401, 403, 422)
def open_campaign(data):
    """Open a campaign over ``scope`` with the ``rules`` (default: every active
    rule); its candidates are computed at once from the database."""
    campaign = campaigns().open(data)
    return (campaign_json(db_session(), campaign), 201,
            {"Location": url_for("weeding-campaigns.get_campaign", campaign_id=campaign.id)})


@blp.route("/weeding/campaigns/<int:campaign_id>", methods=["GET"])
@require_api(VIEW_STAFF)
@blp.response(200, schemas.Campaign)
@documented(blp, 401, 403, 404)
def get_campaign(campaign_id):
    """A campaign with each pole's progress, who has not reviewed yet, and its report."""
    return campaign_json(db_session(), campaigns().get(campaign_id), detail=True)


@blp.route("/weeding/campaigns/<int:campaign_id>/candidates", methods=["GET"])
@require_api(VIEW_STAFF)
@blp.arguments(schemas.CandidateArgs, location="query")
@blp.response(200, schemas.CandidatePage)
@documented(blp, 401, 403, 404, 422)
def list_candidates(args, campaign_id):
    """Candidates with their reasons (``code`` and figures), votes and decision."""
    found, total = campaigns().candidates(campaign_id, state=args["state"], pole=args.get("pole"),
                                          page=args["page"], size=args["size"])
    return page([_candidate(c) for c in found], total, args)


@blp.route("/weeding/campaigns/<int:campaign_id>/candidates", methods=["POST"])
@require_api(EDIT_CATALOGUE)
@blp.arguments(schemas.AddIn)
@blp.response(201, schemas.Candidate)
@documented(blp, 401, 403, 404, 409, 422)
def add_candidate(data, campaign_id):
    """Add a copy by hand (with the reasons the rules give it, if any)."""
    return _candidate(campaigns().add(campaign_id, data["item_id"], comment=data.get("comment"))), 201


@blp.route("/weeding/campaigns/<int:campaign_id>/exclusions", methods=["POST"])
@require_api(EDIT_CATALOGUE)
@blp.arguments(schemas.ExcludeIn)
@blp.response(200, schemas.Candidate)
@documented(blp, 401, 403, 404, 409, 422)
def exclude(data, campaign_id):
    """Exclude a candidate, saying why."""
    return _candidate(campaigns().exclude(campaign_id, data["item_id"], reason=data["reason"],
                                          expected_version=data.get("version")))


@blp.route("/weeding/campaigns/<int:campaign_id>/inclusions", methods=["POST"])
@require_api(EDIT_CATALOGUE)
@blp.arguments(schemas.IncludeIn)
@blp.response(200, schemas.Candidate)
@documented(blp, 401, 403, 404, 409, 422)
def include(data, campaign_id):
    """Take an excluded candidate back."""
    return _candidate(campaigns().include(campaign_id, data["item_id"]))


@blp.route("/weeding/campaigns/<int:campaign_id>/votes", methods=["POST"])
@require_api(VIEW_STAFF)
@blp.arguments(schemas.VoteIn)
@blp.response(200, schemas.VoteOut)
@documented(blp, 401, 403, 404, 409, 422)
def vote(data, campaign_id):
    """A counsellor's vote for their pole: keep, withdraw, replace, transfer or
    repair, with checklist flags and a comment. 403 for another role or a
    pole outside the campaign's; 201 for a first vote, 200 for a change."""
    made, changed = VoteService(db_session(), api_user()).vote(
        campaign_id, data["item_id"], data["vote"], flags=data.get("flags"), comment=data.get("comment"),
        expected_version=data.get("version"))
    db_session().flush()
    body = {**vote_state(made), "item_id": data["item_id"], "changed": changed,
            "candidate_version": made.candidate.version}
    return body, 201 if changed and made.version == 1 else 200


@blp.route("/weeding/campaigns/<int:campaign_id>/decisions", methods=["POST"])
@require_api(REVIEW_WEEDING)
@blp.arguments(schemas.DecisionIn)
@blp.response(200, schemas.DecisionOut)
@documented(blp, 401, 403, 404, 409, 422)
def decide(data, campaign_id):
    """The librarian's decision for one candidate (``replace`` returns the
    ``proposal_id`` it created). The same decision again changes nothing;
    another one after it is a 409; a stale ``version`` is a 409."""
    candidate, changed = DecisionService(db_session(), api_user()).decide(
        campaign_id, data["item_id"], data["decision"], disposal=data.get("disposal"),
        comment=data.get("comment"), expected_version=data.get("version"))
    return {"item_id": candidate.item_id, "decision": candidate.decision.value,
            "disposal": candidate.disposal.value if candidate.disposal else None,
            "proposal_id": candidate.proposal_id, "changed": changed, "version": candidate.version,
            "item_status": candidate.item.status.value}


@blp.route("/weeding/campaigns/<int:campaign_id>/decisions/bulk", methods=["POST"])
@require_api(REVIEW_WEEDING)
@blp.arguments(schemas.BulkIn)
@blp.response(200, schemas.BulkOut)
@documented(blp, 401, 403, 404, 409, 422)
def decide_in_bulk(data, campaign_id):
    """One decision for many candidates (default: every pending one). Those a
    counsellor voted to keep are never decided this way: they come back in
    ``kept_by_vote``, to be decided one by one."""
    result = DecisionService(db_session(), api_user()).bulk(
        campaign_id, data["decision"], item_ids=data.get("item_ids"), disposal=data.get("disposal"),
        comment=data.get("comment"))
    return result.__dict__


@blp.route("/weeding/campaigns/<int:campaign_id>/close", methods=["POST"])
@require_api(REVIEW_WEEDING)
@blp.arguments(schemas.CloseIn)
@blp.response(200, schemas.Campaign)
@documented(blp, 401, 403, 404, 409, 422)
def close(data, campaign_id):
    """Close the campaign: its report gets the age profile after."""
    campaign = campaigns().close(campaign_id, expected_version=data.get("version"))
    return campaign_json(db_session(), campaign, detail=True)
