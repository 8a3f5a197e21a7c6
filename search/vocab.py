"""Controlled values of the visitors' entrance: who they say they are.

"Je suis…" lists the publics of the centre's own table of visitors and
their goals, one by one. A public is the visitor's own choice of words,
asked only to lead to goals: it is never kept about anyone.
"""
from __future__ import annotations

from core.i18n import N_
from core.vocab import Vocabulary


class Public(Vocabulary):
    MIDDLE_SCHOOL = "middle_school", N_("Middle-school pupil")
    HIGH_SCHOOL = "high_school", N_("High-school pupil")
    STUDENT = "student", N_("Student")
    PARENT = "parent", N_("Parent")
    YOUNG_ENTRANT = "young_entrant", N_("Young person entering working life")
    JOB_SEEKER = "job_seeker", N_("Job seeker")
    EMPLOYEE = "employee", N_("In work")
    BUSINESS_CREATOR = "business_creator", N_("Business creator")
