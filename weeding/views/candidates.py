"""The forms posted from a campaign's page: a librarian's decision on one
candidate or on every pending one (never over a keep vote), and the staff
adding a copy by barcode, excluding a candidate with a reason or taking it
back. Each one goes back to the page where it was posted, at the same
filter and page; errors show on the page again, on the form's fields (422),
or on top when the candidate changed meanwhile (409: nothing is
overwritten)."""
from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_babel import gettext, ngettext

from accounts.permissions import EDIT_CATALOGUE, REVIEW_WEEDING
from catalogue.services.items import ItemService
from core.errors import CatalogueError, PermissionDenied, ValidationFailed
from core.web.auth import require
from core.web.errors import translate
from core.web.helpers import services, show_errors
from core.web.transaction import db_session
from weeding.forms import AddForm, BulkForm, DecisionForm, ExcludeForm, IncludeForm
from weeding.services.campaigns import CampaignService
from weeding.services.decisions import DecisionService
from weeding.views import bp
from weeding.views.campaign_page import listing_args, render_campaign

LISTED = 20  # barcodes named in the message after a bulk decision; the rest are counted


def back(campaign_id: int, anchor: str = "candidates", **args):
    """The campaign's page at the filter and page the form was posted from."""
    state, page, _ = listing_args()
    if state != "all":
        args.setdefault("state", state)
    if page > 1:
        args.setdefault("page", page)
    return redirect(url_for("weeding.campaign", campaign_id=campaign_id, **args) + f"#{anchor}")


def version_of(form) -> int:
    try:
        return int(form.version.data or -1)
    except ValueError:
        return -1


def refused(campaign_id: int, error: CatalogueError):
    """The page again with the change undone and the reason on top: 409, or 403."""
    db_session().rollback()
    status = 403 if isinstance(error, PermissionDenied) else 409
    return render_campaign(CampaignService(db_session()).get(campaign_id),
                           alert=translate(error.message, error.params), status=status)


def posted(form):
    """The form as posted from the page, or 400: without its CSRF token (or
    with a field no page sends) it did not come from there."""
    if not form.validate_on_submit():
        abort(400)
    return form


def invalid(campaign_id: int, form, error: ValidationFailed, **shown):
    """The page again, the change undone, the errors on the form's fields or,
    for those no field holds, on top: 422. ``shown``: where the form shows."""
    db_session().rollback()
    unplaced = show_errors(form, error)
    return render_campaign(CampaignService(db_session()).get(campaign_id), alert=" ".join(unplaced) or None,
                           status=422, **shown)


@bp.route("/staff/weeding/campaigns/<int:campaign_id>/candidates/<int:item_id>/decision", methods=["POST"])
@require(REVIEW_WEEDING)
def decide(campaign_id, item_id):
    form = posted(DecisionForm(prefix=f"d{item_id}"))
    try:
        candidate, changed = services(DecisionService).decide(
            campaign_id, item_id, form.decision.data, disposal=form.disposal.data or None,
            comment=form.comment.data, expected_version=version_of(form))
    except ValidationFailed as error:
        return invalid(campaign_id, form, error, failed=(item_id, "decide", form))
    except CatalogueError as error:
        return refused(campaign_id, error)
    if changed:
        flash(gettext("%(barcode)s: decided, %(decision)s.", barcode=candidate.item.barcode,
                      decision=gettext(candidate.decision.label).lower()), "success")
    else:
        flash(gettext("%(barcode)s was already decided so: nothing changed.", barcode=candidate.item.barcode),
              "info")
    return back(campaign_id, f"c{item_id}")


