"""Thesaurus pages: public browsing (no login, no cookie) and the staff
screens where documentalists edit concepts and align incoming headings."""
from flask import Blueprint

bp = Blueprint("thesaurus", __name__)


@bp.context_processor
def _helpers():
    from flask_babel import gettext

    from ..vocab import ConceptStatus, LabelKind, NoteKind

    def labeller(vocabulary):
        return lambda code: gettext(vocabulary(code).label) if code in vocabulary.values() else code

    return {"note_label": labeller(NoteKind), "label_kind": labeller(LabelKind),
            "concept_status": labeller(ConceptStatus)}


from . import editing, headings, public, staff  # noqa: E402,F401  (routes register on bp)
