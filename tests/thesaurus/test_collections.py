"""Micro-thesauri and their advice pole: set by staff, shown to everyone,
never touched by an import."""
from __future__ import annotations

from sqlalchemy import select

from core.audit import AuditEvent
from core.vocab import Pole
from tests.support.factories import csrf_token, login, make_user
from thesaurus.models import ConceptCollection
from thesaurus.services.imports import ThesaurusImportService
from thesaurus.skos.read import read

SKOS = b"""@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<urn:x:scheme> a skos:ConceptScheme ; skos:prefLabel "Essai"@fr ; skos:hasTopConcept <http://x.org/emploi> .
<http://x.org/emploi> a skos:Concept ; skos:inScheme <urn:x:scheme> ; skos:topConceptOf <urn:x:scheme> ;
    skos:prefLabel "Emploi"@fr .
<http://x.org/mt> a skos:Collection ; skos:prefLabel "Trouver un travail"@fr ; skos:member <http://x.org/emploi> .
"""


def load(db):
    with db.transaction() as session:
        ThesaurusImportService(session).import_graph(read(SKOS, format="turtle"))
    with db.session() as session:
        return session.scalar(select(ConceptCollection.id))


def pole_of(db, collection_id):
    with db.session() as session:
        return session.get(ConceptCollection, collection_id).pole


def test_a_documentalist_attaches_a_micro_thesaurus_to_a_pole(client, db):
    collection = load(db)
    assert b'name="pole"' not in client.get(f"/thesaurus/collections/{collection}").data  # visitors: no form
    make_user(db, "doc")
    login(client, "doc")
    page = f"/thesaurus/collections/{collection}"
    response = client.post(f"/staff/thesaurus/collections/{collection}/pole",
                           data={"csrf_token": csrf_token(client, page), "pole": "job_search"})
    assert response.status_code == 302
    assert pole_of(db, collection) is Pole.JOB_SEARCH
    assert "Trouver un emploi" in client.get(page).get_data(as_text=True)
    with db.session() as session:
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "collection.pole")).one()
        assert event.actor.username == "doc" and event.changes == {"pole": [None, "job_search"]}

    # Importing the file again leaves the pole alone: SKOS does not carry it.
    load(db)
    assert pole_of(db, collection) is Pole.JOB_SEARCH


def test_counsellors_and_forms_without_token_cannot_change_the_pole(client, db, app):
    collection = load(db)
    make_user(db, "cons", role="counsellor", pole="orientation")
    login(client, "cons")
    token = csrf_token(client, "/staff/uses")
    assert client.post(f"/staff/thesaurus/collections/{collection}/pole",
                       data={"csrf_token": token, "pole": "orientation"}).status_code == 403
    make_user(db, "doc")
    other = app.test_client()
    login(other, "doc")
    assert other.post(f"/staff/thesaurus/collections/{collection}/pole",
                      data={"pole": "orientation"}).status_code == 400  # no CSRF token
    assert pole_of(db, collection) is None
