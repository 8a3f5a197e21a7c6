"""The weeding rules a career-advice collection starts with (``install_defaults``).

Why each threshold, in one line each; the README says it at length. What a
visitor reads here shapes a career decision, so out-of-date law or exam
information does more harm than an empty shelf: the rules are stricter
than a public library's CREW defaults for the subjects that change with the
law and the exam calendar, and gentler for method books, which age slowly.
Periodicals come first: an issue is judged by the retention of its title,
whatever its subjects. Rules scoped by a thesaurus concept name it by its
French preferred label, looked up when they are installed; without that
concept the rule waits, inactive, until the defaults are installed again
after the thesaurus (or a librarian points it at the right concept).
"""
from __future__ import annotations

DEFAULT_RULES: tuple[dict, ...] = (
    {"name": "Périodiques", "position": 5, "document_type": "periodical", "periodical_keep_years": 2,
     "conditions": ["damaged"],
     "justification": "Career magazines are read for current offers and news: two years of issues are kept."},
    {"name": "Droit du travail", "position": 10, "concept_labels": ("Droit du travail", "Vie professionnelle"),
     "max_age_years": 3, "max_unused_years": 2, "superseded": True, "conditions": ["damaged"],
     "justification": "The labour code, contracts and unemployment rules change every year: a guide older "
                      "than three years misleads."},
    {"name": "Concours : guides et annales", "position": 20, "concept_labels": ("Concours",),
     "max_age_years": 3, "superseded": True, "conditions": ["damaged"],
     "justification": "Exam syllabuses and the papers set change with each session; past papers older than "
                      "three sessions no longer prepare for today's exam."},
    {"name": "Référentiels de diplômes", "position": 30, "document_type": "diploma_framework",
     "max_age_years": 5, "superseded": True, "conditions": ["damaged"],
     "justification": "Diplomas are reformed about every five years; a framework replaced by a newer one "
                      "must go at once."},
    {"name": "Annuaires et guides de la formation", "position": 40, "concept_labels": ("Formation continue",),
     "max_age_years": 3, "superseded": True, "conditions": ["damaged"],
     "justification": "Training bodies, sessions and funding (CPF) change every year: directories are out of "
                      "date within three."},
    {"name": "Fiches métiers", "position": 50, "document_type": "job_sheet",
     "max_age_years": 5, "max_unused_years": 3, "superseded": True, "conditions": ["damaged"],
     "justification": "Jobs, pay and routes into them change more slowly than law, but a sheet over five "
                      "years old shows the wrong diplomas and salaries."},
    {"name": "Méthodes : CV, lettres, entretiens", "position": 70, "concept_labels": ("Recherche d'emploi",),
     "max_age_years": 10, "max_unused_years": 4, "low_use_min": 2, "low_use_years": 5, "superseded": True,
     "conditions": ["damaged"],
     "justification": "Method books on CVs, letters and interviews age slowest: judged on use first, and "
                      "on age only after ten years."},
    {"name": "Fonds général", "position": 1000,
     "max_age_years": 10, "max_unused_years": 3, "low_use_min": 2, "low_use_years": 5, "superseded": True,
     "conditions": ["damaged"],
     "justification": "Everything no other rule covers: unused for three years, little used over five, or "
                      "older than ten."},
)
