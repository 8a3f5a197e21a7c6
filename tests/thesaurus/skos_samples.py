"""Small hand-written SKOS files for the import, export, CLI and autocomplete tests.

VERSION_1 is a tiny thesaurus; VERSION_2 is its next version: "Travail"
renamed, "Salaire" moved under it, the VAE concept deprecated in favour of
"Travail", "Métier" left out, "Curriculum vitae" added.
"""
from __future__ import annotations

PREFIXES = """\
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix ex: <http://example.org/thesaurus/> .
"""

EX = "http://example.org/thesaurus/"

VERSION_1 = PREFIXES + """
ex:scheme a skos:ConceptScheme ; dct:title "Thésaurus de test"@fr, "Test thesaurus"@en ;
    skos:hasTopConcept ex:emploi .
ex:emploi a skos:Concept ; skos:inScheme ex:scheme ; skos:topConceptOf ex:scheme ;
    skos:prefLabel "Emploi"@fr, "Employment"@en ;
    skos:narrower ex:travail, ex:salaire, ex:vae, ex:metier .
ex:travail a skos:Concept ; skos:inScheme ex:scheme ; skos:prefLabel "Travail"@fr ;
    skos:broader ex:emploi ; skos:related ex:salaire .
ex:salaire a skos:Concept ; skos:inScheme ex:scheme ; skos:prefLabel "Salaire"@fr ;
    skos:broader ex:emploi ; skos:narrower ex:smic .
ex:smic a skos:Concept ; skos:inScheme ex:scheme ; skos:prefLabel "Salaire minimum"@fr ;
    skos:altLabel "SMIC"@fr ; skos:broader ex:salaire .
ex:vae a skos:Concept ; skos:inScheme ex:scheme ;
    skos:prefLabel "Validation des acquis de l'expérience"@fr, "Accreditation of prior learning"@en ;
    skos:altLabel "VAE"@fr ; skos:hiddenLabel "Validation des aquis"@fr ;
    skos:scopeNote "Reconnaissance officielle de l'expérience professionnelle."@fr ;
    skos:broader ex:emploi .
ex:metier a skos:Concept ; skos:inScheme ex:scheme ; skos:prefLabel "Métier"@fr ; skos:broader ex:emploi .
ex:pole-emploi a skos:Collection ; skos:prefLabel "Pôle emploi"@fr ; skos:member ex:emploi, ex:vae .
"""

VERSION_2 = PREFIXES + """
ex:scheme a skos:ConceptScheme ; dct:title "Thésaurus de test"@fr, "Test thesaurus"@en ;
    skos:hasTopConcept ex:emploi .
ex:emploi a skos:Concept ; skos:inScheme ex:scheme ; skos:topConceptOf ex:scheme ;
    skos:prefLabel "Emploi"@fr, "Employment"@en ; skos:narrower ex:travail, ex:vae, ex:cv .
ex:travail a skos:Concept ; skos:inScheme ex:scheme ; skos:prefLabel "Travail salarié"@fr ;
    skos:broader ex:emploi .
ex:salaire a skos:Concept ; skos:inScheme ex:scheme ; skos:prefLabel "Salaire"@fr ;
    skos:broader ex:travail ; skos:narrower ex:smic .
ex:smic a skos:Concept ; skos:inScheme ex:scheme ; skos:prefLabel "Salaire minimum"@fr ;
    skos:altLabel "SMIC"@fr ; skos:broader ex:salaire .
ex:vae a skos:Concept ; skos:inScheme ex:scheme ; owl:deprecated true ; dct:isReplacedBy ex:travail ;
    skos:prefLabel "Validation des acquis de l'expérience"@fr, "Accreditation of prior learning"@en ;
    skos:altLabel "VAE"@fr ; skos:hiddenLabel "Validation des aquis"@fr ;
    skos:scopeNote "Reconnaissance officielle de l'expérience professionnelle."@fr ;
    skos:broader ex:emploi .
ex:cv a skos:Concept ; skos:inScheme ex:scheme ; skos:prefLabel "Curriculum vitae"@fr ;
    skos:altLabel "CV"@fr ; skos:broader ex:emploi .
ex:pole-emploi a skos:Collection ; skos:prefLabel "Pôle emploi"@fr ; skos:member ex:emploi, ex:vae, ex:cv .
"""

# VERSION_1 with a loop: "Emploi" under "Salaire minimum", itself under "Emploi".
WITH_CYCLE = VERSION_1 + """
ex:emploi skos:broader ex:smic .
"""

# The same kind of file in RDF/XML, with an untidy label (stored trimmed).
RDF_XML = b"""<?xml version="1.0" encoding="utf-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns:skos="http://www.w3.org/2004/02/skos/core#">
  <skos:ConceptScheme rdf:about="http://example.org/rdf/scheme"/>
  <skos:Concept rdf:about="http://example.org/rdf/orientation">
    <skos:inScheme rdf:resource="http://example.org/rdf/scheme"/>
    <skos:topConceptOf rdf:resource="http://example.org/rdf/scheme"/>
    <skos:prefLabel xml:lang="fr">Orientation   professionnelle</skos:prefLabel>
    <skos:narrower rdf:resource="http://example.org/rdf/bilan"/>
  </skos:Concept>
  <skos:Concept rdf:about="http://example.org/rdf/bilan">
    <skos:inScheme rdf:resource="http://example.org/rdf/scheme"/>
    <skos:prefLabel xml:lang="fr">Bilan de comp\xc3\xa9tences</skos:prefLabel>
    <skos:broader rdf:resource="http://example.org/rdf/orientation"/>
  </skos:Concept>
</rdf:RDF>
"""

# An entity declaration: refused unread.
WITH_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [<!ENTITY boom "boom">]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>
"""


def read_text(text: str):
    from thesaurus.skos.read import read

    return read(text.encode("utf-8"), format="turtle")
