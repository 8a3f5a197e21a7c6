"""The centre's portals on the demo, tried as visitors would: every portal
has works and its selection lies inside it, a job seeker finds the
civil-service exam guides through "Concours administratifs" (on both
engines), the CV-writing kiosk; and an existing install gets the concepts
and portals added since its first ``catalogue demo``."""
from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import select

from cite.demo import CONCEPT_PREFIX, THESAURUS, load_thesaurus
from cite.demo.portals import PORTALS, THEMATIC, load_portals
from search.indexer import drain
from search.models import Portal
from search.portals import PortalService
from search.services import SearchService
from tests.support.search import elasticsearch_url, search_app  # noqa: F401  (fixtures)
from thesaurus.models import Concept, ConceptRelation
from thesaurus.services.imports import ThesaurusImportService
from thesaurus.skos.read import read
from thesaurus.vocab import RelationKind

# The demo's exam guides and past papers on civil-service exams (the older prep manuals are books).
EXAM_GUIDES = {"Annales des concours de catégorie C", "Technicien territorial", "Culture générale pour les concours",
               "L'oral des concours de la fonction publique", "Raisonnement logique et mathématiques aux concours",
               "Contrôleur des douanes", "La note de synthèse aux concours administratifs",
               "Les QCM de culture générale aux concours"}


# Tests marked demo start from a copy of the demo's database (tests/support/demo_copy.py).
ON_THE_DEMO = pytest.mark.demo(accounts=False)


def demo(app):
    """The app, with the demo indexed in its engine."""
    drain(app.extensions["catalogue.db"], app.extensions["catalogue.search"])
    return app


def page_text(response) -> str:
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", response.get_data(as_text=True), flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


@ON_THE_DEMO
def test_every_portal_has_works_and_its_selection_lies_inside(search_app):  # noqa: F811
    app = demo(search_app)
    with app.extensions["catalogue.db"].session() as session:
        portals = PortalService(session).list(published_only=True)
        assert [p.slug for p in portals] == [spec["slug"] for spec in PORTALS]
        search = SearchService(session, app.extensions["catalogue.search"])
        for portal in portals:
            page = search.search("", portal=portal, size=100, record_stats=False)
            inside = {hit.id for hit in page.result.hits}
            assert page.result.total >= 5, portal.slug
            chosen = [entry.record_id for entry in portal.selections]
            assert len(chosen) >= 2 and set(chosen) <= inside, portal.slug
        thematic = [p for p in portals if p.slug in {spec["slug"] for spec in THEMATIC}]
        assert len(thematic) == 8 and all(p.pole is None and p.base_filter["concept"] for p in thematic)


@ON_THE_DEMO
def test_a_job_seeker_finds_the_exam_guides_through_concours_administratifs(search_app):  # noqa: F811
    client = demo(search_app).test_client()
    portals = client.get("/portails/")
    assert 'href="/portails/concours-administratifs"' in portals.get_data(as_text=True)
    home = client.get("/portails/concours-administratifs")
    assert home.status_code == 200 and "Set-Cookie" not in home.headers
    body = home.get_data(as_text=True)
    assert "Répertoire des concours de la fonction publique" in page_text(home)  # the selection
    # A way in by document type leads to the exam guides, and nothing else.
    way = re.search(r'href="(/portails/concours-administratifs/recherche\?document_type=exam_guide)"', body)
    assert way, "no way in to the exam guides"
    found = client.get(html.unescape(way.group(1))).get_data(as_text=True)
    titles = {html.unescape(re.sub(r"<[^>]+>", "", title)).strip()
              for title in re.findall(r"<h3><a [^>]*>(.*?)</a>", found, flags=re.S)}
    assert titles == EXAM_GUIDES
    # Searching the portal finds inside it only: no CV guide answers "concours".
    inside = page_text(client.get("/portails/concours-administratifs/recherche?q=annales"))
    assert "Annales des concours de catégorie C" in inside and "Cent modèles de CV" not in inside
    assert "Cent modèles de CV" not in page_text(client.get("/portails/concours-administratifs/recherche?q=CV"))


@ON_THE_DEMO
def test_the_cv_writing_kiosk(app):
    client = demo(app).test_client()
    kiosk = client.get("/kiosque/redaction-de-cv")
    assert kiosk.status_code == 200 and "Set-Cookie" not in kiosk.headers
    body = kiosk.get_data(as_text=True)
    assert 'class="kiosk"' in body and 'data-kiosk-idle="300"' in body
    assert 'data-kiosk-home="/kiosque/redaction-de-cv"' in body
    text = page_text(kiosk)
    assert "Rédaction de CV" in text and "Cent modèles de CV" in text
    assert "Atelier CV en ligne" in text and 'href="https://www.atelier-cv.example"' not in body  # no way out
    found = page_text(client.get("/portails/redaction-de-cv/recherche?q=CV&kiosk=1"))
    assert "Le CV vidéo" in found and "Mon premier CV" in found
    assert "Annales des concours de catégorie C" not in found


def test_an_existing_install_gets_the_concepts_and_portals_added_since(db):
    # The first demo's thesaurus: the file without the concepts added for the thematic portals.
    graph = read(THESAURUS)
    new = {uri for uri in graph.concepts if uri[len(CONCEPT_PREFIX):] in SINCE}
    assert len(new) == len(SINCE)
    for uri in new:
        del graph.concepts[uri]
    for concept in graph.concepts.values():
        concept.broader -= new
        concept.narrower -= new
        concept.related -= new
    for collection in graph.collections.values():
        collection.members -= new
    graph.source = None
    with db.transaction() as session:
        ThesaurusImportService(session).import_graph(graph, source="first-demo.ttl")
    with db.transaction() as session:
        assert load_thesaurus(session) == len(SINCE)
        assert load_thesaurus(session) == 0
        ids = dict(session.execute(select(Concept.uri, Concept.id)).all())
        broader = {(ids[CONCEPT_PREFIX + a], ids[CONCEPT_PREFIX + b]) for a, b in (
            ("preparation-concours", "concours"), ("cfa", "etablissement-enseignement"), ("retraite",
             "seconde-partie-carriere"), ("droit-travail", "vie-pro"))}
        stored = set(session.execute(select(ConceptRelation.source_id, ConceptRelation.target_id)
                                     .where(ConceptRelation.kind == RelationKind.BROADER.value)).all())
        assert broader <= stored
        # what the documentalists have is left as it was: the contract stays under working life
        assert (ids[CONCEPT_PREFIX + "contrat-travail"], ids[CONCEPT_PREFIX + "droit-travail"]) not in stored
        assert load_portals(session) == len(PORTALS)
        cv = session.scalar(select(Portal).where(Portal.slug == "redaction-de-cv"))
        assert cv.base_filter == {"concept": [str(ids[CONCEPT_PREFIX + "cv"]),
                                              str(ids[CONCEPT_PREFIX + "lettre-motivation"])]}
        assert cv.kiosk_idle_seconds == 300 and cv.pole is None
        assert load_portals(session) == 0


SINCE = {"droit-travail", "handicap", "rqth", "seconde-partie-carriere", "retraite", "systeme-educatif",
         "etablissement-enseignement", "etudes-superieures", "cfa", "droits-formation", "transition-pro",
         "offre-formation", "organisme-formation", "accompagnement-vae", "preparation-concours", "fonction-publique",
         "techniques-recherche-emploi", "annuaire-entreprises", "cv-video", "idee-creation", "fiscalite-entreprise",
         "protection-sociale-dirigeant"}
