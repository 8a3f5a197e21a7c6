"""Demo portals: one per advice pole, each named by the visitor's goal
(never by a partner organisation), with a curated selection taken from the
demo collection by title. Created through PortalService, so they follow
every rule and show in the audit trail."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalogue.models import Record
from search.models import Portal
from search.portals import PortalService

PORTALS = (
    {"slug": "choisir-son-orientation", "pole": "orientation",
     "title_fr": "Choisir son orientation", "title_en": "Choose a career path",
     "description_fr": "Découvrir les métiers, les études et les formations pour trouver sa voie : fiches métiers, "
                       "guides des études après le bac, apprentissage.",
     "description_en": "Discover jobs, studies and training to find your way: job-description sheets, guides to "
                       "studies after the baccalauréat, apprenticeships.",
     "boost": {"document_type": ["job_sheet"]},
     "selection": ["Quelles études après le bac ?", "L'apprentissage de A à Z", "Parcoursup"]},
    {"slug": "organiser-son-parcours", "pole": "pathway",
     "title_fr": "Organiser son parcours professionnel et de formation", "title_en": "Plan your career and training",
     "description_fr": "Se former tout au long de la vie, financer une formation, valider ses acquis, préparer "
                       "un concours.",
     "description_en": "Lifelong learning, paying for training, accreditation of prior learning, preparing "
                       "for competitive exams.",
     "boost": {"document_type": ["diploma_framework"]},
     "selection": ["La VAE pas à pas", "Concours de la fonction publique catégorie C", "Mon compte formation"]},
    {"slug": "trouver-un-emploi", "pole": "job_search",
     "title_fr": "Trouver un emploi", "title_en": "Find a job",
     "description_fr": "Rédiger son CV et sa lettre de motivation, préparer un entretien, repérer les offres.",
     "description_en": "Write your CV and cover letter, prepare for an interview, find job offers.",
     "boost": {"availability": ["available"]},
     "selection": ["Réussir son entretien d'embauche", "Le CV qui décroche l'entretien", "Lettre de motivation",
                   "Choisir le service public"]},
    {"slug": "changer-sa-vie-professionnelle", "pole": "career_change",
     "title_fr": "Changer sa vie professionnelle", "title_en": "Change your working life",
     "description_fr": "Faire le point, se reconvertir, faire reconnaître son expérience par la VAE.",
     "description_en": "Take stock, retrain, have your experience recognised.",
     "boost": {"audience": ["employee"]},
     "selection": ["La VAE pas à pas", "Mon compte formation"]},
    {"slug": "creer-son-activite", "pole": "business_creation",
     "title_fr": "Créer son activité", "title_en": "Start your own business",
     "description_fr": "De l'idée au premier client : étude de marché, business plan, statut juridique, "
                       "financement et démarches.",
     "description_en": "From the idea to the first customer: market research, business plan, legal status, "
                       "funding and formalities.",
     "boost": {"document_type": ["book"]},
     "selection": ["Construire son business plan", "SARL, SAS, EURL, SASU", "Trouver ses premiers clients",
                   "Service-public.fr"]},
)


def load_portals(session: Session, actor=None) -> int:
    """Create the demo portals that are missing (by address); a portal a
    documentalist changed or deleted since is left alone. Returns the
    number created."""
    service = PortalService(session, actor)
    existing = set(session.scalars(select(Portal.slug)))
    created = 0
    for position, spec in enumerate(PORTALS):
        if spec["slug"] in existing:
            continue
        data = {key: value for key, value in spec.items() if key != "selection"}
        portal = service.create({**data, "base_filter": {"pole": [spec["pole"]]}, "position": position,
                                 "kiosk_idle_seconds": 120, "published": True})
        for title in spec["selection"]:
            record_id = session.scalar(select(Record.id).where(Record.title == title).order_by(Record.id))
            if record_id is not None:  # a work deleted since is simply left out
                service.add_selection(portal.id, {"work": str(record_id)}, expected_version=portal.version)
        created += 1
    return created
