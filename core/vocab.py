"""Vocabularies every floor speaks: the base class of controlled values, and
the centre's five advice poles (records, staff accounts, micro-thesauri,
portals, acquisitions and weeding are all organised by them).

Values are stable codes stored in the database and used by the API; labels
are marked for translation and rendered in the reader's language.
"""
from __future__ import annotations

import enum

from core.i18n import N_


class Vocabulary(str, enum.Enum):
    """A str enum whose members carry a translatable label."""

    def __new__(cls, value: str, label: str):
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member

    @classmethod
    def values(cls) -> list[str]:
        return [m.value for m in cls]

    def __str__(self) -> str:
        return self.value


class Pole(Vocabulary):
    """The five advice poles, named by the visitor's goal (never by partner)."""

    ORIENTATION = "orientation", N_("Choose a career path")
    PATHWAY = "pathway", N_("Organise one's career and training")
    JOB_SEARCH = "job_search", N_("Find a job")
    CAREER_CHANGE = "career_change", N_("Change one's working life")
    BUSINESS_CREATION = "business_creation", N_("Start one's own business")
