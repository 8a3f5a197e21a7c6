"""The counsellors' review: the open campaigns of their pole, then one
candidate at a time with its figures and the others' votes, voted from the
keyboard. A plain form (CSRF, one submit button per vote) that moves on to
the next candidate this counsellor has not voted on; weeding/static/review.js
only adds key bindings to what the access keys already do."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext
from flask_login import current_user
from sqlalchemy import select

from accounts.permissions import VOTE_WEEDING
from core.errors import CatalogueError, PermissionDenied, ValidationFailed, VersionConflict
from core.web.auth import require
from core.web.errors import translate
from core.web.helpers import services, show_errors
from core.web.transaction import db_session
from weeding.errors import CampaignClosed
from weeding.forms import VoteForm
from weeding.models import WeedingCampaign, WeedingCandidate, WeedingVote
from weeding.present import candidate_json
from weeding.services.campaigns import CampaignService
from weeding.services.votes import VoteService, votes_due
from weeding.views import bp
from weeding.views.campaign_page import words
from weeding.vocab import CampaignStatus, Verdict

# The vote buttons in order, with their access keys (a second key works with review.js).
KEYS = {"keep": ("k", "g"), "withdraw": ("r", None), "replace": ("p", None), "transfer": ("t", None),
        "repair": ("a", None)}
NEXT_KEY, PREVIOUS_KEY = "j", "n"


def my_pole() -> str | None:
    return getattr(current_user.pole, "value", current_user.pole)


def left_to_review(campaign_id: int):
    """The candidates left to review: not excluded, not decided."""
    return select(WeedingCandidate.id, WeedingCandidate.item_id).where(
        WeedingCandidate.campaign_id == campaign_id, WeedingCandidate.excluded_at.is_(None),
        WeedingCandidate.decision.is_(None))


def queue(campaign_id: int) -> list[tuple[int, int]]:
    """(candidate id, item id) of what is left to review, in the list's order."""
    query = left_to_review(campaign_id).order_by(WeedingCandidate.id)
    return [(candidate_id, item_id) for candidate_id, item_id in db_session().execute(query)]


def voted(campaign_id: int) -> set[int]:
    """The candidates left to review this counsellor has voted on (ids)."""
    left = left_to_review(campaign_id).with_only_columns(WeedingCandidate.id)
    return set(db_session().scalars(select(WeedingVote.candidate_id).where(
        WeedingVote.user_id == current_user.id, WeedingVote.candidate_id.in_(left))))


def reviewed_campaign(campaign_id: int) -> WeedingCampaign:
    """The campaign, if this counsellor's pole reviews it (else 403); open (else a 409 page)."""
    campaign = CampaignService(db_session()).get(campaign_id)
    if my_pole() not in (campaign.poles or []):
        abort(403)
    if campaign.status is not CampaignStatus.OPEN:
        raise CampaignClosed()
    return campaign


@bp.route("/staff/weeding/review")
@require(VOTE_WEEDING)
def review_queue():
    rows = votes_due(db_session(), current_user.id, my_pole())
    return render_template("weeding/review_queue.html", rows=rows, pole=my_pole(), **words())


@bp.route("/staff/weeding/campaigns/<int:campaign_id>/review", methods=["GET", "POST"])
@require(VOTE_WEEDING)
def review(campaign_id):
    campaign = reviewed_campaign(campaign_id)
    if request.method == "GET":
        return render_review(campaign, _number(request.args.get("item")))
    form = VoteForm()
    if not form.validate_on_submit():
        abort(400)
    item_id = _number(form.item_id.data)
    version = _number(form.version.data)
    try:
        made, changed = services(VoteService).vote(
            campaign.id, item_id, form.vote.data, flags=form.flags.data or [], comment=form.comment.data,
            expected_version=version)
    except ValidationFailed as error:
        db_session().rollback()
        unplaced = show_errors(form, error)
        return render_review(campaign, item_id, form=form, alert=" ".join(unplaced) or None, status=422)
    except VersionConflict as error:
        db_session().rollback()
        return render_review(campaign, item_id, alert=translate(error.message, error.params), status=409)
    except CatalogueError as error:  # decided meanwhile, closed, not one's pole
        db_session().rollback()
        status = 403 if isinstance(error, PermissionDenied) else 409
        return render_review(campaign, item_id, alert=translate(error.message, error.params), status=status)
    if changed:
        flash(gettext("Your vote on %(barcode)s is recorded: %(vote)s.", barcode=made.candidate.item.barcode,
                      vote=gettext(made.vote.label).lower()), "success")
    following = next_to_review(campaign.id, after=item_id)
    return redirect(url_for("weeding.review", campaign_id=campaign.id, **({"item": following} if following else {})))


def next_to_review(campaign_id: int, *, after: int | None, left=None, mine=None) -> int | None:
    """The item of the next candidate this counsellor has not voted on,
    after ``after`` in the list's order and then from the start."""
    left = queue(campaign_id) if left is None else left
    mine = voted(campaign_id) if mine is None else mine
    items = [item_id for _, item_id in left]
    start = items.index(after) if after in items else -1
    unvoted = [(n, item_id) for n, (candidate_id, item_id) in enumerate(left) if candidate_id not in mine]
    later = [item_id for n, item_id in unvoted if n > start]
    return (later or [item_id for _, item_id in unvoted] or [None])[0]


def render_review(campaign: WeedingCampaign, item_id: int | None, *, form: VoteForm | None = None,
                  alert: str | None = None, status: int = 200):
    left = queue(campaign.id)
    mine = voted(campaign.id)
    items = [item for _, item in left]
    if item_id not in items:
        item_id = next_to_review(campaign.id, after=None, left=left, mine=mine)
    context = {"campaign": campaign, "total": len(items), "remaining": len(items) - len(mine), "alert": alert,
               "keys": KEYS, "next_key": NEXT_KEY, "previous_key": PREVIOUS_KEY, "verdicts": list(Verdict),
               "first": items[0] if items else None, **words()}
    if item_id is None:
        return render_template("weeding/review.html", candidate=None, **context), status
    index = items.index(item_id)
    candidate_id = left[index][0]
    candidate = db_session().get(WeedingCandidate, candidate_id)
    vote = next((v for v in candidate.votes if v.user_id == current_user.id), None)
    if form is None:
        form = VoteForm(formdata=None, data={
            "item_id": str(item_id), "version": str(vote.version if vote else 0),
            "flags": list(vote.flags or []) if vote else [], "comment": vote.comment if vote else ""})
    others = [v for v in candidate.votes if v.user_id != current_user.id]
    return render_template(
        "weeding/review.html", candidate=candidate, data=candidate_json(candidate, gettext, str(get_locale() or "fr")),
        position=index + 1, previous=items[index - 1] if index > 0 else None,
        next=items[index + 1] if index + 1 < len(items) else None, mine=vote, others=others, form=form,
        **context), status


def _number(value) -> int | None:
    text = str(value or "").strip()
    return int(text) if text.isdigit() and len(text) < 19 else None
