"""The search service: thesaurus expansion, portals, suggestions, completion,
observatory counts. On both database backends; the visitor's "done when"
queries on the demo collection also on both engines."""
from __future__ import annotations

import pytest
from sqlalchemy import event, select, text

from core.lru import LRU
from search.indexer import drain
from search.models import Portal, QueryCount, SearchDay
from search.services import SearchService
from tests.support.factories import make_item, make_record
from tests.support.search import elasticsearch_url, search_app  # noqa: F401  (fixtures)
from thesaurus.models import Concept


def service(app, session):
    return SearchService(session, app.extensions["catalogue.search"])


def titles(app, text, **options):
    with app.extensions["catalogue.db"].session() as session:
        page = service(app, session).search(text, size=100, record_stats=False, **options)
        return [hit.title for hit in page.result.hits], page


# Tests marked demo start from a copy of the demo's database (tests/support/demo_copy.py).
ON_THE_DEMO = pytest.mark.demo(accounts=False)


@pytest.fixture
def demo(search_app):  # noqa: F811
    """The demo, indexed in the param's engine."""
    drain(search_app.extensions["catalogue.db"], search_app.extensions["catalogue.search"])
    return search_app


@ON_THE_DEMO
def test_a_new_visitor_finds_what_the_issue_promises_on_the_demo(demo):
    found, _ = titles(demo, "formations")
    assert {"Financer sa formation", "Mon compte formation", "Formation & Compétences"} <= set(found)

    # "VAE" is an entry term: works indexed with the concept match, whatever their words.
    found, page = titles(demo, "VAE")
    assert "Rédiger son dossier de validation" in found
    assert {"La VAE pas à pas", "France VAE"} <= set(found)
    assert [c.label for c in page.concepts] == ["Validation des acquis de l'expérience"]

    found, page = titles(demo, "creation entreprise")
    assert {"Créer son entreprise quand on est demandeur d'emploi", "Créer sa boîte"} <= set(found)
    assert "Création d'entreprise" in [c.label for c in page.concepts]  # named loosely: "d'" left out

    # A typing mistake: the works come anyway, found through a close spelling, and "did you mean" too.
    found, page = titles(demo, "fromation")
    assert {"Financer sa formation", "Mon compte formation"} <= set(found)
    assert page.approximate == page.result.total == len(found) > 0
    assert page.suggestion is not None and "formation" in page.suggestion
    assert titles(demo, page.suggestion)[0], "a suggestion always finds something"

    # The issue's case: the interview guides, directly.
    found, page = titles(demo, "entretein d'embauche")
    assert "Réussir son entretien d'embauche" in found[:10]


@ON_THE_DEMO
def test_exact_matches_come_first_and_fuzzy_ones_only_when_few_are_found(demo):
    found, page = titles(demo, "formations")
    assert page.approximate == 0 and page.result.exact is None  # enough exact works: no fallback
    found, page = titles(demo, "entretien d'embauche")
    assert "Réussir son entretien d'embauche" in found and page.suggestion is None
    exact = page.result.exact if page.result.exact is not None else page.result.total
    assert not any(hit.fuzzy for hit in page.result.hits[:exact])
    assert all(hit.fuzzy for hit in page.result.hits[exact:])
    with demo.extensions["catalogue.db"].session() as session:
        before = SearchService(session, demo.extensions["catalogue.search"], fuzzy_below=0)
        off = before.search("entretein d'embauche", record_stats=False)
    assert off.result.total == 0 and off.approximate == 0 and off.suggestion is not None


@ON_THE_DEMO
def test_a_deprecated_concept_leads_to_its_replacement(app):
    database = app.extensions["catalogue.db"]
    with database.transaction() as session:
        vae = session.scalar(select(Concept).where(Concept.uri.endswith("/vae")))
        from thesaurus.services.concepts import ConceptService
        old = ConceptService(session).create({"pref_labels": {"fr": "Validation des acquis"},
                                              "alt_labels": [{"language": "fr", "text": "VAP"}]})
        ConceptService(session).deprecate(old.id, vae.id)
    drain(database, app.extensions["catalogue.search"])
    found, page = titles(app, "VAP")
    assert [c.label for c in page.concepts] == ["Validation des acquis de l'expérience"]
    assert "Rédiger son dossier de validation" in found


