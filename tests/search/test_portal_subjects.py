"""A portal's subjects: its base filter may keep the works indexed with
thesaurus concepts or narrower ones, named by label or number, kept as
numbers, refused field by field when unknown, and edited on the staff page
by label. On both databases, with the embedded engine (both engines pass
the filter's conformance suite, test_conformance_concept_filter)."""
from __future__ import annotations

import re

import pytest

from core.errors import ValidationFailed
from search.indexer import drain
from search.portals import PortalService
from search.services import SearchService
from tests.support.factories import csrf_token, login, make_record, make_user
from tests.thesaurus.support import make_concept


@pytest.fixture
def subjects(app, db):
    concours = make_concept(db, "Concours", en="Competitive examination")
    prep = make_concept(db, "Préparation des concours", broader=[concours])
    cv = make_concept(db, "Curriculum vitae", alt=["CV"])
    annales = make_record(db, title="Annales des concours de catégorie C", isbn=None, document_type="exam_guide",
                          year=2026, descriptors=[prep], summary="Sujets corrigés.")
    calendar = make_record(db, title="Calendrier des concours", isbn=None, document_type="website",
                           url="https://example.org/calendrier", year=2025, descriptors=[concours])
    models = make_record(db, title="Cent modèles de CV", isbn=None, year=2026, descriptors=[cv],
                         summary="Des CV pour les concours comme pour le privé.")
    make_record(db, title="Annales du baccalauréat", isbn=None, document_type="exam_guide", year=2024)
    drain(db, app.extensions["catalogue.search"])
    return {"concours": concours, "prep": prep, "cv": cv, "annales": annales.id, "calendar": calendar.id,
            "models": models.id}


def portal(db, **base_filter):
    with db.transaction() as session:
        return PortalService(session).create({"slug": "concours-administratifs", "title_fr": "Concours administratifs",
                                              "base_filter": base_filter})


def found(app, text, portal_id, **options):
    with app.extensions["catalogue.db"].session() as session:
        page = SearchService(session, app.extensions["catalogue.search"]).search(
            text, portal=PortalService(session).get(portal_id), record_stats=False, size=50, **options)
        return {hit.id for hit in page.result.hits}, page


def test_subjects_named_by_label_entry_term_or_number_are_kept_as_numbers(db, subjects):
    made = portal(db, concept=["concours", "CV", str(subjects["prep"]), "Concours"], document_type=["exam_guide"])
    assert made.base_filter == {"concept": [str(subjects["concours"]), str(subjects["cv"]), str(subjects["prep"])],
                                "document_type": ["exam_guide"]}


def test_an_unknown_subject_or_a_subject_to_boost_is_refused_field_by_field(db, subjects):
    with pytest.raises(ValidationFailed) as refused:
        portal(db, concept=["Concours", "Astronomie"])
    assert set(refused.value.fields) == {"base_filter.concept"}
    with db.transaction() as session, pytest.raises(ValidationFailed) as boosted:
        PortalService(session).create({"slug": "cv", "title_fr": "CV", "boost": {"concept": ["CV"]}})
    assert set(boosted.value.fields) == {"boost.concept"}


def test_the_portal_keeps_the_works_of_its_subjects_and_of_narrower_ones(app, db, subjects):
    made = portal(db, concept=["Concours"])
    everything, page = found(app, "", made.id)
    assert everything == {subjects["annales"], subjects["calendar"]}
    assert [(v.value, v.count) for v in page.result.facets["document_type"]] == [("exam_guide", 1), ("website", 1)]
    assert found(app, "annales", made.id)[0] == {subjects["annales"]}  # not the baccalauréat's
    assert found(app, "concours", made.id)[0] == {subjects["annales"], subjects["calendar"]}  # not the CV models
    assert found(app, "", made.id, filters={"document_type": ["exam_guide"]})[0] == {subjects["annales"]}


def test_the_staff_page_edits_subjects_by_label_and_shows_the_kiosk_address(app, client, db, subjects):
    made = portal(db, concept=["Concours", "CV"])
    make_user(db)
    login(client)
    url = f"/staff/portals/{made.id}"
    page = client.get(url).get_data(as_text=True)
    assert re.search(r'<textarea[^>]*name="base_filter-concept"[^>]*>\s*Concours\r?\nCurriculum vitae</textarea>', page)
    assert "http://localhost/kiosque/concours-administratifs" in page
    form = {"csrf_token": csrf_token(client, url), "version": str(made.version), "slug": made.slug,
            "title_fr": made.title_fr, "kiosk_idle_seconds": "120", "position": "0", "published": "y",
            "base_filter-concept": "Curriculum vitae\r\nPréparation des concours"}
    assert client.post(url, data=form).status_code == 302
    with db.session() as session:
        assert PortalService(session).get(made.id).base_filter == {
            "concept": [str(subjects["cv"]), str(subjects["prep"])]}
    refused = client.post(url, data={**form, "version": str(made.version + 1), "base_filter-concept": "Astronomie"})
    assert refused.status_code == 422
    field = re.search(r'<textarea[^>]*name="base_filter-concept"[^>]*>', refused.get_data(as_text=True)).group(0)
    assert 'aria-invalid="true"' in field
