"""HTML forms of the staff thesaurus pages. Flask-WTF checks each form's CSRF
token; the thesaurus rules (cycles, label clashes...) live in the services,
whose field errors are attached back onto these fields."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectChoice, SelectField, StringField, TextAreaField

from core.vocab import Pole
from core.web.forms import IdListField, choices
from thesaurus.vocab import ConceptStatus, LabelKind

# The notes the edit form shows, one text area each: (field, kind, language).
NOTE_FIELDS = (
    ("scope_note_fr", "scope", "fr"), ("scope_note_en", "scope", "en"),
    ("definition_fr", "definition", "fr"), ("definition_en", "definition", "en"),
    ("editorial_note", "editorial", "fr"), ("history_note", "history", "fr"),
)


class ConceptForm(FlaskForm):
    """Create a concept, or rename it and edit its notes."""

    pref_label_fr = StringField(_l("Preferred term (French)"))
    pref_label_en = StringField(_l("Preferred term (English)"))
    notation = StringField(_l("Notation"))
    status = SelectField(_l("Status"), choices=choices(ConceptStatus, only=(ConceptStatus.CANDIDATE,
                                                                        ConceptStatus.APPROVED)),
                         validate_choice=False)
    scope_note_fr = TextAreaField(_l("Scope note (French)"))
    scope_note_en = TextAreaField(_l("Scope note (English)"))
    definition_fr = TextAreaField(_l("Definition (French)"))
    definition_en = TextAreaField(_l("Definition (English)"))
    editorial_note = TextAreaField(_l("Editorial note"),
                                   description=_l("For the documentalists; not shown to visitors."))
    history_note = TextAreaField(_l("History note"))
    broader = IdListField(_l("Broader concepts"))  # new concepts only
    broader_query = StringField(_l("Add a broader concept"))
    version = HiddenField()

    def pref_labels(self) -> dict[str, str]:
        labels = {"fr": (self.pref_label_fr.data or "").strip()}
        if (self.pref_label_en.data or "").strip():
            labels["en"] = self.pref_label_en.data.strip()
        return labels

    def notes(self, keep=()) -> list[dict]:
        """The form's notes, plus the stored ones it does not show (``keep``:
        notes in other languages or kinds survive an edit untouched)."""
        notes = [{"kind": kind, "language": language, "text": getattr(self, name).data.strip()}
                 for name, kind, language in NOTE_FIELDS if (getattr(self, name).data or "").strip()]
        shown = {(kind, language) for _, kind, language in NOTE_FIELDS}
        return notes + [n for n in keep if (n["kind"], n["language"]) not in shown]


class LabelForm(FlaskForm):
    """Add an entry term (or a hidden label: a common misspelling)."""

    text = StringField(_l("Term"))
    kind = SelectField(_l("Kind"), choices=choices(LabelKind, only=(LabelKind.ALT, LabelKind.HIDDEN)),
                       validate_choice=False)
    language = StringField(_l("Language"), default="fr", description=_l("A language tag: fr, en..."))
    version = HiddenField()


class PickForm(FlaskForm):
    """One concept chosen with the autocomplete (its id in ``concept``):
    move under, relate to, merge into, replace with."""

    concept = HiddenField()
    concept_label = StringField(_l("Concept"))
    version = HiddenField()

    def picked(self) -> int | None:
        try:
            return int(self.concept.data)
        except (TypeError, ValueError):
            return None


class MoveForm(FlaskForm):
    """The concept's new broader concepts (several: polyhierarchy). None
    left makes it a top concept."""

    broader = IdListField(_l("Broader concepts"))
    broader_query = StringField(_l("Add a broader concept"))
    version = HiddenField()


class MapForm(FlaskForm):
    """Map an incoming subject heading to a concept."""

    heading_key = HiddenField()
    concept = HiddenField()
    concept_label = StringField(_l("Concept"))

    def picked(self) -> int | None:
        try:
            return int(self.concept.data)
        except (TypeError, ValueError):
            return None


class PoleForm(FlaskForm):
    """Which advice pole a micro-thesaurus serves."""

    pole = SelectField(_l("Advice pole"), choices=[SelectChoice("", _l("None"))] + choices(Pole))
