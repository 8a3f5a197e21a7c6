"""Thesaurus pages on both databases: the public ones (no login, no cookie)
and the staff ones (roles, CSRF, field errors, refusals, conflicts)."""
from __future__ import annotations

import gettext
import html as htmllib
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from catalogue.models import RecordDescriptor
from tests.support.factories import csrf_token, login, make_record, make_user
from tests.thesaurus.support import edit, index_record, make_concept
from thesaurus.models import Concept, ConceptLabel

EN = {"Accept-Language": "en"}
VAE = "Validation des acquis de l'expérience"
MO = Path(__file__).resolve().parents[2] / "cite" / "translations" / "fr" / "LC_MESSAGES" / "messages.mo"


def french(message: str, **params) -> str:
    """What the French interface shows for ``message`` (the English source
    until the French catalogue has it, as the server does)."""
    catalogue = gettext.NullTranslations()
    if MO.is_file():
        with MO.open("rb") as handle:
            catalogue = gettext.GNUTranslations(handle)
    return catalogue.gettext(message) % params


def text_of(response) -> str:
    """The page's visible text, tags dropped and spaces collapsed."""
    body = response.get_data(as_text=True)
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def errors_for(html: str, field_id: str) -> list[str]:
    block = re.search(rf'<ul class="errors" id="{re.escape(field_id)}-errors">(.*?)</ul>', html, re.S)
    return [htmllib.unescape(e) for e in re.findall(r"<li>(.*?)</li>", block.group(1))] if block else []


@pytest.fixture
def vae(db):
    """A small hierarchy: Formation > Certification > VAE (with entry term), and a record on VAE."""
    training = make_concept(db, "Formation", en="Training")
    certification = make_concept(db, "Certification professionnelle", en="Vocational certification",
                                 broader=[training])
    concept = make_concept(db, VAE, en="Accreditation of prior learning", broader=[certification],
                           alt=["VAE"], hidden=["Validation des acquis de l'experiance"])
    record = make_record(db, title="La VAE pas à pas", isbn=None)
    index_record(db, record.id, concept)
    return {"training": training, "certification": certification, "vae": concept, "record": record.id}


# Public pages -----------------------------------------------------------------
def test_public_pages_need_no_login_and_set_no_cookie(client, vae):
    urls = ["/thesaurus/", "/thesaurus/index?letter=V", f"/thesaurus/concepts/{vae['vae']}",
            f"/thesaurus/tree?parent={vae['training']}", "/thesaurus/search?q=vae", "/thesaurus/autocomplete?q=va"]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Set-Cookie" not in response.headers, url
        assert 'name="csrf_token"' not in response.get_data(as_text=True), url


def test_tree_starts_at_top_concepts_and_expands_lazily(client, vae):
    home = text_of(client.get("/thesaurus/"))
    assert "Formation" in home and VAE not in home
    fragment = client.get(f"/thesaurus/tree?parent={vae['training']}")
    assert "Certification professionnelle" in text_of(fragment)
    assert f'data-children="/thesaurus/tree?parent={vae["certification"]}"' in fragment.get_data(as_text=True)
    levels = client.get(f"/thesaurus/tree?parent={vae['certification']}&format=json").get_json()
    assert levels == [{"id": vae["vae"], "uri": levels[0]["uri"], "label": VAE, "has_children": False}]
    english = client.get(f"/thesaurus/tree?parent={vae['certification']}", headers={
        "Accept": "application/json", **EN}).get_json()
    assert english[0]["label"] == "Accreditation of prior learning"
    assert client.get("/thesaurus/tree?parent=999999").status_code == 404


def test_concept_page_shows_labels_relations_and_works_of_narrower_concepts(client, db, vae):
    page = text_of(client.get(f"/thesaurus/concepts/{vae['vae']}"))
    assert VAE in page and "VAE" in page and "Certification professionnelle" in page
    assert "experiance" not in page  # hidden labels (misspellings) are never shown
    assert "La VAE pas à pas" in page
    # The record is indexed with VAE only: it shows on its broader concepts' pages too.
    assert "La VAE pas à pas" in text_of(client.get(f"/thesaurus/concepts/{vae['training']}"))
    other = make_concept(db, "Emploi")
    assert "La VAE pas à pas" not in text_of(client.get(f"/thesaurus/concepts/{other}"))
    english = text_of(client.get(f"/thesaurus/concepts/{vae['vae']}", headers=EN))
    assert "Accreditation of prior learning" in english and "Works on this subject" in english
    assert client.get("/thesaurus/concepts/999999").status_code == 404


