"""The staff cataloguing screens: records, items, uses and the audit trail."""
from flask import Blueprint

bp = Blueprint("catalogue", __name__, template_folder="../templates")

from catalogue.views import audit, items, records, uses  # noqa: E402,F401  (routes register on bp)
