"""HTML pages: the visitors' entrance and the staff cataloguing screens."""
from flask import Blueprint

bp = Blueprint("catalogue", __name__)

from . import audit, items, public, records, uses  # noqa: E402,F401  (routes register on bp)
