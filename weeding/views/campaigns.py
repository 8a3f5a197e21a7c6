"""Weeding campaigns' staff pages: the list with the form that opens one
(librarians), a campaign's page (all staff), closing it, and the CSV of
the copies it withdrew. The forms posted from a campaign's rows are in
weeding.views.candidates."""
from __future__ import annotations

import csv
import io

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext
from flask_login import current_user
from wtforms import SelectChoice

from accounts.permissions import REVIEW_WEEDING, VIEW_STAFF
from core.errors import Conflict, ValidationFailed
from core.web.auth import can, require
from core.web.errors import translate
from core.web.forms import attach_errors
from core.web.helpers import services
from core.web.transaction import db_session
from weeding.forms import OPEN_FIELDS, CloseForm, OpenCampaignForm
from weeding.present import campaign_json
from weeding.services.campaigns import CampaignService
from weeding.services.report import WITHDRAWN_COLUMNS, withdrawn_rows
from weeding.services.rules import RuleService
from weeding.views import (
    bp,
    candidates,  # noqa: F401  (its routes register on bp)
)
from weeding.views.campaign_page import pole_label, render_campaign, scope_words


def open_form(form: OpenCampaignForm | None = None) -> OpenCampaignForm:
    """The opening form, its rules the active ones, all ticked on a fresh form."""
    rules = RuleService(db_session()).list(active_only=True)
    if form is None:
        form = OpenCampaignForm(formdata=None, data={"rules": [rule.id for rule in rules]})
    form.rules.choices = [SelectChoice(rule.id, rule.name) for rule in rules]
    return form


def render_campaigns(form: OpenCampaignForm | None = None, *, unplaced=(), status: int = 200):
    session = db_session()
    listed = [(campaign, campaign_json(session, campaign), scope_words(campaign.scope))
              for campaign in CampaignService(session).list()]
    may_open = can(current_user, REVIEW_WEEDING)
    return render_template("weeding/campaigns.html", campaigns=listed, may_open=may_open,
                           form=open_form(form) if may_open else None, unplaced=list(unplaced),
                           pole_label=pole_label), status


@bp.route("/staff/weeding")
@require(VIEW_STAFF)
def campaigns():
    return render_campaigns()


@bp.route("/staff/weeding/campaigns", methods=["POST"])
@require(REVIEW_WEEDING)
def open_campaign():
    form = open_form(OpenCampaignForm())
    if not form.validate_on_submit():
        abort(400)  # only the CSRF token can fail here: the fields are the service's to check
    if not form.rules.data:
        form.rules.errors = [gettext("Tick at least one rule.")]
        return render_campaigns(form, status=422)
    try:
        campaign = services(CampaignService).open({"name": form.name.data, "scope": form.scope(),
                                                   "rules": form.rules.data})
    except ValidationFailed as error:
        fields = {OPEN_FIELDS.get(name, name): messages for name, messages in error.fields.items()}
        unplaced = attach_errors(form, fields, gettext)
        return render_campaigns(form, unplaced=unplaced, status=422)
    count = CampaignService(db_session()).count(campaign)
    flash(gettext("The campaign “%(name)s” is open with %(num)s candidates.", name=campaign.name, num=count),
          "success")
    return redirect(url_for("weeding.campaign", campaign_id=campaign.id))


@bp.route("/staff/weeding/campaigns/<int:campaign_id>")
@require(VIEW_STAFF)
def campaign(campaign_id):
    return render_campaign(CampaignService(db_session()).get(campaign_id))


@bp.route("/staff/weeding/campaigns/<int:campaign_id>/close", methods=["POST"])
@require(REVIEW_WEEDING)
def close_campaign(campaign_id):
    service = services(CampaignService)
    found = service.get(campaign_id)
    form = CloseForm()
    if not form.validate_on_submit():
        abort(400)
    if not form.confirm.data:
        form.confirm.errors = [gettext("Tick the box to confirm that the campaign is over.")]
        return render_campaign(found, close_form=form, status=422)
    try:
        version = int(form.version.data or -1)
    except ValueError:
        version = -1
    try:
        service.close(campaign_id, expected_version=version)
    except Conflict as error:  # closed meanwhile, or changed since the page was read
        db_session().rollback()
        return render_campaign(service.get(campaign_id), alert=translate(error.message, error.params),
                               status=409)
    flash(gettext("The campaign is closed: here is its report."), "success")
    return redirect(url_for("weeding.campaign", campaign_id=campaign_id) + "#closing-report")


@bp.route("/staff/weeding/campaigns/<int:campaign_id>/withdrawn.csv")
@require(VIEW_STAFF)
def withdrawn_csv(campaign_id):
    """The copies the campaign withdrew, for the disposal paperwork: UTF-8, a header line."""
    session = db_session()
    found = CampaignService(session).get(campaign_id)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(WITHDRAWN_COLUMNS)
    for row in withdrawn_rows(session, found):
        writer.writerow(["" if row[column] is None else row[column] for column in WITHDRAWN_COLUMNS])
    filename = f"weeding-{found.id}-withdrawn.csv"
    return Response(out.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
