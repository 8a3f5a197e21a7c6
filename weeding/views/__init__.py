"""Weeding's staff pages: campaigns and their decisions, the rules, the
counsellors' review queue, the named reports and the use statistics."""
from flask import Blueprint

bp = Blueprint("weeding", __name__, template_folder="../templates", static_folder="../static",
               static_url_path="/static/weeding")

from weeding.views import campaigns, reports, review, rules, statistics  # noqa: E402,F401  (routes register on bp)
