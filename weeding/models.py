"""Weeding: the rules that flag items, the campaigns that review them with
the counsellors, their votes and the librarian's decisions, and the monthly
tallies of use the statistics read.

Every vote and decision is a ``WeedingEvent``: who, when, what and why.
Candidates and votes carry a version: a stale one is a conflict, never a
silent overwrite.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accounts.models import User
from catalogue.models import Item
from catalogue.vocab import Disposal, DocumentType
from core.db import Base, UTCDateTime, enum_column, utcnow
from core.vocab import Pole
from weeding.vocab import CampaignStatus, Source, Verdict


class WeedingRule(Base):
    """One CREW-like formula: a scope, and criteria each of which may be "not
    applicable" (None). The first active rule, by ``position``, whose scope
    covers an item is the one that judges it."""

    __tablename__ = "weeding_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer, default=100)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    justification: Mapped[str | None] = mapped_column(Text)
    # Scope: every part given must match; none given covers the whole collection.
    document_type: Mapped[DocumentType | None] = mapped_column(enum_column(DocumentType))
    pole: Mapped[Pole | None] = mapped_column(enum_column(Pole))
    call_number_prefix: Mapped[str | None] = mapped_column(String(100))
    concept_id: Mapped[int | None] = mapped_column(ForeignKey("concepts.id", ondelete="SET NULL"))
    # Criteria.
    max_age_years: Mapped[int | None] = mapped_column(Integer)
    max_unused_years: Mapped[int | None] = mapped_column(Integer)
    low_use_min: Mapped[int | None] = mapped_column(Integer)
    low_use_years: Mapped[int | None] = mapped_column(Integer)
    superseded: Mapped[bool] = mapped_column(Boolean, default=False)
    periodical_keep_years: Mapped[int | None] = mapped_column(Integer)
    conditions: Mapped[list[str]] = mapped_column(JSON, default=list)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    __mapper_args__ = {"version_id_col": version}


class WeedingCampaign(Base):
    __tablename__ = "weeding_campaigns"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    # {"poles": [...], "document_types": [...], "call_number_prefix": "...", "location": "..."}
    scope: Mapped[dict] = mapped_column(JSON, default=dict)
    rule_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    # The poles whose counsellors review: the scope's, or all of them.
    poles: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[CampaignStatus] = mapped_column(enum_column(CampaignStatus, 20), default=CampaignStatus.OPEN)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # The scope's age profile (publication year -> copies) when opened and when closed.
    profile_before: Mapped[dict] = mapped_column(JSON, default=dict)
    profile_after: Mapped[dict | None] = mapped_column(JSON)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    __mapper_args__ = {"version_id_col": version}

    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    candidates: Mapped[list[WeedingCandidate]] = relationship(
        back_populates="campaign", cascade="all, delete-orphan", order_by="WeedingCandidate.id")


class WeedingCandidate(Base):
    """One item under review in a campaign, with why it is there (``reasons``:
    [{code, figures...}]) and, once decided, its fate."""

    __tablename__ = "weeding_candidates"
    __table_args__ = (UniqueConstraint("campaign_id", "item_id", name="uq_weeding_candidates_campaign_item"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("weeding_campaigns.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    record_id: Mapped[int] = mapped_column(Integer, index=True)
    rule_id: Mapped[int | None] = mapped_column(ForeignKey("weeding_rules.id", ondelete="SET NULL"))
    source: Mapped[Source] = mapped_column(enum_column(Source, 10), default=Source.RULES)
    reasons: Mapped[list[dict]] = mapped_column(JSON, default=list)
    excluded_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    exclusion_reason: Mapped[str | None] = mapped_column(String(500))
    decision: Mapped[Verdict | None] = mapped_column(enum_column(Verdict, 20))
    disposal: Mapped[Disposal | None] = mapped_column(enum_column(Disposal))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    decision_comment: Mapped[str | None] = mapped_column(Text)
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("proposals.id", ondelete="SET NULL"))
    # Written by every vote, so that the candidate's version moves with it.
    last_vote_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    __mapper_args__ = {"version_id_col": version}

    campaign: Mapped[WeedingCampaign] = relationship(back_populates="candidates")
    item: Mapped[Item] = relationship()
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    votes: Mapped[list[WeedingVote]] = relationship(back_populates="candidate", cascade="all, delete-orphan",
                                                    order_by="WeedingVote.id")
    events: Mapped[list[WeedingEvent]] = relationship(cascade="all, delete-orphan",
                                                      order_by="[WeedingEvent.at, WeedingEvent.id]")


class WeedingVote(Base):
    """A counsellor's opinion of one candidate, for their pole."""

    __tablename__ = "weeding_votes"
    __table_args__ = (UniqueConstraint("candidate_id", "user_id", name="uq_weeding_votes_candidate_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("weeding_candidates.id", ondelete="CASCADE"),
                                              index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    pole: Mapped[str | None] = mapped_column(String(30))
    vote: Mapped[Verdict] = mapped_column(enum_column(Verdict, 20))
    flags: Mapped[list[str]] = mapped_column(JSON, default=list)  # "mustie:ugly", "ioupi:worn"
    comment: Mapped[str | None] = mapped_column(Text)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    __mapper_args__ = {"version_id_col": version}

    candidate: Mapped[WeedingCandidate] = relationship(back_populates="votes")
    user: Mapped[User] = relationship(lazy="joined")


class WeedingEvent(Base):
    """Who did what to a candidate, when and why: added, excluded, voted, decided."""

    __tablename__ = "weeding_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("weeding_candidates.id", ondelete="CASCADE"),
                                              index=True)
    kind: Mapped[str] = mapped_column(String(20))  # added, excluded, included, vote, decision
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    comment: Mapped[str | None] = mapped_column(Text)

    actor: Mapped[User | None] = relationship(lazy="joined")


class UseTally(Base):
    """Consultations per month, counted along one dimension (``total``,
    ``pole``, ``document_type``, ``portal``): what the statistics read, so
    that a million scans answer as fast as a thousand."""

    __tablename__ = "use_tallies"

    month: Mapped[dt.date] = mapped_column(Date, primary_key=True)  # the first of the month
    dimension: Mapped[str] = mapped_column(String(20), primary_key=True)
    value: Mapped[str] = mapped_column(String(100), primary_key=True)
    uses: Mapped[int] = mapped_column(Integer, default=0)
