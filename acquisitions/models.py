from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import ForeignKey, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from acquisitions.vocab import ProposalStatus
from core.db import Base, UTCDateTime, enum_column, utcnow
from core.vocab import Pole


class Proposal(Base):
    """A counsellor's suggestion to buy a work. Every status change is a ProposalEvent."""

    __tablename__ = "proposals"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(500))
    authors: Mapped[str | None] = mapped_column(String(500))
    publisher: Mapped[str | None] = mapped_column(String(255))
    isbn: Mapped[str | None] = mapped_column(String(13))
    pole: Mapped[Pole | None] = mapped_column(enum_column(Pole))
    reason: Mapped[str | None] = mapped_column(Text)
    quantity: Mapped[int] = mapped_column(Integer, default=1)
    estimated_price: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    status: Mapped[ProposalStatus] = mapped_column(enum_column(ProposalStatus, 20), default=ProposalStatus.PROPOSED,
                                                   index=True)
    record_id: Mapped[int | None] = mapped_column(ForeignKey("records.id", ondelete="SET NULL"))
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    __mapper_args__ = {"version_id_col": version}

    events: Mapped[list[ProposalEvent]] = relationship(
        cascade="all, delete-orphan", order_by="ProposalEvent.at")


class ProposalEvent(Base):
    __tablename__ = "proposal_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[ProposalStatus | None] = mapped_column(enum_column(ProposalStatus, 20))
    to_status: Mapped[ProposalStatus] = mapped_column(enum_column(ProposalStatus, 20))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    comment: Mapped[str | None] = mapped_column(Text)