@ON_THE_DEMO
def test_the_concepts_a_query_names_are_cached_until_the_thesaurus_changes(app, client):
    """Kept under the concepts' names' change token: a repeated search reads
    no label, and a write to the labels, even one no service made, is seen at once."""
    database = app.extensions["catalogue.db"]
    drain(database, app.extensions["catalogue.search"])
    statements = []
    event.listen(database.engine, "before_cursor_execute",
                 lambda _conn, _cursor, sql, *_rest: statements.append(sql))
    names = LRU(16)

    def named(query):
        with database.session() as session:
            return [c.label for c in SearchService(session, app.extensions["catalogue.search"],
                                                   names=names).search(query, record_stats=False).concepts]

    def reads_labels():
        read = [sql for sql in statements if "concept_labels" in sql]
        statements.clear()
        return bool(read)

    assert named("VAE") == ["Validation des acquis de l'expérience"]
    assert reads_labels()
    assert named("VAE") == ["Validation des acquis de l'expérience"]
    assert not reads_labels()
    # The web's own cache, per process, answers the same way.
    assert client.get("/api/v1/search?q=VAE").get_json()["concepts"][0]["label"].startswith("Validation")

    with database.transaction() as session:
        session.execute(text("DELETE FROM concept_labels WHERE key = 'vae'"))
    assert named("VAE") == []
    assert client.get("/api/v1/search?q=VAE").get_json()["concepts"] == []


def test_a_portal_filters_boosts_and_keeps_its_facets_inside(app):
    database = app.extensions["catalogue.db"]
    jobs = make_record(database, title="Trouver un emploi en Bretagne", poles=["job_search"], isbn=None)
    create = make_record(database, title="Trouver un local pour créer", poles=["business_creation"], isbn=None)
    both = make_record(database, title="Trouver sa voie", poles=["business_creation", "orientation"], isbn=None)
    drain(database, app.extensions["catalogue.search"])
    portal = Portal(slug="creer", title_fr="Créer", base_filter={"pole": ["business_creation"]},
                    boost={}, pole="business_creation")
    found, page = titles(app, "trouver", portal=portal)
    assert set(found) == {create.title, both.title}
    assert [v.value for v in page.result.facets["pole"]] == ["business_creation"]
    # The visitor's filters work inside the portal, never outside it.
    assert titles(app, "trouver", portal=portal, filters={"pole": ["job_search"]})[0] == []
    assert titles(app, "trouver", filters={"pole": ["job_search"]})[0] == [jobs.title]
    boosted = Portal(slug="b", title_fr="B", base_filter={}, boost={"pole": ["orientation"]})
    assert titles(app, "trouver", portal=boosted)[0][0] == both.title


@ON_THE_DEMO
def test_works_on_the_same_subjects_come_from_concept_ids(app):
    database = app.extensions["catalogue.db"]
    with database.session() as session:
        creation = session.scalar(select(Concept.id).where(Concept.uri.endswith("/creation")))
    drain(database, app.extensions["catalogue.search"])
    found, _ = titles(app, "", concept_ids=[creation])
    # The concept and its narrower ones (micro-entreprise is under statut juridique, under création).
    assert {"Créer sa boîte", "Créer sa micro-entreprise", "Reprendre une entreprise"} <= set(found)


@ON_THE_DEMO
def test_completion_merges_concepts_with_titles_and_authors(app):
    database = app.extensions["catalogue.db"]
    drain(database, app.extensions["catalogue.search"])
    with database.session() as session:
        entries = service(app, session).complete("va", size=9)
    kinds = [entry.kind for entry in entries]
    assert kinds[0] == "concept" and kinds.count("concept") <= 3
    assert any(e.kind == "concept" and e.pref_label == "Validation des acquis de l'expérience" for e in entries)
    assert all(e.kind in ("title", "author", "concept") for e in entries)
    with database.session() as session:
        assert service(app, session).complete("  ") == []


def test_searches_are_counted_anonymously_and_normalised(app):
    database = app.extensions["catalogue.db"]
    make_record(database, title="Le guide des formations", isbn=None)
    drain(database, app.extensions["catalogue.search"])
    portal = Portal(slug="emploi", title_fr="Emploi", base_filter={}, boost={}, pole="job_search")
    with database.transaction() as session:
        search = service(app, session)
        search.search("  FORMATIONS ")
        search.search("Formations")
        search.search("zzzqqq introuvable", portal=portal)
        search.search("", filters={"document_type": ["book"]})  # browsing: a search, not a query
        search.search("formations", record_stats=False)
    with database.session() as session:
        days = {(d.portal, d.searches, d.zero_results) for d in session.scalars(select(SearchDay))}
        queries = {(q.portal, q.pole, q.query, q.searches, q.zero_results) for q in session.scalars(select(QueryCount))}
    assert days == {("", 3, 0), ("emploi", 1, 1)}
    assert queries == {("", "", "formations", 2, 0), ("emploi", "job_search", "zzzqqq introuvable", 1, 1)}


def test_item_changes_reach_the_availability_and_library_facets(app):
    database = app.extensions["catalogue.db"]
    record = make_record(database, title="Le CV en 10 leçons", isbn=None)
    make_item(database, record.id, "CM1", status="missing", library="main")
    drain(database, app.extensions["catalogue.search"])
    _, page = titles(app, "leçons")
    assert [(v.value, v.count) for v in page.result.facets["availability"]] == [("unavailable", 1)]
    assert [v.value for v in page.result.facets["library"]] == ["main"]
