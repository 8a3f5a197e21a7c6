"""Controlled values of the bibliographic model, with their display labels.

Values are stable codes stored in the database and used by the API; labels
are marked for translation and rendered in the visitor's language. The advice
poles are every floor's (``core.vocab``); they are named here too because
templates read this module as ``vocab``.
"""
from __future__ import annotations

from core.i18n import N_
from core.vocab import Pole, Vocabulary

__all__ = ["Audience", "Condition", "ContributorRole", "Disposal", "DocumentType", "FIELD_LABELS", "ItemStatus", "LANGUAGES",
           "language_label", "Library", "Origin", "Pole", "SubscriptionStatus", "Vocabulary"]


class DocumentType(Vocabulary):
    BOOK = "book", N_("Book")
    PERIODICAL = "periodical", N_("Periodical")
    AUDIOVISUAL = "audiovisual", N_("Audiovisual")
    CD_DVD = "cd_dvd", N_("CD-ROM or DVD")
    WEBSITE = "website", N_("Website")
    JOB_SHEET = "job_sheet", N_("Job-description sheet")
    DIPLOMA_FRAMEWORK = "diploma_framework", N_("Diploma reference framework")
    EXAM_GUIDE = "exam_guide", N_("Exam guides and past papers")
    DIRECTORY = "directory", N_("Directory")
    TRAINING_DATABASE = "training_database", N_("Training-offer database")
    JOB_BOARD = "job_board", N_("Job-offer website")
    OTHER = "other", N_("Other")


class Audience(Vocabulary):
    PUPIL = "pupil", N_("School pupils")
    STUDENT = "student", N_("Students")
    PARENT = "parent", N_("Parents")
    YOUNG_ENTRANT = "young_entrant", N_("Young people entering work")
    JOB_SEEKER = "job_seeker", N_("Job seekers")
    EMPLOYEE = "employee", N_("Employees")
    BUSINESS_CREATOR = "business_creator", N_("Business creators")


class Origin(Vocabulary):
    LOCAL = "local", N_("Catalogued here")
    MAIN_LIBRARY = "main_library", N_("Main library")


class ContributorRole(Vocabulary):
    """MARC relator codes for the roles we catalogue."""

    AUTHOR = "aut", N_("Author")
    EDITOR = "edt", N_("Editor")
    CONTRIBUTOR = "ctb", N_("Contributor")
    ILLUSTRATOR = "ill", N_("Illustrator")
    TRANSLATOR = "trl", N_("Translator")
    DIRECTOR = "drt", N_("Director")


class SubscriptionStatus(Vocabulary):
    ACTIVE = "active", N_("Active subscription")
    ENDED = "ended", N_("Subscription ended")


class Library(Vocabulary):
    CITE = "cite", N_("Cité des métiers")
    MAIN = "main", N_("Main library")


class ItemStatus(Vocabulary):
    AVAILABLE = "available", N_("Available")
    PROCESSING = "processing", N_("In processing")
    ON_DISPLAY = "on_display", N_("On display")
    MISSING = "missing", N_("Missing")
    WITHDRAWN = "withdrawn", N_("Withdrawn")


class Disposal(Vocabulary):
    """What becomes of a withdrawn copy: the disposal paperwork's column."""

    SALE = "sale", N_("Sale")
    DONATION = "donation", N_("Donation")
    PULPING = "pulping", N_("Pulping")


# Types read online through their address: their copies are kiosk bookmarks.
ONLINE_TYPES = frozenset({"website", "training_database", "job_board"})

# A copy in these states is still the centre's: on the shelves, or coming back to them.
HELD = frozenset({"available", "on_display", "processing"})


def weeded(statuses, document_type: str) -> bool:
    """Has weeding taken the work's last copy? Then it leaves the public
    catalogue (the record stays for statistics, exports and the main
    library): some copy was withdrawn and none is held any more. A website
    stays, whatever its copies: it is read online. Item statuses and the
    document type as codes."""
    statuses = [getattr(status, "value", status) for status in statuses]
    return (getattr(document_type, "value", document_type) not in ONLINE_TYPES and "withdrawn" in statuses
            and not HELD.intersection(statuses))


class Condition(Vocabulary):
    NEW = "new", N_("New")
    GOOD = "good", N_("Good")
    WORN = "worn", N_("Worn")
    DAMAGED = "damaged", N_("Damaged")


# Languages offered in forms (ISO 639-2/B, the codes MARC uses). Other valid
# three-letter codes are accepted and kept.
LANGUAGES: dict[str, str] = {
    "fre": N_("French"),
    "eng": N_("English"),
    "spa": N_("Spanish"),
    "ger": N_("German"),
    "ita": N_("Italian"),
    "por": N_("Portuguese"),
    "ara": N_("Arabic"),
    "chi": N_("Chinese"),
    "rus": N_("Russian"),
    "tur": N_("Turkish"),
}


def language_label(code: str, translate) -> str:
    """A language's name in the reader's language ("fre" -> "Français"), or the
    code itself when the list above does not name it. ``translate`` is the
    edge's gettext. Babel knows ISO 639-1 codes, not MARC's 639-2/B ones."""
    return translate(LANGUAGES[code]) if code in LANGUAGES else code


# Names of fields as shown in the audit trail and in version conflicts.
FIELD_LABELS: dict[str, str] = {
    "title": N_("Title"), "subtitle": N_("Subtitle"), "responsibility": N_("Statement of responsibility"),
    "contributors": N_("Contributors"), "publisher": N_("Publisher"), "place": N_("Place of publication"),
    "year": N_("Year"), "edition": N_("Edition"), "series": N_("Series"), "isbn": N_("ISBN"),
    "issn": N_("ISSN"), "languages": N_("Languages"), "document_type": N_("Document type"),
    "audiences": N_("Audiences"), "poles": N_("Advice poles"), "summary": N_("Summary"), "notes": N_("Notes"),
    "local_notes": N_("Internal note"), "url": N_("Web address"), "call_number": N_("Call number"),
    "frequency": N_("Frequency"), "subscription_status": N_("Subscription"),
    "holdings_statement": N_("Holdings statement"), "barcode": N_("Barcode"), "library": N_("Library"),
    "location": N_("Location"), "status": N_("Status"), "acquired_on": N_("Acquisition date"),
    "price": N_("Price (€)"), "condition": N_("Condition"), "public_note": N_("Public note"),
    "use_count": N_("Uses"), "withdrawn_at": N_("Withdrawn on"), "withdrawal_reason": N_("Reason for withdrawal"),
    "disposal": N_("Disposal"), "descriptors": N_("Descriptors"),
}
