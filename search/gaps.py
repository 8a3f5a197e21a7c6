"""What the results page offers when a search finds nothing: the
thesaurus's neighbouring concepts, the matching goals, and an anonymous
"signaler ce manque".

The report form carries no session token (visitors get no cookie): it
carries the query itself, signed (itsdangerous) with the application's
secret and dated, so only a query this catalogue answered with nothing can
be reported, and only for a day. A report adds one to the query's count of
the day (QueryCount.reports): no address, no time of day, nothing else.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from itsdangerous import BadData, URLSafeTimedSerializer
from sqlalchemy import func, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from core.text import fold
from search.goals import goal_search
from search.models import Goal, QueryCount
from search.stats import MAX_QUERY, normalise
from thesaurus.models import Concept, ConceptLabel, ConceptRelation
from thesaurus.vocab import ConceptStatus, RelationKind

TOKEN_SALT = "search.report-gap"
TOKEN_AGE = 24 * 3600  # seconds: a page left open overnight on a kiosk still reports
MAX_WORDS = 6          # of the query, looked up in the thesaurus
MAX_MATCHED = 20       # concepts whose labels hold a word
MAX_LABELS = 500       # labels read to find them
MAX_GOALS = 5          # goals offered
MAX_NEIGHBOURS = 8     # offered to the visitor
MAX_COUNTED = 24       # candidates whose works are counted (one engine request each)
_WORD = re.compile(r"[a-z0-9]+")
_SMALL = frozenset("les des une aux pour par sur dans avec sans the and for".split())
_NEIGHBOUR_KINDS = (RelationKind.BROADER.value, RelationKind.RELATED.value)


@dataclass(frozen=True)
class Neighbour:
    id: int
    label_fr: str
    label_en: str | None
    works: int

    def label(self, locale: str = "fr") -> str:
        return (self.label_en or self.label_fr) if locale == "en" else self.label_fr


# The report token ------------------------------------------------------------
def report_token(secret: str, query: str, portal: str, pole: str) -> str:
    """A signed, dated token naming the normalised query, portal and pole."""
    return URLSafeTimedSerializer(secret, salt=TOKEN_SALT).dumps([normalise(query), portal, pole])


def read_report_token(secret: str, token: str | None, *, max_age: int = TOKEN_AGE) -> tuple[str, str, str] | None:
    """(query, portal, pole) of a valid token; None for a forged, altered,
    expired or malformed one."""
    if not token or len(token) > 1000:
        return None
    try:
        data = URLSafeTimedSerializer(secret, salt=TOKEN_SALT).loads(token, max_age=max_age)
    except BadData:
        return None
    if (not isinstance(data, list) or len(data) != 3 or not all(isinstance(v, str) for v in data)
            or not data[0] or len(data[0]) > MAX_QUERY or len(data[1]) > 100 or len(data[2]) > 32):
        return None
    return data[0], data[1], data[2]


def record_report(session: Session, day: dt.date, query: str, portal: str, pole: str) -> None:
    """Add one report to the query's count of the day (an upsert; flushes)."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(QueryCount).values(day=day, portal=portal, pole=pole, query=query,
                                                  searches=0, zero_results=0, reports=1)
    session.execute(statement.on_conflict_do_update(
        index_elements=["day", "portal", "pole", "query"], set_={"reports": QueryCount.reports + 1}))


# Neighbours and goals ----------------------------------------------------------
def words_of(text: str) -> list[str]:
    """The query's words worth looking up: folded, three letters or more,
    a final plural mark dropped ("diplomes" finds "diplome")."""
    found = []
    for word in _WORD.findall(fold(text or "")):
        if len(word) < 3 or word in _SMALL:
            continue
        stem = word[:-1] if len(word) > 4 and word[-1] in "sx" else word
        if stem not in found:
            found.append(stem)
    return found[:MAX_WORDS]