def test_alphabetical_index_sends_entry_terms_to_preferred_terms(client, vae):
    page = text_of(client.get("/thesaurus/index?letter=V"))
    assert french("%(term)s, see %(preferred)s", term="VAE", preferred=VAE) in page
    assert "Formation" not in page  # another letter
    english = text_of(client.get("/thesaurus/index?letter=V", headers=EN))
    assert "Vocational certification" in english and "VAE" not in english  # English labels only
    english = text_of(client.get("/thesaurus/index?letter=A", headers=EN))
    assert "Accreditation of prior learning" in english
    assert "Formation" in text_of(client.get("/thesaurus/index?letter=f"))


def test_search_and_autocomplete_lead_from_entry_terms_to_concepts(client, vae):
    matches = client.get("/thesaurus/autocomplete?q=vae").get_json()["matches"]
    assert [(m["id"], m["display"]) for m in matches] == [(vae["vae"], f"VAE → {VAE}")]
    accents = client.get("/thesaurus/autocomplete?q=CERTIF").get_json()["matches"]
    assert [m["id"] for m in accents] == [vae["certification"]]
    page = text_of(client.get("/thesaurus/search?q=Vae"))
    assert f"VAE → {VAE}" in page


# Staff pages: who may do what -------------------------------------------------
def test_staff_pages_need_login_and_edits_need_the_role(client, db, vae):
    for url in ("/staff/thesaurus/", f"/staff/thesaurus/concepts/{vae['vae']}", "/staff/thesaurus/concepts/new",
                "/staff/thesaurus/autocomplete?q=v"):
        response = client.get(url)
        assert response.status_code == 302 and response.headers["Location"].startswith("/login"), url
    make_user(db, "conseil", role="counsellor", pole="job_search")
    login(client, "conseil")
    page = client.get(f"/staff/thesaurus/concepts/{vae['vae']}")
    assert page.status_code == 200
    assert "/labels\"" not in page.get_data(as_text=True)  # no edit forms for a counsellor
    token = csrf_token(client, "/staff/thesaurus/")
    response = client.post(f"/staff/thesaurus/concepts/{vae['vae']}/labels",
                           data={"csrf_token": token, "label-text": "Acquis", "label-kind": "alt"})
    assert response.status_code == 403
    assert client.get("/staff/thesaurus/concepts/new").status_code == 403


def test_staff_autocomplete_shows_where_an_entry_term_leads(client, db, vae):
    make_user(db)
    login(client)
    body = client.get("/staff/thesaurus/autocomplete?q=VAE").get_json()
    assert body["matches"][0]["display"] == f"VAE → {VAE}"
    assert body["matches"][0]["id"] == vae["vae"]


# Staff edits ------------------------------------------------------------------
def concept_page(client, concept_id) -> str:
    return client.get(f"/staff/thesaurus/concepts/{concept_id}").get_data(as_text=True)


def version_of(db, concept_id) -> int:
    with db.session() as session:
        return session.get(Concept, concept_id).version


def test_documentalist_adds_an_entry_term_and_it_is_logged(client, db):
    concept = make_concept(db, "Bilan de compétences")
    make_user(db)
    login(client)
    token = csrf_token(client, f"/staff/thesaurus/concepts/{concept}")
    response = client.post(f"/staff/thesaurus/concepts/{concept}/labels", data={
        "csrf_token": token, "label-text": "Bilan pro", "label-kind": "alt", "label-language": "fr",
        "label-version": str(version_of(db, concept))})
    assert response.status_code == 302, response.get_data(as_text=True)
    with db.session() as session:
        labels = session.scalars(select(ConceptLabel.text).where(ConceptLabel.concept_id == concept,
                                                                 ConceptLabel.kind == "alt")).all()
    assert labels == ["Bilan pro"]
    page = text_of(client.get(response.headers["Location"], headers=EN))
    assert "Bilan pro" in page and "Term added" in page and "Doc" in page  # who, in the history


def test_form_without_csrf_token_changes_nothing(client, db):
    concept = make_concept(db, "Bilan de compétences")
    make_user(db)
    login(client)
    response = client.post(f"/staff/thesaurus/concepts/{concept}/labels",
                           data={"label-text": "Bilan pro", "label-kind": "alt", "label-language": "fr"})
    assert response.status_code == 400
    with db.session() as session:
        assert session.scalars(select(ConceptLabel).where(ConceptLabel.kind == "alt")).all() == []


