"""The bibliographic domain: records (works), their items (copies) and
in-house uses, identifiers and match keys, the cataloguing screens and the
records API.

Records are indexed with concepts of the thesaurus, the floor below; the
catalogue answers the thesaurus's questions about those records
(``catalogue.services.usage``), from the moment it is imported: wherever the
records' tables exist, a thesaurus edit must reach them, in the app as in a
script. ``init_app`` registers the staff pages, the API and the template
helpers.
"""
from __future__ import annotations

from flask import Flask
from flask_babel import get_locale, gettext

from catalogue import vocab
from catalogue.api import items, meta, records, uses
from catalogue.changes import ChangeText, concept_labels, descriptor_ids
from catalogue.identifiers import format_isbn
from catalogue.services.usage import RecordUsage
from catalogue.views import bp
from core.web import api as web_api
from core.web.transaction import db_session
from thesaurus import usage

usage.provide(RecordUsage())


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    web_api.register(records.blp, items.blp, uses.blp, meta.blp)
    app.add_template_global(vocab, "vocab")
    app.add_template_global(format_isbn, "format_isbn")
    app.add_template_filter(_field_label, "field_label")
    # A language code's name, on staff and public pages alike ("fre" -> "Français").
    app.add_template_filter(lambda code: vocab.language_label(code, gettext), "language_name")
    app.add_template_global(_change_text, "change_text")


def register_jobs(scheduler) -> None:
    """The catalogue has no periodic job."""


def _field_label(name: str) -> str:
    """A field's name as shown in the audit trail and in version conflicts."""
    return gettext(vocab.FIELD_LABELS[name]) if name in vocab.FIELD_LABELS else name


def _change_text(events=(), rows=()) -> ChangeText:
    """Labels for the changes of audit ``events`` or of version-conflict
    ``rows`` (field, stored, submitted), with the concepts they name looked up once."""
    changes = [event.changes for event in events] + [{name: [stored, mine]} for name, stored, mine in rows]
    ids = descriptor_ids(changes)
    return ChangeText(gettext, concept_labels(db_session(), ids, str(get_locale())) if ids else {})
