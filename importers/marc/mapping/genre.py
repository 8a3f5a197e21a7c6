"""The centre's finer document types, guessed from what a MARC record says
of its form: exam guides and past papers, directories, training-offer
databases and job-offer websites.

The leader only tells a book from a website; these types need explicit
evidence. A form heading (MARC21 655 $a or a 6XX $v; UNIMARC 608 $a or a 6XX
$j), a nature-of-contents code (MARC21 008/24-27 for books, UNIMARC 105
$a/4-7) or, for a website, words of its title or form headings. Without such
evidence the carrier's type stays: a wrong finer type misleads a visitor more
than a plain "Book" does. Periodicals stay periodicals (their subscription and
issues depend on it).
"""
from __future__ import annotations

import re

from core.text import fold

EXAM_GUIDE, DIRECTORY = "exam_guide", "directory"
TRAINING_DATABASE, JOB_BOARD = "training_database", "job_board"

# Form terms, folded and without final punctuation: LCSH/LCGFT and RAMEAU.
EXAM_FORMS = frozenset({
    "examinations", "examinations, questions, etc", "study guides", "exam guides", "examens", "annales",
    "annales d'examens", "annales de concours", "concours", "sujets d'examens", "epreuves d'examen",
})
DIRECTORY_FORMS = frozenset({"directories", "directory", "annuaires", "annuaire", "repertoires", "repertoire"})
DATABASE_FORMS = frozenset({"databases", "database", "bases de donnees", "base de donnees",
                            "online databases"})
# MARC21 books 008/24-27 "r": directories. UNIMARC 105 $a/4-7 "g": directory, "q": examination papers.
MARC21_CONTENTS = {"r": DIRECTORY}
UNIMARC_CONTENTS = {"g": DIRECTORY, "q": EXAM_GUIDE}

# Words of a website's title or form headings that name its content outright.
_JOB_OFFERS = re.compile(r"\b(offres? d'emplois?|job (offers?|vacancies|listings?|boards?))\b")
_TRAINING_OFFER = re.compile(r"\b(offres? de formations?|catalogues? des formations|training (offers?|courses? "
                             r"database))\b")
_DATABASE = re.compile(r"\b(bases? de donnees|database)\b")
_TRAINING = re.compile(r"\b(formations?|training)\b")

_END = re.compile(r"[\s.;:,/]+$")


def form_term(value: str | None) -> str:
    """A form heading as the tables hold it: "Examinations, questions, etc." -> "examinations, questions, etc"."""
    return _END.sub("", fold((value or "").replace("’", "'")).casefold())


def guess(carrier: str, *, forms: list[str] = (), contents: str | list[str] = "", words: list[str] = (),
          topics: list[str] = (), contents_codes: dict[str, str] | None = None) -> str:
    """The finer type when the record says so, else ``carrier`` (the type the
    leader gave). ``forms``: form headings and form subdivisions as found;
    ``contents``: nature-of-contents codes, read with ``contents_codes``
    (code -> type); ``words``: title and subtitle; ``topics``: subject
    headings' main terms, read only beside a database form heading."""
    terms = {form_term(f) for f in forms if f}
    if carrier == "website":
        text = " | ".join(form_term(w) for w in [*words, *forms] if w)
        if _JOB_OFFERS.search(text):
            return JOB_BOARD
        about = " | ".join([text, *(form_term(t) for t in topics if t)])
        if _TRAINING_OFFER.search(text) or (_TRAINING.search(text) and _DATABASE.search(text)) or (
                terms & DATABASE_FORMS and _TRAINING.search(about)):
            return TRAINING_DATABASE
        return carrier
    if carrier not in ("book", "other"):
        return carrier
    coded = {(contents_codes or {}).get(code) for code in contents} - {None}
    if terms & EXAM_FORMS or EXAM_GUIDE in coded:
        return EXAM_GUIDE
    if terms & DIRECTORY_FORMS or DIRECTORY in coded:
        return DIRECTORY
    return carrier
