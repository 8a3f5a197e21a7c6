"""HTML forms of the weeding pages. Flask-WTF checks each form's CSRF token;
the rules are the services', whose field errors are attached back onto
these fields (fields are text: a bad number is the service's to name)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectChoice, SelectField, StringField, TextAreaField

from catalogue.vocab import Condition, Disposal, DocumentType
from core.vocab import Pole
from core.web.forms import MultiCheckboxField, choices
from weeding.vocab import Ioupi, Mustie, Verdict


def without_nul(value):
    """Text as the database can hold it: PostgreSQL refuses the NUL character."""
    return value.replace("\x00", "") if isinstance(value, str) else value


def Text(label, **kwargs):  # noqa: N802 - a field, named like one
    return StringField(label, filters=[without_nul], **kwargs)


def LongText(label, **kwargs):  # noqa: N802
    return TextAreaField(label, filters=[without_nul], **kwargs)


class RuleChecks(MultiCheckboxField):
    """Rule ids, ticked; one that is not a number is left out (the service
    names rules that do not exist)."""

    def __init__(self, label=None, **kwargs):
        super().__init__(label, coerce=int, **kwargs)

    def process_formdata(self, valuelist):
        self.data = [int(v) for v in valuelist if v.isdigit() and len(v) < 19]


class OpenCampaignForm(FlaskForm):
    name = Text(_l("Name of the campaign"), description=_l("For example: Parcours, spring 2026"))
    pole = SelectField(_l("Pole"), choices=choices(Pole, blank=True), validate_choice=False)
    document_type = SelectField(_l("Document type"), choices=choices(DocumentType, blank=True),
                                validate_choice=False)
    shelf = Text(_l("Shelf (beginning of the call number)"), description=_l("For example: PAR 1"))
    location = Text(_l("Location"), description=_l("As the copies name it, for example: Espace emploi"))
    rules = RuleChecks(_l("Rules"), choices=[])

    def scope(self) -> dict:
        return {"pole": self.pole.data or None, "document_type": self.document_type.data or None,
                "shelf": (self.shelf.data or "").strip() or None,
                "location": (self.location.data or "").strip() or None}


# A service's field name -> this form's field.
OPEN_FIELDS = {"scope.pole": "pole", "scope.poles": "pole", "scope.document_type": "document_type",
               "scope.document_types": "document_type", "scope.shelf": "shelf", "scope.location": "location",
               "scope.call_number_prefix": "shelf"}


class DecisionForm(FlaskForm):
    """One candidate's decision; each row of the campaign page has its own prefix."""

    decision = SelectField(_l("Decision"), choices=choices(Verdict), validate_choice=False)
    disposal = SelectField(_l("Disposal (if withdrawn)"), choices=choices(Disposal, blank=True),
                           validate_choice=False)
    comment = Text(_l("Comment (optional)"))
    version = HiddenField()


class BulkForm(FlaskForm):
    decision = SelectField(_l("Decide every pending candidate as"), choices=choices(Verdict),
                           validate_choice=False, default="withdraw")
    disposal = SelectField(_l("Disposal (if withdrawn)"), choices=choices(Disposal, blank=True),
                           validate_choice=False)
    comment = Text(_l("Comment (optional)"))


class AddForm(FlaskForm):
    barcode = Text(_l("Barcode of the copy"))
    comment = Text(_l("Why (optional)"))


class ExcludeForm(FlaskForm):
    reason = Text(_l("Why exclude it"), description=_l("For example: a work of the centre's history"))
    version = HiddenField()


class IncludeForm(FlaskForm):
    """Takes an excluded candidate back: no field but the version it was read at."""

    version = HiddenField()


class CloseForm(FlaskForm):
    confirm = BooleanField(_l("Yes, close it: nothing can be voted or decided afterwards"))
    version = HiddenField()


def flag_choices():
    """The MUSTIE and IOUPI checklists as one list of (value, label)."""
    return ([SelectChoice(f"mustie:{m.value}", _l(m.label)) for m in Mustie]
            + [SelectChoice(f"ioupi:{i.value}", _l(i.label)) for i in Ioupi])


class VoteForm(FlaskForm):
    """The counsellor's vote: the button pressed says which (``vote``)."""

    vote = HiddenField()
    flags = MultiCheckboxField(_l("Checklists"), choices=flag_choices())
    comment = LongText(_l("Comment (optional)"))
    item_id = HiddenField()
    version = HiddenField()


class RuleForm(FlaskForm):
    name = Text(_l("Name"))
    position = Text(_l("Order of judging"), description=_l("Smaller numbers judge first."), default="100")
    active = BooleanField(_l("Active"), default=True)
    justification = LongText(_l("Justification"))
    document_type = SelectField(_l("Document type"), choices=choices(DocumentType, blank=True),
                                validate_choice=False)
    pole = SelectField(_l("Pole"), choices=choices(Pole, blank=True), validate_choice=False)
    call_number_prefix = Text(_l("Shelf (beginning of the call number)"))
    concept_id = Text(_l("Thesaurus concept (number), with its narrower concepts"))
    max_age_years = Text(_l("Age: at most (years since publication)"))
    max_unused_years = Text(_l("No use: at most (years without use)"))
    low_use_min = Text(_l("Low use: at least (uses)"))
    low_use_years = Text(_l("Low use: over the last (years)"))
    superseded = BooleanField(_l("Superseded: a newer edition is in the catalogue"))
    periodical_keep_years = Text(_l("Periodicals: keep (years of issues)"))
    conditions = MultiCheckboxField(_l("Condition flags"), choices=choices(Condition))
    version = HiddenField()

    def to_data(self) -> dict:
        return {name: field.data for name, field in self._fields.items() if name not in ("csrf_token", "version")}
