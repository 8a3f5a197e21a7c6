"""Staff pages of the imports: runs and harvests with their rejects and their
updates held for review, and the alignment of incoming subject headings with
the thesaurus."""
from flask import Blueprint

bp = Blueprint("imports", __name__, template_folder="../templates")

from importers.views import headings, held, imports  # noqa: E402,F401  (routes register on bp)