@bp.route("/staff/weeding/campaigns/<int:campaign_id>/decisions", methods=["POST"])
@require(REVIEW_WEEDING)
def decide_in_bulk(campaign_id):
    form = posted(BulkForm())
    try:
        result = services(DecisionService).bulk(campaign_id, form.decision.data,
                                                disposal=form.disposal.data or None, comment=form.comment.data)
    except ValidationFailed as error:
        return invalid(campaign_id, form, error, bulk_form=form)
    except CatalogueError as error:
        return refused(campaign_id, error)
    flash(ngettext("%(num)s candidate decided.", "%(num)s candidates decided.", len(result.decided)), "success")
    if not result.kept_by_vote:
        return back(campaign_id)
    barcodes = [c.item.barcode for c in CampaignService(db_session()).candidates(
        campaign_id, state="pending", size=LISTED)[0] if c.item_id in set(result.kept_by_vote)]
    more = len(result.kept_by_vote) - len(barcodes)
    flash(ngettext("%(num)s candidate a counsellor voted to keep was left out: decide it below, one by one.",
                   "%(num)s candidates a counsellor voted to keep were left out: decide them below, one by one.",
                   len(result.kept_by_vote))
          + " " + ", ".join(barcodes) + (" " + gettext("and %(num)s more", num=more) if more > 0 else ""),
          "info")
    return redirect(url_for("weeding.campaign", campaign_id=campaign_id, state="pending") + "#candidates")


@bp.route("/staff/weeding/campaigns/<int:campaign_id>/candidates", methods=["POST"])
@require(EDIT_CATALOGUE)
def add_candidate(campaign_id):
    campaigns = services(CampaignService)
    form = posted(AddForm())
    barcode = (form.barcode.data or "").strip()
    item = ItemService(db_session()).by_barcode(barcode) if barcode else None
    if item is None:
        form.barcode.errors = [gettext("No copy has this barcode: check it, or scan it again.")]
        return render_campaign(campaigns.get(campaign_id), add_form=form, status=422)
    try:
        candidate = campaigns.add(campaign_id, item.id, comment=form.comment.data)
    except ValidationFailed as error:
        db_session().rollback()
        show_errors(form, ValidationFailed({"barcode" if k == "item_id" else k: v for k, v in error.fields.items()}))
        return render_campaign(campaigns.get(campaign_id), add_form=form, status=422)
    except CatalogueError as error:
        return refused(campaign_id, error)
    flash(gettext("%(barcode)s is a candidate of the campaign.", barcode=candidate.item.barcode), "success")
    return back(campaign_id, f"c{candidate.item_id}")


@bp.route("/staff/weeding/campaigns/<int:campaign_id>/candidates/<int:item_id>/exclusion", methods=["POST"])
@require(EDIT_CATALOGUE)
def exclude_candidate(campaign_id, item_id):
    form = posted(ExcludeForm(prefix=f"x{item_id}"))
    try:
        candidate = services(CampaignService).exclude(campaign_id, item_id, reason=form.reason.data,
                                                      expected_version=version_of(form))
    except ValidationFailed as error:
        return invalid(campaign_id, form, error, failed=(item_id, "exclude", form))
    except CatalogueError as error:
        return refused(campaign_id, error)
    flash(gettext("%(barcode)s is excluded from the campaign.", barcode=candidate.item.barcode), "success")
    return back(campaign_id)


@bp.route("/staff/weeding/campaigns/<int:campaign_id>/candidates/<int:item_id>/inclusion", methods=["POST"])
@require(EDIT_CATALOGUE)
def include_candidate(campaign_id, item_id):
    form = posted(IncludeForm(prefix=f"i{item_id}"))
    campaigns = services(CampaignService)
    try:
        was_excluded = campaigns.candidate(campaigns.open_campaign(campaign_id), item_id,
                                           excluded_ok=True).excluded_at is not None
        candidate = campaigns.include(campaign_id, item_id, expected_version=version_of(form))
    except ValidationFailed as error:  # no such candidate: no field of the form to show it on
        return invalid(campaign_id, form, error)
    except CatalogueError as error:
        return refused(campaign_id, error)
    if was_excluded:
        flash(gettext("%(barcode)s is a candidate of the campaign again.", barcode=candidate.item.barcode),
              "success")
    else:
        flash(gettext("%(barcode)s was already a candidate of the campaign: nothing changed.",
                      barcode=candidate.item.barcode), "info")
    return back(campaign_id)  # as after an exclusion: the row has left the list it was posted from
