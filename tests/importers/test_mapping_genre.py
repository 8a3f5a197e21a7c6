"""The finer document types guessed from MARC form headings, contents codes
and website titles (no database: runs once)."""
from __future__ import annotations

import pytest
from pymarc import Field

from importers.marc.mapping import genre, to_catalogue
from tests.support.marc import cf, df, record

BOOK = "00000nam a2200000 a 4500"
SERIAL = "00000nas a2200000 a 4500"
WEB21 = "00000nai a2200000 a 4500"  # integrating resource
F008 = "800108s1999    fr            000 0 fre  "
DIRECTORY_008 = F008[:24] + "r   " + F008[28:]
UNIMARC = "00000nam0 2200000   450 "
UNIMARC_WEB = "00000nli0 2200000   450 "
LINK = ("u", "https://example.org/")


def marc21(*fields: Field, leader: str = BOOK, f008: str = F008) -> str:
    return to_catalogue(record(leader, cf("008", f008), *fields), "marc21").data["document_type"]


def unimarc(*fields: Field, leader: str = UNIMARC) -> str:
    return to_catalogue(record(leader, *fields), "unimarc").data["document_type"]


@pytest.mark.parametrize("fields, f008, expected", [
    ([df("655", " 7", ("a", "Examinations, questions, etc."), ("2", "lcgft"))], F008, "exam_guide"),
    ([df("650", " 0", ("a", "Civil service"), ("z", "France"), ("v", "Examinations."))], F008, "exam_guide"),
    ([df("650", " 0", ("a", "Mathematics"), ("v", "Study guides."))], F008, "exam_guide"),
    ([df("650", " 7", ("a", "Fonction publique"), ("v", "Annales"), ("2", "rameau"))], F008, "exam_guide"),
    ([df("650", " 0", ("a", "Business enterprises"), ("z", "France"), ("v", "Directories."))], F008, "directory"),
    ([df("655", " 7", ("a", "Annuaires"), ("2", "rameau"))], F008, "directory"),
    ([df("650", " 7", ("a", "Organismes de formation"), ("v", "Répertoires"), ("2", "rameau"))], F008,
     "directory"),
    ([], DIRECTORY_008, "directory"),  # 008/24 "r": directories
    # Not form headings, or not explicit: the leader's type stays.
    ([df("650", " 7", ("a", "Concours"), ("x", "Fonction publique"), ("2", "rameau"))], F008, "book"),
    ([df("650", " 0", ("a", "Job hunting"), ("v", "Handbooks, manuals, etc."))], F008, "book"),
    ([df("655", " 7", ("a", "Guides pratiques"), ("2", "rameau"))], F008, "book"),
    ([df("245", "00", ("a", "Annuaire statistique de la France"))], F008, "book"),
])
def test_marc21_books_by_form(fields, f008, expected):
    fields = fields if any(f.tag == "245" for f in fields) else [df("245", "00", ("a", "Un titre")), *fields]
    assert marc21(*fields, f008=f008) == expected


def test_marc21_serial_stays_a_periodical_whatever_its_form():
    assert marc21(df("245", "00", ("a", "Annuaire des entreprises")),
                  df("650", " 0", ("a", "Business enterprises"), ("v", "Directories.")), leader=SERIAL) == "periodical"


@pytest.mark.parametrize("title, forms, expected", [
    ("Offres d'emploi en Île-de-France", [], "job_board"),
    ("Indeed", [df("655", " 7", ("a", "Job listings"), ("2", "local"))], "job_board"),
    ("Carif-Oref : l'offre de formation en région", [], "training_database"),
    ("Intercariforef", [df("655", " 7", ("a", "Bases de données"), ("2", "rameau")),
                        df("650", " 7", ("a", "Formation continue"), ("v", "Bases de données"))],
     "training_database"),
    ("Base de données des formations", [], "training_database"),
    ("Le portail de l'emploi public", [], "website"),
    ("Formation continue : vos droits", [], "website"),  # about training, not a database of it
])
def test_marc21_websites_by_title_and_form(title, forms, expected):
    assert marc21(df("245", "00", ("a", title)), df("856", "40", LINK), *forms, leader=WEB21) == expected


def test_marc21_book_about_job_offers_stays_a_book():
    assert marc21(df("245", "00", ("a", "Répondre aux offres d'emploi"))) == "book"


def test_own_type_in_959_wins_over_the_guess():
    assert marc21(df("245", "00", ("a", "Un titre")), df("655", " 7", ("a", "Annales")),
                  df("959", "  ", ("t", "job_sheet"))) == "job_sheet"


@pytest.mark.parametrize("fields, expected", [
    ([df("608", "  ", ("a", "Annales"), ("2", "rameau"))], "exam_guide"),
    ([df("606", "  ", ("a", "Fonction publique"), ("y", "France"), ("j", "Concours"), ("2", "rameau"))],
     "exam_guide"),
    ([df("606", "  ", ("a", "Baccalauréat"), ("j", "Examens"), ("2", "rameau"))], "exam_guide"),
    ([df("606", "  ", ("a", "Entreprises"), ("j", "Annuaires"), ("2", "rameau"))], "directory"),
    ([df("608", "  ", ("a", "Répertoires"), ("2", "rameau"))], "directory"),
    ([df("105", "  ", ("a", "a   g   000yy"))], "directory"),  # 105 $a/4 "g": directory
    ([df("105", "  ", ("a", "a   q   000yy"))], "exam_guide"),  # 105 $a/4 "q": examination papers
    ([df("606", "  ", ("a", "Concours"), ("x", "Préparation"), ("2", "rameau"))], "book"),  # topical, not form
    ([df("608", "  ", ("a", "Guides pratiques"), ("2", "rameau"))], "book"),
    ([df("105", "  ", ("a", "a   z   000yy"))], "book"),
])
def test_unimarc_books_by_form(fields, expected):
    assert unimarc(df("200", "1 ", ("a", "Un titre")), *fields) == expected


@pytest.mark.parametrize("title, expected", [
    ("Offres d'emploi de la fonction publique", "job_board"),
    ("Offre de formation continue en Bretagne", "training_database"),
    ("Site de l'Onisep", "website"),
])
def test_unimarc_websites_by_title(title, expected):
    assert unimarc(df("200", "1 ", ("a", title)), df("856", "4 ", LINK), leader=UNIMARC_WEB) == expected


def test_guess_keeps_other_carriers():
    assert genre.guess("audiovisual", forms=["Annales"]) == "audiovisual"
    assert genre.guess("cd_dvd", forms=["Directories"]) == "cd_dvd"
    assert genre.guess("other", forms=["Study guides."]) == "exam_guide"
    assert genre.form_term("Examinations, questions, etc.") == "examinations, questions, etc"
    assert genre.form_term("Répertoires ") == "repertoires"


def test_unimarc_database_about_training():
    assert unimarc(df("200", "1 ", ("a", "Intercariforef")), df("856", "4 ", LINK),
                   df("606", "  ", ("a", "Formation professionnelle"), ("j", "Bases de données")),
                   leader=UNIMARC_WEB) == "training_database"
    assert unimarc(df("200", "1 ", ("a", "Persée")), df("856", "4 ", LINK),
                   df("606", "  ", ("a", "Sciences humaines"), ("j", "Bases de données")),
                   leader=UNIMARC_WEB) == "website"