def test_move_that_makes_a_cycle_is_refused_naming_the_chain(client, db):
    work = make_concept(db, "Travail")
    job = make_concept(db, "Emploi", broader=[work])
    make_user(db)
    login(client)
    token = csrf_token(client, f"/staff/thesaurus/concepts/{work}")
    response = client.post(f"/staff/thesaurus/concepts/{work}/move", headers=EN, data={
        "csrf_token": token, "move-broader": [str(job)], "move-version": str(version_of(db, work))})
    assert response.status_code == 422
    page = text_of(response)
    assert "This change was refused." in page
    assert "Travail" in page and re.search(r"Travail\W+>\W+Emploi\W+>\W+Travail", page), page
    with db.session() as session:
        assert session.get(Concept, work).top_concept


def test_move_by_typed_term_without_javascript(client, db):
    work = make_concept(db, "Travail")
    job = make_concept(db, "Emploi")
    make_user(db)
    login(client)
    token = csrf_token(client, f"/staff/thesaurus/concepts/{job}")
    response = client.post(f"/staff/thesaurus/concepts/{job}/move", data={
        "csrf_token": token, "move-broader_query": "travail", "move-version": str(version_of(db, job))})
    assert response.status_code == 302, response.get_data(as_text=True)
    assert "Travail" in text_of(client.get(f"/thesaurus/concepts/{job}"))
    response = client.post(f"/staff/thesaurus/concepts/{job}/move", headers=EN, data={
        "csrf_token": token, "move-broader": [str(work)], "move-broader_query": "Nulle part",
        "move-version": str(version_of(db, job))})
    assert response.status_code == 422
    assert errors_for(response.get_data(as_text=True), "move-broader_query") == [
        "No single concept has the term “Nulle part”: pick one among the suggestions."]


def test_rename_shows_field_errors_and_a_stale_version_answers_409(client, db):
    concept = make_concept(db, "Emploi", en="Employment")
    make_user(db)
    login(client)
    token = csrf_token(client, f"/staff/thesaurus/concepts/{concept}")
    old_version = version_of(db, concept)
    response = client.post(f"/staff/thesaurus/concepts/{concept}/edit", headers=EN, data={
        "csrf_token": token, "pref_label_fr": "  ", "pref_label_en": "Jobs", "status": "approved",
        "version": str(old_version)})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert errors_for(html, "pref_label_fr") == ["A concept needs a French preferred term."]
    assert 'value="Jobs"' in html  # the editor's values stay

    edit(db, "add_label", concept, "alt", "fr", "Travail salarié")  # someone else, meanwhile
    response = client.post(f"/staff/thesaurus/concepts/{concept}/edit", headers=EN, data={
        "csrf_token": token, "pref_label_fr": "Emploi salarié", "pref_label_en": "Employment", "status": "approved",
        "version": str(old_version)})
    assert response.status_code == 409
    page = text_of(response)
    assert "Version conflict" in page and "Someone else changed this concept" in page
    assert 'value="Emploi salarié"' in response.get_data(as_text=True)
    with db.session() as session:
        assert session.get(Concept, concept).pref_label_fr == "Emploi"

    response = client.post(f"/staff/thesaurus/concepts/{concept}/edit", data={
        "csrf_token": token, "pref_label_fr": "Emploi salarié", "pref_label_en": "Employment", "status": "approved",
        "scope_note_fr": "Le travail contre un salaire.", "version": str(version_of(db, concept))})
    assert response.status_code == 302
    page = text_of(client.get(f"/thesaurus/concepts/{concept}"))
    assert "Emploi salarié" in page and "Le travail contre un salaire." in page


def test_label_clash_is_refused_with_the_reason(client, db):
    make_concept(db, "Curriculum vitae", alt=["CV"])
    other = make_concept(db, "Lettre de motivation")
    make_user(db)
    login(client)
    token = csrf_token(client, f"/staff/thesaurus/concepts/{other}")
    response = client.post(f"/staff/thesaurus/concepts/{other}/labels", headers=EN, data={
        "csrf_token": token, "label-text": "Curriculum vitae", "label-kind": "alt", "label-language": "fr"})
    assert response.status_code == 422
    assert "Curriculum vitae" in text_of(response) and "This change was refused." in text_of(response)


