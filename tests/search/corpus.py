"""Hand-written search documents, in the shape of search.projection's,
for the conformance suite. Every expectation in test_conformance_* is
worked out from these by hand: change one and check them all."""
from __future__ import annotations

from search.engine import SearchRequest
from search.query import parse


def document(id: int, title: str, **fields) -> dict:
    doc = {
        "id": id, "title": title, "subtitle": None, "contributors": [], "authors": [], "year": None,
        "year_range": None, "document_type": "book", "poles": [], "audiences": [], "languages": ["fre"],
        "summary": None, "notes": None, "isbn": None, "isbns": [], "issn": None, "publisher": None,
        "series": None, "libraries": [], "availability": "none", "title_sort": title.lower(),
        "subjects": [], "descriptors": [], "descriptor_paths": [], "descriptor_terms": [],
    }
    doc.update(fields)
    doc["contributors"] = list(doc["authors"])
    return doc


DOCUMENTS = [
    document(1, "La formation professionnelle des adultes", subtitle="guide pratique", authors=["Dupont, Jean"],
             year=2012, year_range="2010-2019", poles=["emploi"], audiences=["adultes"], publisher="Dunod",
             series="Guides pratiques", isbn="9782070360246", isbns=["9782070360246", "2070360245"],
             libraries=["Cité des métiers"], availability="available",
             title_sort="formation professionnelle des adultes",
             summary="Comment choisir sa formation & financer son projet <professionnel>.",
             descriptor_paths=[10, 11], descriptor_terms=["Formation continue"]),
    document(2, "Formations aux métiers du numérique", authors=["Martin, Anne"], year=2021,
             year_range="2020-2029", poles=["orientation"], audiences=["jeunes"], publisher="Onisep",
             series="Parcours", libraries=["Cité des métiers", "Médiathèque"], availability="unavailable"),
    document(3, "Créer son entreprise", subtitle="le guide de la création d'entreprise", authors=["Durand, Paul"],
             year=2018, year_range="2010-2019", poles=["creation"], audiences=["adultes"], publisher="Eyrolles",
             subjects=["Création d'entreprise"], libraries=["Médiathèque"], availability="available",
             title_sort="creer son entreprise"),
    document(4, "L'entreprise et ses métiers", authors=["Dupont, Marie"], year=1985, year_range="<1990",
             document_type="periodical", poles=["emploi", "creation"], title_sort="entreprise et ses metiers"),
    document(5, "Validation des acquis : mode d'emploi", year=2015, year_range="2010-2019",
             document_type="website", poles=["emploi"], availability="online",
             summary="Tout savoir sur la démarche.", descriptor_paths=[20, 21],
             descriptor_terms=["Validation des acquis de l'expérience", "VAE"]),
    document(6, "Job hunting in Europe", authors=["Smith, John"], year=2005, year_range="2000-2009",
             languages=["eng"], poles=["emploi"], audiences=["adultes"], libraries=["Cité des métiers"],
             availability="available"),
    document(7, "Le métier d'infirmier", year=2019, year_range="2010-2019", document_type="job_sheet",
             poles=["orientation"], audiences=["adultes", "jeunes"], libraries=["Cité des métiers"],
             availability="available", descriptor_paths=[30], title_sort="metier d'infirmier"),
    document(8, "Histoire de la formation en France", summary="Des corporations à l'ère du numérique.",
             title_sort="histoire de la formation en france"),
]


def search(engine, text: str = "", **options):
    return engine.search(SearchRequest(parse(text), **options))


def found(engine, text: str = "", **options) -> set[int]:
    """The ids of every document the search finds (all pages)."""
    result = search(engine, text, size=100, **options)
    return {hit.id for hit in result.hits}


def order(engine, text: str = "", **options) -> list[int]:
    return [hit.id for hit in search(engine, text, size=100, **options).hits]


def facet(result, name: str) -> list[tuple[str, int]]:
    return [(value.value, value.count) for value in result.facets[name]]
