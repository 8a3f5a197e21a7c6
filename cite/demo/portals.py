"""Demo portals: one per advice pole, and the centre's other portals
(Handicap, Concours administratifs, Rédaction de CV...), each named by the
visitor's goal (never by a partner organisation), with a curated selection
taken from the demo collection by title. The thematic ones have no pole:
their base filter keeps subjects of the demo thesaurus (with their narrower
concepts), named here by the end of their URI. Created through
PortalService, so they follow every rule and show in the audit trail."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalogue.models import Record
from search.models import Portal
from search.portals import PortalService
from thesaurus.models import Concept

CONCEPT_PREFIX = "https://thesaurus.cite-des-metiers.invalid/demo/concept/"
KIOSK_IDLE = 120

POLES = (
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

# The centre's other portals: subjects, not poles. "redaction-de-cv" is the
# CV-writing terminal's portal, opened in kiosk mode (/kiosque/redaction-de-cv).
THEMATIC = (
    {"slug": "handicap", "subjects": ["handicap"],
     "title_fr": "Handicap", "title_en": "Disability",
     "description_fr": "Travailler ou étudier avec un handicap : faire reconnaître sa situation (RQTH), obtenir "
                       "un aménagement, trouver un employeur engagé et les structures qui accompagnent.",
     "description_en": "Working or studying with a disability: recognised disabled worker status, adjustments, "
                       "committed employers and the services that help.",
     "selection": ["Travailler avec un handicap", "La RQTH pas à pas", "Handicap : les acteurs de l'insertion",
                   "Études supérieures et handicap"]},
    {"slug": "etudes-et-diplomes",
     "subjects": ["orientation-scolaire", "diplome", "systeme-educatif", "etablissement-enseignement",
                  "etudes-superieures"],
     "title_fr": "Études et diplômes", "title_en": "Studies and qualifications",
     "description_fr": "Comprendre le système éducatif, choisir ses études et ses diplômes, trouver l'établissement "
                       "qui les prépare.",
     "description_en": "Understand the education system, choose studies and qualifications, find the school that "
                       "teaches them.",
     "boost": {"audience": ["pupil", "parent"]},
     "selection": ["Comprendre le système éducatif français", "Quelles études après le bac ?",
                   "Annuaire des formations post-bac de la région", "Le lycée professionnel, mode d'emploi"]},
    {"slug": "formation-tout-au-long-de-la-vie", "subjects": ["formation-continue"],
     "title_fr": "Formation tout au long de la vie", "title_en": "Lifelong learning",
     "description_fr": "Connaître ses droits à la formation, les faire financer et trouver la session de formation "
                       "adaptée à son projet.",
     "description_en": "Know your training entitlements, get training paid for and find the course that suits "
                       "your plans.",
     "boost": {"document_type": ["training_database"]},
     "selection": ["Se former quand on est salarié", "Catalogue régional des formations", "Mon compte formation",
                   "Le projet de transition professionnelle"]},
    {"slug": "vae", "subjects": ["vae"],
     "title_fr": "VAE", "title_en": "Accreditation of prior learning",
     "description_fr": "Obtenir un diplôme grâce à son expérience : la démarche pas à pas, le dossier, le jury et "
                       "qui peut vous accompagner.",
     "description_en": "Earn a qualification through your experience: the steps, the file, the panel and who can "
                       "help you.",
     "selection": ["La VAE pas à pas", "Face au jury de VAE", "Trouver un accompagnateur VAE", "France VAE"]},
    {"slug": "seconde-partie-de-carriere", "subjects": ["seconde-partie-carriere"],
     "title_fr": "Seconde partie de carrière", "title_en": "Later career",
     "description_fr": "Après 45 ans : rester en emploi, évoluer, changer de voie, transmettre son savoir-faire et "
                       "préparer son passage à la retraite.",
     "description_en": "After 45: stay in work, move on, change paths, pass on your skills and prepare for "
                       "retirement.",
     "selection": ["Une deuxième carrière", "Rester en emploi après 55 ans", "Préparer son passage à la retraite",
                   "Rebondir après 50 ans"]},
    {"slug": "apprentissage-et-alternance", "subjects": ["alternance", "cfa"],
     "title_fr": "Apprentissage et alternance", "title_en": "Apprenticeships and work-study",
     "description_fr": "Se former en alternant école et entreprise : contrats, CFA, offres et conseils pour trouver "
                       "son entreprise d'accueil.",
     "description_en": "Train between school and work: contracts, apprentice training centres, offers and tips to "
                       "find an employer.",
     "selection": ["L'apprentissage de A à Z", "Annuaire des CFA de la région", "Offres en alternance",
                   "Trouver son entreprise d'accueil en alternance"]},
    {"slug": "concours-administratifs", "subjects": ["concours", "fonction-publique"],
     "title_fr": "Concours administratifs", "title_en": "Civil-service exams",
     "description_fr": "S'informer sur les concours de la fonction publique et les préparer : calendriers, "
                       "conditions d'accès, annales corrigées et méthodes.",
     "description_en": "Find out about civil-service competitive exams and prepare for them: dates, entry "
                       "requirements, past papers and methods.",
     "boost": {"document_type": ["exam_guide"]},
     "selection": ["Répertoire des concours de la fonction publique", "Annales des concours de catégorie C",
                   "Concours de la fonction publique catégorie C", "Calendrier des concours publics"]},
    {"slug": "redaction-de-cv", "subjects": ["cv", "lettre-motivation"], "kiosk_idle_seconds": 300,
     "title_fr": "Rédaction de CV", "title_en": "CV writing",
     "description_fr": "Écrire ou mettre à jour son CV et sa lettre de motivation : modèles pour chaque situation, "
                       "premier CV, CV vidéo.",
     "description_en": "Write or update your CV and cover letter: examples for every situation, a first CV, a "
                       "video CV.",
     "selection": ["Cent modèles de CV", "Mon premier CV", "Le CV qui décroche l'entretien", "Atelier CV en ligne"]},
)
PORTALS = POLES + THEMATIC


def load_portals(session: Session, actor=None) -> int:
    """Create the demo portals that are missing (by address); a portal a
    documentalist changed or deleted since is left alone. Returns the
    number created."""
    service = PortalService(session, actor)
    existing = set(session.scalars(select(Portal.slug)))
    concepts = dict(session.execute(
        select(Concept.uri, Concept.id).where(Concept.uri.startswith(CONCEPT_PREFIX))).all())
    created = 0
    for position, spec in enumerate(PORTALS):
        if spec["slug"] in existing:
            continue
        base = {"pole": [spec["pole"]]} if spec.get("pole") else {}
        if spec.get("subjects"):
            uris = [CONCEPT_PREFIX + slug for slug in spec["subjects"]]
            found = [str(concepts[uri]) for uri in uris if uri in concepts]
            if not found:  # its subjects were deleted since: a portal of everything would mislead
                continue
            base["concept"] = found
        data = {key: value for key, value in spec.items() if key not in ("selection", "subjects")}
        portal = service.create({"kiosk_idle_seconds": KIOSK_IDLE, **data, "base_filter": base,
                                 "position": position, "published": True})
        for title in spec["selection"]:
            record_id = session.scalar(select(Record.id).where(Record.title == title).order_by(Record.id))
            if record_id is not None:  # a work deleted since is simply left out
                service.add_selection(portal.id, {"work": str(record_id)}, expected_version=portal.version)
        created += 1
    return created
