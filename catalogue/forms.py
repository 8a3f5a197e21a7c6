"""The cataloguing forms. WTForms renders fields and Flask-WTF checks the
CSRF token; the cataloguing rules live in the services, whose field errors
are attached back onto these fields (``core.web.forms.attach_errors``)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import FieldList, Form, FormField, HiddenField, SelectField, StringField, TextAreaField

from catalogue.vocab import (
    Audience,
    Condition,
    ContributorRole,
    DocumentType,
    ItemStatus,
    Library,
    Pole,
    SubscriptionStatus,
)
from core.web.forms import IdListField, MultiCheckboxField, choices

BLANK_CONTRIBUTOR_ROWS = 2


class ContributorForm(Form):
    name = StringField(_l("Name"))
    role = SelectField(_l("Role"), choices=choices(ContributorRole), validate_choice=False)


class RecordForm(FlaskForm):
    title = StringField(_l("Title"))
    subtitle = StringField(_l("Subtitle"))
    responsibility = StringField(_l("Statement of responsibility"))
    contributors = FieldList(FormField(ContributorForm), min_entries=0)
    publisher = StringField(_l("Publisher"))
    place = StringField(_l("Place of publication"))
    year = StringField(_l("Year"))
    edition = StringField(_l("Edition"))
    series = StringField(_l("Series"))
    isbn = StringField(_l("ISBN"))
    issn = StringField(_l("ISSN"))
    languages = StringField(_l("Languages"), description=_l("Three-letter codes separated by commas, e.g. fre, eng."))
    document_type = SelectField(_l("Document type"), choices=choices(DocumentType), validate_choice=False)
    audiences = MultiCheckboxField(_l("Audiences"), choices=choices(Audience))
    poles = MultiCheckboxField(_l("Advice poles"), choices=choices(Pole))
    descriptors = IdListField(_l("Descriptors"))  # concept ids, picked with static/descriptors.js
    descriptors_query = StringField(_l("Add a descriptor"))
    summary = TextAreaField(_l("Summary"))
    notes = TextAreaField(_l("Notes"))
    local_notes = TextAreaField(_l("Internal note"), description=_l("Seen by staff only; never replaced by imports."))
    url = StringField(_l("Web address"))
    call_number = StringField(_l("Call number"))
    frequency = StringField(_l("Frequency"))
    subscription_status = SelectField(_l("Subscription"), choices=choices(SubscriptionStatus, blank=True),
                                      validate_choice=False)
    holdings_statement = TextAreaField(_l("Holdings statement"))
    version = HiddenField()

    def to_data(self) -> dict:
        data = {name: field.data for name, field in self._fields.items()
                if name not in ("csrf_token", "version", "contributors", "languages", "descriptors_query")}
        data["languages"] = [code.strip() for code in (self.languages.data or "").replace(";", ",").split(",")]
        data["contributors"] = [{"name": row.form.name.data, "role": row.form.role.data}
                                for row in self.contributors]
        data["descriptors"] = list(dict.fromkeys(self.descriptors.data or []))
        return data

    def add_blank_contributors(self) -> None:
        for _ in range(BLANK_CONTRIBUTOR_ROWS):
            self.contributors.append_entry({"name": "", "role": ContributorRole.AUTHOR.value})


class ItemForm(FlaskForm):
    barcode = StringField(_l("Barcode"))
    library = SelectField(_l("Library"), choices=choices(Library), validate_choice=False)
    location = StringField(_l("Location"))
    call_number = StringField(_l("Call number"))
    status = SelectField(_l("Status"), choices=choices(ItemStatus), validate_choice=False)
    acquired_on = StringField(_l("Acquisition date"), description=_l("YYYY-MM-DD"))
    price = StringField(_l("Price (€)"))
    condition = SelectField(_l("Condition"), choices=choices(Condition, blank=True), validate_choice=False)
    public_note = TextAreaField(_l("Public note"))
    version = HiddenField()

    def to_data(self) -> dict:
        return {name: field.data for name, field in self._fields.items() if name not in ("csrf_token", "version")}


class UseForm(FlaskForm):
    barcode = StringField(_l("Barcode"))
