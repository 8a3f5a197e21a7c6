"""The acquisitions' staff pages: proposing, the review queue, a proposal's
page with its moves, budgets, orders and the unmet demand."""
from flask import Blueprint

bp = Blueprint("acquisitions", __name__, template_folder="../templates")

from acquisitions.views import desk, proposals  # noqa: E402,F401  (routes register on bp)
