"""The demand behind acquisitions, read from the observatory's counts
(search.models.QueryCount: anonymous, per day, portal, pole and normalised
query; nothing about who searched).

- A proposal's demand: the searches and zero-result searches of the queries
  it answers, month by month, read live, so always current.
- The unmet demand of a month: the queries that found nothing, per pole,
  most asked first, but for those a proposal already answers; with how
  many times visitors reported the gap ("signaler ce manque", search.gaps).
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import Session

from acquisitions.models import Proposal, ProposalQuery
from acquisitions.vocab import OPEN_STATUSES, ProposalStatus
from search.models import QueryCount
from search.stats import normalise

# Proposals that answer their queries, or will: the demand is being met.
ANSWERING = OPEN_STATUSES | {ProposalStatus.CATALOGUED}


@dataclass(frozen=True)
class MonthDemand:
    month: dt.date  # its first day
    searches: int
    zero_results: int


@dataclass(frozen=True)
class UnmetQuery:
    query: str
    pole: str        # "" when searched outside any pole's portal
    searches: int
    zero_results: int
    last_day: dt.date
    reports: int = 0  # visitors' "signaler ce manque"


def month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def demand(session: Session, queries: list[str]) -> list[MonthDemand]:
    """Month by month, oldest first: how often ``queries`` were searched, and found nothing."""
    if not queries:
        return []
    months: dict[dt.date, list[int]] = defaultdict(lambda: [0, 0])
    for day, searches, zero in session.execute(
            select(QueryCount.day, func.sum(QueryCount.searches), func.sum(QueryCount.zero_results))
            .where(QueryCount.query.in_(queries)).group_by(QueryCount.day)):
        months[month_of(day)][0] += int(searches)
        months[month_of(day)][1] += int(zero)
    return [MonthDemand(month, *counts) for month, counts in sorted(months.items())]


def query_counts(session: Session, query: str, *, since: dt.date) -> tuple[int, int]:
    """(searches, zero-result searches) of one query since ``since``: what a
    draft proposal made from the observatory carries."""
    searches, zero = session.execute(
        select(func.coalesce(func.sum(QueryCount.searches), 0), func.coalesce(func.sum(QueryCount.zero_results), 0))
        .where(QueryCount.query == normalise(query), QueryCount.day >= since)).one()
    return int(searches), int(zero)


def unmet(session: Session, month: dt.date, *, pole: str | None = None, limit: int = 100) -> list[UnmetQuery]:
    """The month's queries that found nothing, grouped by their folded form
    (per pole), most asked first. A query an open or shelved proposal answers
    is left out; one only a rejected or withdrawn proposal named counts again.
    ``pole``: one pole's code, "" for searches outside the poles' portals,
    None for all."""
    start = month_of(month)
    zero = func.sum(QueryCount.zero_results).label("zero")
    query = (select(QueryCount.query, QueryCount.pole, func.sum(QueryCount.searches), zero, func.max(QueryCount.day),
                    func.sum(QueryCount.reports))
             .where(QueryCount.day >= start, QueryCount.day < next_month(start),
                    or_(QueryCount.zero_results > 0, QueryCount.reports > 0),
                    ~exists().where(ProposalQuery.query == QueryCount.query, ProposalQuery.proposal_id.in_(
                        select(Proposal.id).where(Proposal.status.in_(ANSWERING)))))
             .group_by(QueryCount.query, QueryCount.pole)
             .order_by(zero.desc(), QueryCount.query).limit(limit))
    if pole is not None:
        query = query.where(QueryCount.pole == pole)
    return [UnmetQuery(q, p, int(searches), int(zeros), last, int(reports or 0))
            for q, p, searches, zeros, last, reports in session.execute(query)]
