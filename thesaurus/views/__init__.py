"""Thesaurus pages: public browsing (no login, no cookie) and the staff
screens where documentalists edit concepts."""
from flask import Blueprint
from flask_babel import gettext

from thesaurus.vocab import ConceptStatus, LabelKind, NoteKind

bp = Blueprint("thesaurus", __name__, template_folder="../templates")


@bp.context_processor
def _helpers():
    def labeller(vocabulary):
        return lambda code: gettext(vocabulary(code).label) if code in vocabulary.values() else code

    return {"note_label": labeller(NoteKind), "label_kind": labeller(LabelKind),
            "concept_status": labeller(ConceptStatus)}


from thesaurus.views import editing, public, staff  # noqa: E402,F401  (routes register on bp)
