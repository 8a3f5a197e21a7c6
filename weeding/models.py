from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import Base, UTCDateTime, enum_column, utcnow
from weeding.vocab import CampaignStatus, Decision


class WeedingCampaign(Base):
    __tablename__ = "weeding_campaigns"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    criteria: Mapped[dict] = mapped_column(JSON, default=dict)  # e.g. {"unused_years": 3, "older_than": 2015}
    status: Mapped[CampaignStatus] = mapped_column(enum_column(CampaignStatus, 20), default=CampaignStatus.OPEN)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    decisions: Mapped[list[WeedingDecision]] = relationship(cascade="all, delete-orphan")


class WeedingDecision(Base):
    """The fate of one item in a campaign: keep, withdraw, replace or transfer."""

    __tablename__ = "weeding_decisions"
    __table_args__ = (UniqueConstraint("campaign_id", "item_id", name="uq_weeding_decisions_campaign_item"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("weeding_campaigns.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    decision: Mapped[Decision] = mapped_column(enum_column(Decision, 20), default=Decision.PENDING)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    __mapper_args__ = {"version_id_col": version}

    events: Mapped[list[WeedingEvent]] = relationship(cascade="all, delete-orphan", order_by="WeedingEvent.at")


class WeedingEvent(Base):
    __tablename__ = "weeding_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("weeding_decisions.id", ondelete="CASCADE"), index=True)
    from_decision: Mapped[Decision | None] = mapped_column(enum_column(Decision, 20))
    to_decision: Mapped[Decision] = mapped_column(enum_column(Decision, 20))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    comment: Mapped[str | None] = mapped_column(Text)