def concepts_matching(session: Session, words: list[str]) -> dict[int, int]:
    """Current concepts one of whose labels holds a word starting with one
    of ``words``: concept id -> how many of the words its labels hold, the
    MAX_MATCHED holding most (a concept named by two of the visitor's words
    says more than one sharing a common word such as "emploi")."""
    if not words:
        return {}
    like = [condition for word in words for condition in
            (ConceptLabel.key.like(f"{word}%"), ConceptLabel.key.like(f"% {word}%"),
             ConceptLabel.key.like(f"%'{word}%"), ConceptLabel.key.like(f"%-{word}%"))]
    rows = session.execute(
        select(Concept.id, Concept.status, Concept.replaced_by_id, ConceptLabel.key)
        .join(ConceptLabel, ConceptLabel.concept_id == Concept.id)
        .where(or_(*like)).order_by(Concept.id).limit(MAX_LABELS)).all()
    held: dict[int, set[str]] = {}
    for concept_id, status, replaced_by, key in rows:
        current = replaced_by if status == ConceptStatus.DEPRECATED else concept_id
        if current is not None:
            label_words = _WORD.findall(key)
            held.setdefault(current, set()).update(
                word for word in words if any(w.startswith(word) for w in label_words))
    best = sorted(held, key=lambda concept_id: (-len(held[concept_id]), concept_id))[:MAX_MATCHED]
    return {concept_id: len(held[concept_id]) for concept_id in best}


def neighbours(session: Session, text: str, count_works) -> tuple[list[Neighbour], set[int]]:
    """The concepts whose labels match the query's words and their broader,
    narrower and related concepts, those that have works (``count_works``:
    concept id -> works indexed with it or a narrower one): those naming
    more of the words first, then those with more works; and every concept
    id considered (to match goals)."""
    matched = concepts_matching(session, words_of(text))
    if not matched:
        return [], set()
    linked = session.execute(
        select(ConceptRelation.source_id, ConceptRelation.target_id)
        .where(ConceptRelation.kind.in_(_NEIGHBOUR_KINDS),
               or_(ConceptRelation.source_id.in_(matched), ConceptRelation.target_id.in_(matched)))).all()
    candidates = list(dict.fromkeys(list(matched) + [c for pair in linked for c in pair]))
    rows = session.execute(select(Concept.id, Concept.pref_label_fr, Concept.pref_label_en)
                           .where(Concept.id.in_(candidates), Concept.status != ConceptStatus.DEPRECATED)).all()
    order = {concept_id: n for n, concept_id in enumerate(candidates)}  # the best matched first
    found = []
    for concept_id, label_fr, label_en in sorted(rows, key=lambda row: order[row[0]])[:MAX_COUNTED]:
        works = count_works(concept_id)
        if works:
            found.append(Neighbour(concept_id, label_fr, label_en, works))
    found.sort(key=lambda n: (-matched.get(n.id, 0), -n.works, fold(n.label_fr), n.id))
    return found[:MAX_NEIGHBOURS], set(candidates)


def goals_matching(goals: list[Goal], text: str, concept_ids: set[int]) -> list[Goal]:
    """Published goals sharing a concept with the neighbourhood, or whose
    wording or words hold one of the query's words, the first MAX_GOALS in
    the documentalists' order."""
    words = words_of(text)
    chosen = []
    for goal in goals:
        wording = {w for field in (goal.label_fr, goal.label_en, goal.text) for w in _WORD.findall(fold(field or ""))}
        shares_word = any(any(w.startswith(word) for w in wording) for word in words)
        if shares_word or concept_ids & set(goal_search(goal)["concept_ids"]):
            chosen.append(goal)
    return chosen[:MAX_GOALS]


@dataclass(frozen=True)
class ReportedGap:
    query: str
    pole: str
    reports: int
    zero_results: int


def reported(session: Session, start: dt.date, end: dt.date, *, limit: int = 20) -> list[ReportedGap]:
    """The queries visitors reported from ``start`` to ``end`` included, most reported first."""
    reports = func.sum(QueryCount.reports).label("reports")
    rows = session.execute(
        select(QueryCount.query, QueryCount.pole, reports, func.sum(QueryCount.zero_results))
        .where(QueryCount.day >= start, QueryCount.day <= end, QueryCount.reports > 0)
        .group_by(QueryCount.query, QueryCount.pole).order_by(reports.desc(), QueryCount.query).limit(limit))
    return [ReportedGap(query, pole, int(n), int(zero or 0)) for query, pole, n, zero in rows]
