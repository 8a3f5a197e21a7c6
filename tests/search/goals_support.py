"""A small catalogue for goals and the no-result page: concepts with
broader, narrower and related ones, works indexed with them, and goals."""
from __future__ import annotations

from core.outbox import mark_record_ids
from search.goals import GoalService
from search.indexer import drain
from tests.support.factories import make_record
from tests.thesaurus.support import index_record, make_concept


def goal_data(**overrides) -> dict:
    data = {"slug": "etudes-diplomes-metiers", "label_fr": "s'informer sur les études, les diplômes et les métiers",
            "label_en": "find out about studies, diplomas and jobs", "publics": ["high_school", "parent"],
            "concept_ids": [], "document_types": [], "audiences": [], "text": "", "position": "0",
            "published": True}
    data.update(overrides)
    return data


def make_goal(db, actor=None, **overrides):
    with db.transaction() as session:
        return GoalService(session, actor).create(goal_data(**overrides))


def catalogue(app, db) -> dict:
    """Concepts: Études > Études supérieures; Diplômes (related: Métiers);
    Concours administratifs. Works indexed with them, one not indexed."""
    studies = make_concept(db, "Études", en="Studies")
    higher = make_concept(db, "Études supérieures", en="Higher education", broader=[studies])
    diplomas = make_concept(db, "Diplômes", en="Diplomas")
    jobs = make_concept(db, "Métiers", en="Occupations", related=[diplomas])
    exams = make_concept(db, "Concours administratifs", en="Civil-service exams")
    works = {
        "bts": make_record(db, title="Après le bac : les BTS", isbn=None, document_type="book",
                           audiences=["pupil", "parent"], poles=["orientation"]),
        "licence": make_record(db, title="Réussir sa licence", isbn=None, document_type="book", audiences=["student"],
                               poles=["orientation"]),
        "rncp": make_record(db, title="Répertoire des certifications", isbn=None, document_type="diploma_framework",
                            audiences=["parent"], poles=["orientation"]),
        "sheet": make_record(db, title="Fiche métier : boulanger", isbn=None, document_type="job_sheet",
                             audiences=["pupil"], poles=["orientation"]),
        "annales": make_record(db, title="Annales du concours de rédacteur", isbn=None, document_type="exam_guide",
                               audiences=["job_seeker"], poles=["job_search"]),
        "cv": make_record(db, title="Le CV qui décroche l'entretien", isbn=None, poles=["job_search"]),
    }
    index_record(db, works["bts"].id, studies)
    index_record(db, works["licence"].id, higher)
    index_record(db, works["rncp"].id, diplomas)
    index_record(db, works["sheet"].id, jobs)
    index_record(db, works["annales"].id, exams)
    with db.transaction() as session:  # index_record wrote no outbox row
        mark_record_ids(session, [w.id for w in works.values()], "test")
    drain(db, app.extensions["catalogue.search"])
    return {"studies": studies, "higher": higher, "diplomas": diplomas, "jobs": jobs, "exams": exams,
            **{name: work.id for name, work in works.items()}}
