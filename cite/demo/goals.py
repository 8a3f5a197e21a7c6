"""Demo goals: the centre's own table of its visitors and their goals
("je suis… / je veux…"), each a saved search on the demo thesaurus's
concepts (named by the end of their URI; narrower concepts count too) and,
for some, document types. Created through GoalService, so they follow every
rule and show in the audit trail; a goal already there (by its address) is
left as documentalists made it."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from search.goals import GoalService
from search.models import Goal
from thesaurus.models import Concept

CONCEPT_PREFIX = "https://thesaurus.cite-des-metiers.invalid/demo/concept/"
# The table's two groups of publics.
PUPILS_AND_PARENTS = ["middle_school", "high_school", "student", "parent"]
WORKING_LIFE = ["young_entrant", "job_seeker", "employee", "business_creator"]

GOALS = (
    # collégiens, lycéens, étudiants, parents
    ("etudes-diplomes-metiers", "s'informer sur les études, les diplômes et les métiers",
     "find out about studies, diplomas and occupations", PUPILS_AND_PARENTS,
     ["orientation-scolaire", "diplome", "etudes-superieures", "choix-metier"], []),
    ("etablissements-enseignement", "s'informer sur les établissements d'enseignement",
     "find out about schools, colleges and universities", PUPILS_AND_PARENTS,
     ["etablissement-enseignement"], []),
    ("enseignement-alternance", "s'informer sur l'enseignement en alternance",
     "find out about work-study programmes", PUPILS_AND_PARENTS, ["alternance", "cfa"], []),
    ("systeme-educatif", "connaître le fonctionnement du système éducatif",
     "understand how the education system works", PUPILS_AND_PARENTS, ["systeme-educatif"], []),
    # jeunes en insertion, demandeurs d'emploi, actifs, créateurs d'entreprise
    ("droit-du-travail", "connaître le droit du travail", "know about employment law", WORKING_LIFE,
     ["droit-travail"], []),
    ("concours-s-informer", "s'informer sur les concours administratifs", "find out about civil-service exams",
     WORKING_LIFE, ["concours", "fonction-publique"], ["book", "periodical", "directory", "website", "job_board"]),
    ("concours-preparer", "préparer les concours administratifs", "prepare for civil-service exams", WORKING_LIFE,
     ["preparation-concours", "concours"], ["exam_guide", "book"]),
    ("techniques-recherche-emploi",
     "consulter des guides de techniques de recherche d'emploi et des annuaires d'entreprises",
     "read job-search guides and business directories", WORKING_LIFE,
     ["techniques-recherche-emploi", "annuaire-entreprises"], []),
    ("offres-emploi", "consulter des offres d'emploi", "look at job offers", WORKING_LIFE, ["offre-emploi"],
     ["job_board", "website", "periodical"]),
    ("droits-formation", "connaître ses droits à la formation", "know your training entitlements", WORKING_LIFE,
     ["droits-formation", "cpf"], []),
    ("session-formation", "trouver la session de formation adaptée à son projet",
     "find the training course that fits your plans", WORKING_LIFE, ["offre-formation"], []),
    ("bilan-vae", "s'informer sur le bilan de compétences, la VAE",
     "find out about skills assessments and accreditation of prior learning", WORKING_LIFE,
     ["bilan-competences", "vae"], []),
    ("idees-creation", "trouver, préciser ou mettre en forme ses idées de création d'activité",
     "find, refine or shape a business idea", WORKING_LIFE, ["idee-creation", "etude-marche", "plan-affaires"], []),
    ("secteur-activite", "s'informer sur un secteur d'activité", "find out about a sector of activity",
     WORKING_LIFE, ["secteurs"], []),
    ("creation-juridique-fiscal-financier",
     "connaître les aspects juridiques, fiscaux, financiers de la création d'activité",
     "know the legal, tax and financial sides of starting a business", WORKING_LIFE,
     ["statut-juridique", "fiscalite-entreprise", "protection-sociale-dirigeant", "financement"], []),
)


def load_goals(session: Session, actor=None) -> int:
    """Create the demo goals not there yet; returns how many were created.
    Concepts missing from the thesaurus are left out, and a goal left with
    nothing to search is not created."""
    concepts = dict(session.execute(
        select(Concept.uri, Concept.id).where(Concept.uri.startswith(CONCEPT_PREFIX))).all())
    known = set(session.scalars(select(Goal.slug)))
    service = GoalService(session, actor)
    created = 0
    for position, (slug, label_fr, label_en, publics, names, types) in enumerate(GOALS):
        ids = [concepts[CONCEPT_PREFIX + name] for name in names if CONCEPT_PREFIX + name in concepts]
        if slug in known or not ids:
            continue
        service.create({"slug": slug, "label_fr": label_fr, "label_en": label_en, "publics": publics,
                        "concept_ids": ids, "document_types": types, "position": position, "published": True})
        created += 1
    return created