def test_create_merge_and_deprecate_through_the_forms(client, db, vae):
    make_user(db)
    login(client)
    token = csrf_token(client, "/staff/thesaurus/concepts/new")
    response = client.post("/staff/thesaurus/concepts/new", data={
        "csrf_token": token, "pref_label_fr": "Validation des acquis", "status": "approved",
        "broader": [str(vae["certification"])]})
    assert response.status_code == 302, response.get_data(as_text=True)
    created = int(response.headers["Location"].rsplit("/", 1)[1])

    response = client.post(f"/staff/thesaurus/concepts/{created}/merge", data={
        "csrf_token": token, "merge-concept": str(vae["vae"])})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/staff/thesaurus/concepts/{vae['vae']}")
    page = text_of(client.get(f"/thesaurus/concepts/{vae['vae']}"))
    assert "Validation des acquis" in page.replace(VAE, "")  # the loser's label is an entry term now

    response = client.post(f"/staff/thesaurus/concepts/{vae['certification']}/deprecate", data={
        "csrf_token": token, "deprecate-concept_label": "formation"})
    assert response.status_code == 302, response.get_data(as_text=True)
    with db.session() as session:
        deprecated = session.get(Concept, vae["certification"])
        assert deprecated.status.value == "deprecated" and deprecated.replaced_by_id == vae["training"]
    assert "Formation" in text_of(client.get(f"/thesaurus/concepts/{vae['certification']}"))


def test_staff_list_filters_by_term(client, db, vae):
    make_user(db)
    login(client)
    page = text_of(client.get("/staff/thesaurus/?q=vae"))
    assert VAE in page and "Formation" not in page


# Records ------------------------------------------------------------------------
def test_record_form_takes_descriptors_and_the_record_page_shows_them(client, db, vae):
    make_user(db)
    login(client)
    token = csrf_token(client, "/staff/records/new")
    form = client.get("/staff/records/new").get_data(as_text=True)
    assert 'data-picker="multi"' in form and "descriptors.js" in form
    response = client.post("/staff/records/new", data={
        "csrf_token": token, "title": "Réussir sa VAE", "document_type": "book", "languages": "fre",
        "descriptors": [str(vae["certification"])], "descriptors_query": "vae"})
    assert response.status_code == 302, response.get_data(as_text=True)
    record_id = int(response.headers["Location"].rsplit("/", 1)[1])
    with db.session() as session:
        got = set(session.scalars(select(RecordDescriptor.concept_id).where(RecordDescriptor.record_id == record_id)))
    assert got == {vae["certification"], vae["vae"]}
    page = text_of(client.get(f"/staff/records/{record_id}"))
    assert VAE in page and "Certification professionnelle" in page
    edit_form = client.get(f"/staff/records/{record_id}/edit").get_data(as_text=True)
    assert f'name="descriptors" value="{vae["vae"]}" checked' in edit_form


def test_record_form_refuses_a_typed_descriptor_that_names_no_concept(client, db, vae):
    make_user(db)
    login(client)
    token = csrf_token(client, "/staff/records/new")
    response = client.post("/staff/records/new", headers=EN, data={
        "csrf_token": token, "title": "Réussir sa VAE", "document_type": "book", "descriptors_query": "Zzz"})
    assert response.status_code == 422
    assert errors_for(response.get_data(as_text=True), "descriptors_query") == [
        "No single concept has the term “Zzz”: pick one among the suggestions."]


# Alignment ----------------------------------------------------------------------
def test_heading_queue_suggests_and_maps_a_heading_to_a_concept(client, db):
    from catalogue.models import RecordSubject

    concept = make_concept(db, "Entretien d'embauche")
    record = make_record(db)
    with db.transaction() as session:
        session.add(RecordSubject(record_id=record.id, heading="Entretien d'embauche", vocabulary="rameau"))
    make_user(db)
    login(client)
    response = client.get("/staff/thesaurus/headings")
    html = response.get_data(as_text=True)
    assert "Entretien d&#39;embauche" in html and f'name="concept" value="{concept}"' in html  # suggested
    token = csrf_token(client, "/staff/thesaurus/headings")
    key = htmllib.unescape(re.search(r'name="heading_key" value="([^"]+)"', html).group(1))
    refused = client.post("/staff/thesaurus/headings/map", headers=EN, data={
        "csrf_token": token, "heading_key": key, "concept": "", "concept_label": "Nulle part"})
    assert refused.status_code == 422 and "No single concept has the term" in text_of(refused)
    response = client.post("/staff/thesaurus/headings/map", data={
        "csrf_token": token, "heading_key": key, "concept": str(concept), "concept_label": "Entretien d'embauche"})
    assert response.status_code == 302
    with db.session() as session:
        assert session.scalars(select(RecordDescriptor.concept_id)
                               .where(RecordDescriptor.record_id == record.id)).all() == [concept]
    page = text_of(client.get("/staff/thesaurus/headings", headers=EN))
    assert "Every incoming heading is aligned." in page and "Remove the mapping" in page
