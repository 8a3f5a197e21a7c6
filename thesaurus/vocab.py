"""Controlled values of the thesaurus model."""
from __future__ import annotations

from core.i18n import N_
from core.vocab import Vocabulary


class ConceptStatus(Vocabulary):
    CANDIDATE = "candidate", N_("Candidate")
    APPROVED = "approved", N_("Approved")
    DEPRECATED = "deprecated", N_("Deprecated")


class LabelKind(Vocabulary):
    PREF = "pref", N_("Preferred term")
    ALT = "alt", N_("Entry term")
    HIDDEN = "hidden", N_("Hidden label")


class NoteKind(Vocabulary):
    SCOPE = "scope", N_("Scope note")
    DEFINITION = "definition", N_("Definition")
    EDITORIAL = "editorial", N_("Editorial note")
    HISTORY = "history", N_("History note")
    CHANGE = "change", N_("Change note")
    EXAMPLE = "example", N_("Example")
    NOTE = "note", N_("Note")


class RelationKind(Vocabulary):
    """Stored relations. Narrower is read as the inverse of broader; related
    is stored in both directions so each concept finds its own."""

    BROADER = "broader", N_("Broader concept")
    RELATED = "related", N_("Related concept")


class MappingKind(Vocabulary):
    """Links to concepts of other vocabularies (RAMEAU, LCSH...)."""

    EXACT = "exactMatch", N_("Exact match")
    CLOSE = "closeMatch", N_("Close match")
    BROAD = "broadMatch", N_("Broad match")
    NARROW = "narrowMatch", N_("Narrow match")
    RELATED = "relatedMatch", N_("Related match")
