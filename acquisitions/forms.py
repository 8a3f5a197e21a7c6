"""HTML forms of the acquisitions pages. Flask-WTF checks each form's CSRF
token; the rules are the services', whose field errors are attached back
onto these fields."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, FieldList, HiddenField, SelectField, StringField, TextAreaField
from wtforms.widgets import HiddenInput

from acquisitions.vocab import ProposalReason, RecordRelation, RejectionReason
from catalogue.vocab import Audience, DocumentType
from core.vocab import Pole
from core.web.forms import MultiCheckboxField, choices


class ProposalForm(FlaskForm):
    title = StringField(_l("Title"))
    authors = StringField(_l("Authors"), description=_l("Separated by semicolons: Martin, Léa; Durand, Paul"))
    publisher = StringField(_l("Publisher"))
    year = StringField(_l("Year"))
    edition = StringField(_l("Edition"))
    isbn = StringField(_l("ISBN"))
    issn = StringField(_l("ISSN"))
    document_type = SelectField(_l("Document type"), choices=choices(DocumentType), validate_choice=False)
    pole = SelectField(_l("Filed under the pole"), choices=choices(Pole, blank=True), validate_choice=False)
    poles = MultiCheckboxField(_l("Advice poles"), choices=choices(Pole))
    audiences = MultiCheckboxField(_l("Audiences"), choices=choices(Audience))
    reason_code = SelectField(_l("Why buy it"), choices=choices(ProposalReason), validate_choice=False)
    reason = TextAreaField(_l("In your words"))
    estimated_price = StringField(_l("Estimated price of a copy (€)"), description=_l("For example 24.90"))
    quantity = StringField(_l("Copies"), default="1")
    record_id = StringField(_l("Work of the catalogue it replaces or completes (number)"))
    record_relation = SelectField(_l("This work"), choices=choices(RecordRelation, blank=True), validate_choice=False)
    queries = FieldList(StringField(widget=HiddenInput()), min_entries=0)
    confirm_duplicate = BooleanField(_l("I checked: propose it all the same"))
    version = HiddenField()

    def to_data(self) -> dict:
        data = {name: field.data for name, field in self._fields.items()
                if name not in ("csrf_token", "version", "confirm_duplicate", "queries")}
        data["queries"] = [q for q in (self.queries.data or []) if q]
        return data


class MoveForm(FlaskForm):
    """One move's form; each on a proposal's page has the move as prefix, so
    that field ids stay unique."""

    version = HiddenField()
    comment = TextAreaField(_l("Comment"))
    fund_id = SelectField(_l("Fund"), choices=[], validate_choice=False)
    rejection_reason = SelectField(_l("Reason"), choices=choices(RejectionReason, blank=True), validate_choice=False)
    record_id = StringField(_l("Work of the catalogue (number)"))
    override = BooleanField(_l("Go over the fund's budget (say why in the comment)"))
    supplier_id = SelectField(_l("Supplier"), choices=[], validate_choice=False)
    quantity = StringField(_l("Copies"))
    unit_price = StringField(_l("Price of a copy (€)"))
    expected_on = StringField(_l("Expected on"), description=_l("YYYY-MM-DD"))
    barcodes = TextAreaField(_l("Barcodes"), description=_l("One per copy, one per line; leave empty for "
                                                            "provisional ones."))

    def to_data(self) -> dict:
        data = {name: field.data for name, field in self._fields.items()
                if name not in ("csrf_token", "version", "barcodes") and field.data not in (None, "")}
        data["barcodes"] = [line.strip() for line in (self.barcodes.data or "").splitlines() if line.strip()]
        return data


class SupportForm(FlaskForm):
    comment = StringField(_l("A word on why (optional)"))


class CommentForm(FlaskForm):
    text = TextAreaField(_l("Comment"))


class FundForm(FlaskForm):
    allocated = StringField(_l("Allocated (€)"))
    warning_percent = StringField(_l("Warn at (% used)"))
    holder_id = SelectField(_l("Held by"), choices=[], validate_choice=False)
    version = HiddenField()


class NewFundForm(FlaskForm):
    year = StringField(_l("Fiscal year"))
    code = SelectField(_l("Fund"), choices=[], validate_choice=False)
    allocated = StringField(_l("Allocated (€)"))
    warning_percent = StringField(_l("Warn at (% used)"), default="80")


class SupplierForm(FlaskForm):
    name = StringField(_l("Name"))
    email = StringField(_l("E-mail"))
    notes = TextAreaField(_l("Notes"))
