"""The centre's finer document types (issue 16, item 3) on the public
search page: each is a facet value with its label, never its code, and the
online ones are read online."""
from __future__ import annotations

import html as htmllib
import re

import pytest

from catalogue.vocab import DocumentType
from search.indexer import drain
from tests.support.factories import make_item, make_record
from tests.support.french import french

NEW = {"exam_guide": "Exam guides and past papers", "directory": "Directory",
       "training_database": "Training-offer database", "job_board": "Job-offer website"}
TITLES = {"exam_guide": "Annales des concours de l'emploi public", "directory": "Annuaire de l'emploi",
          "training_database": "Formations pour l'emploi en région", "job_board": "Offres d'emploi en région"}


def text_of(body: str) -> str:
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", body)).split())


@pytest.fixture
def works(app, db):
    ids = {}
    for index, code in enumerate(NEW):
        online = code in ("training_database", "job_board")
        record = make_record(db, title=TITLES[code], isbn=None, poles=["job_search"],
                             document_type=code, url="https://example.org/" + code if online else None)
        make_item(db, record.id, f"CMT{index}", **({"location": "Bornes internet"} if online else {}))
        ids[code] = record.id
    drain(app.extensions["catalogue.db"], app.extensions["catalogue.search"])
    return ids


def test_the_labels_are_the_vocabularys():
    assert {code: DocumentType(code).label for code in NEW} == NEW


def test_each_new_type_is_a_facet_value_with_its_french_label(client, works):
    body = client.get("/recherche?q=emploi").get_data(as_text=True)
    labels = {htmllib.unescape(label): count for label, count in re.findall(
        r'<span class="facet-label">([^<]+)</span> <span class="count">\((\d+)', body)}
    for msgid in NEW.values():
        assert labels.get(french(msgid)) == "1", msgid
    assert not set(NEW) & set(text_of(body).split())  # no raw code shown


@pytest.mark.parametrize("code", list(NEW))
def test_the_facet_filters_by_the_new_type(client, works, code):
    body = text_of(client.get(f"/recherche?document_type={code}").get_data(as_text=True))
    assert TITLES[code] in body
    assert all(TITLES[other] not in body for other in NEW if other != code)


def test_online_types_are_read_online(client, works):
    body = text_of(client.get("/recherche?availability=online").get_data(as_text=True))
    assert TITLES["job_board"] in body and TITLES["training_database"] in body
    assert TITLES["directory"] not in body
