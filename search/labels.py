"""What visitors read for facets and their values, in their language.

Facet values are stable codes in the index ("job_search", "<1990"); the
pages show the labels the catalogue already uses for them. ``translate`` is
the edge's gettext, so this module stays free of Flask.
"""
from __future__ import annotations

from catalogue.vocab import Audience, DocumentType, Library, language_label
from core.i18n import N_
from core.vocab import Pole

FACET_TITLES = {
    "pole": N_("Your goal"),
    "document_type": N_("Type of document"),
    "audience": N_("Intended for"),
    "language": N_("Language"),
    "year_range": N_("Publication date"),
    "library": N_("Library"),
    "availability": N_("Availability"),
}
AVAILABILITY = {
    "available": N_("Available on the shelves"),
    "unavailable": N_("Not available at the moment"),
    "online": N_("Online"),
    "none": N_("No copy to consult"),
}
SORT_LABELS = {"relevance": N_("Relevance"), "date": N_("Most recent first"), "title": N_("Title (A to Z)")}
_VOCABULARIES = {"pole": Pole, "document_type": DocumentType, "audience": Audience, "library": Library}


def value_label(facet: str, value: str, translate) -> str:
    vocabulary = _VOCABULARIES.get(facet)
    if vocabulary is not None:
        return translate(vocabulary(value).label) if value in vocabulary.values() else value
    if facet == "availability":
        return translate(AVAILABILITY[value]) if value in AVAILABILITY else value
    if facet == "language":
        return language_label(value, translate)
    if facet == "year_range" and value.startswith("<"):
        return translate(N_("Before %(year)s")) % {"year": value[1:]}
    if facet == "year_range":
        return value.replace("-", "–")
    return value
# A portal's fields as the audit trail names them (the portal form's labels).
PORTAL_FIELD_LABELS = {
    "slug": N_("Address"), "title_fr": N_("Title (French)"), "title_en": N_("Title (English)"),
    "description_fr": N_("Description (French)"), "description_en": N_("Description (English)"),
    "pole": N_("Advice pole"), "base_filter": N_("Base filter: every search of the portal keeps only"),
    "boost": N_("Boost: among the results, show first"),
    "kiosk_idle_seconds": N_("Kiosk: back to the portal's home after (seconds without input)"),
    "position": N_("Position in the list of portals"), "published": N_("Published (visitors see it)"),
    "selection": N_("Selection"), "concept": N_("Subjects"),
}
# A goal's fields as the audit trail names them (the goal form's labels).
GOAL_FIELD_LABELS = {
    "slug": N_("Address"), "label_fr": N_("Goal (French)"), "label_en": N_("Goal (English)"),
    "publics": N_("Offered to (I am…)"), "concept_ids": N_("Concepts"), "text": N_("Words searched too (optional)"),
    "document_types": N_("Only these types of document (none: all)"),
    "audiences": N_("Only works intended for (none: all)"), "position": N_("Position in the list of goals"),
    "published": N_("Published (visitors see it)"),
}
