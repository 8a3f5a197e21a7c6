"""Acquisitions: proposals made by the staff (counsellors first), the support
they gather across poles, the funds that pay for them, and the orders and
receipts that bring the works to the shelf.

Money is ``Numeric`` and ``Decimal``, never float. Every state change of a
proposal is a ``ProposalEvent``: who, when, from what to what, and why.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accounts.models import User
from acquisitions.vocab import (
    OrderStatus,
    ProposalReason,
    ProposalStatus,
    RecordRelation,
    RejectionReason,
)
from catalogue.vocab import Audience, DocumentType
from core.db import Base, UTCDateTime, enum_column, utcnow
from core.vocab import Pole

GENERAL_FUND = "general"  # the fund that is no pole's


class Proposal(Base):
    """A work somebody on the staff would like the centre to buy."""

    __tablename__ = "proposals"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(500))
    authors: Mapped[str | None] = mapped_column(String(500))  # "Martin, Léa; Durand, Paul"
    publisher: Mapped[str | None] = mapped_column(String(255))
    year: Mapped[int | None] = mapped_column(Integer)
    edition: Mapped[str | None] = mapped_column(String(100))
    isbn: Mapped[str | None] = mapped_column(String(13), index=True)  # ISBN-13, as records keep it
    issn: Mapped[str | None] = mapped_column(String(9), index=True)
    document_type: Mapped[DocumentType] = mapped_column(enum_column(DocumentType), default=DocumentType.BOOK)
    pole: Mapped[Pole | None] = mapped_column(enum_column(Pole))  # the pole it is filed under
    reason_code: Mapped[ProposalReason] = mapped_column(enum_column(ProposalReason),
                                                        default=ProposalReason.NEW_DEMAND)
    reason: Mapped[str | None] = mapped_column(Text)
    quantity: Mapped[int] = mapped_column(Integer, default=1)
    estimated_price: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))  # per copy, in euros
    status: Mapped[ProposalStatus] = mapped_column(enum_column(ProposalStatus, 20), default=ProposalStatus.PROPOSED,
                                                   index=True)
    record_id: Mapped[int | None] = mapped_column(ForeignKey("records.id", ondelete="SET NULL"))
    record_relation: Mapped[RecordRelation | None] = mapped_column(enum_column(RecordRelation))
    # The copy a weeding decision will withdraw once this one is received.
    replaces_item_id: Mapped[int | None] = mapped_column(ForeignKey("items.id", ondelete="SET NULL"))
    match_key: Mapped[str | None] = mapped_column(String(255), index=True)  # catalogue.matchkey
    fund_id: Mapped[int | None] = mapped_column(ForeignKey("funds.id", ondelete="SET NULL"), index=True)
    rejection_reason: Mapped[RejectionReason | None] = mapped_column(enum_column(RejectionReason))
    duplicate_confirmed: Mapped[bool] = mapped_column(Boolean, default=False)
    received_record_id: Mapped[int | None] = mapped_column(ForeignKey("records.id", ondelete="SET NULL"))
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    __mapper_args__ = {"version_id_col": version}

    proposed_by: Mapped[User | None] = relationship(lazy="joined")
    fund: Mapped[Fund | None] = relationship()
    pole_links: Mapped[list[ProposalPole]] = relationship(cascade="all, delete-orphan", lazy="selectin")
    audience_links: Mapped[list[ProposalAudience]] = relationship(cascade="all, delete-orphan", lazy="selectin")
    query_links: Mapped[list[ProposalQuery]] = relationship(cascade="all, delete-orphan", lazy="selectin",
                                                            order_by="ProposalQuery.query")
    supports: Mapped[list[ProposalSupport]] = relationship(cascade="all, delete-orphan",
                                                           order_by="ProposalSupport.at")
    comments: Mapped[list[ProposalComment]] = relationship(cascade="all, delete-orphan",
                                                           order_by="ProposalComment.at")
    events: Mapped[list[ProposalEvent]] = relationship(cascade="all, delete-orphan",
                                                       order_by="[ProposalEvent.at, ProposalEvent.id]")
    line: Mapped[OrderLine | None] = relationship(back_populates="proposal", uselist=False)

    @property
    def poles(self) -> list[Pole]:
        return sorted((link.pole for link in self.pole_links), key=lambda p: p.value)

    @property
    def audiences(self) -> list[Audience]:
        return sorted((link.audience for link in self.audience_links), key=lambda a: a.value)

    @property
    def queries(self) -> list[str]:
        return [link.query for link in self.query_links]

    @property
    def estimated_total(self) -> Decimal | None:
        return None if self.estimated_price is None else self.estimated_price * self.quantity


class ProposalPole(Base):
    __tablename__ = "proposal_poles"

    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), primary_key=True)
    pole: Mapped[Pole] = mapped_column(enum_column(Pole), primary_key=True)


class ProposalAudience(Base):
    __tablename__ = "proposal_audiences"

    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), primary_key=True)
    audience: Mapped[Audience] = mapped_column(enum_column(Audience), primary_key=True)


class ProposalQuery(Base):
    """An observatory query the proposal answers, in the observatory's
    normalised form (search.stats.normalise), so its counts can be read."""

    __tablename__ = "proposal_queries"

    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), primary_key=True)
    query: Mapped[str] = mapped_column(String(200), primary_key=True, index=True)


class ProposalSupport(Base):
    """"Moi aussi": a staff member backs the proposal, once."""

    __tablename__ = "proposal_supports"
    __table_args__ = (UniqueConstraint("proposal_id", "user_id", name="uq_proposal_supports_proposal_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    pole: Mapped[Pole | None] = mapped_column(enum_column(Pole))  # the supporter's, when they supported
    comment: Mapped[str | None] = mapped_column(Text)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(lazy="joined")


class ProposalComment(Base):
    __tablename__ = "proposal_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    text: Mapped[str] = mapped_column(Text)

    author: Mapped[User | None] = relationship(lazy="joined")


class ProposalEvent(Base):
    """One state change: who, when, from what to what, and why (``comment``,
    ``reason_code``); ``details`` keeps what the move carried (the fund, an
    over-budget override and its amounts, the quantity received...)."""

    __tablename__ = "proposal_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[ProposalStatus | None] = mapped_column(enum_column(ProposalStatus, 20))
    to_status: Mapped[ProposalStatus] = mapped_column(enum_column(ProposalStatus, 20))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    comment: Mapped[str | None] = mapped_column(Text)
    reason_code: Mapped[str | None] = mapped_column(String(32))
    details: Mapped[dict | None] = mapped_column(JSON)

    actor: Mapped[User | None] = relationship(lazy="joined")


class Fund(Base):
    """Money for one fiscal year: one fund per advice pole, plus the general fund."""

    __tablename__ = "funds"
    __table_args__ = (UniqueConstraint("year", "code", name="uq_funds_year_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)  # the calendar year the fiscal year starts in
    code: Mapped[str] = mapped_column(String(32))  # a pole's code, or GENERAL_FUND
    allocated: Mapped[Decimal] = mapped_column(Numeric(12, 2), default=Decimal("0"))
    warning_percent: Mapped[int] = mapped_column(Integer, default=80)
    holder_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    warned_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)  # threshold reached, told
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    __mapper_args__ = {"version_id_col": version}

    holder: Mapped[User | None] = relationship(lazy="joined")

    @property
    def pole(self) -> Pole | None:
        return None if self.code == GENERAL_FUND else Pole(self.code)


class Supplier(Base):
    __tablename__ = "suppliers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    email: Mapped[str | None] = mapped_column(String(254))
    notes: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Order(Base):
    """Accepted proposals bought from one supplier, one line each."""

    __tablename__ = "orders"

    id: Mapped[int] = mapped_column(primary_key=True)
    supplier_id: Mapped[int | None] = mapped_column(ForeignKey("suppliers.id", ondelete="SET NULL"), index=True)
    status: Mapped[OrderStatus] = mapped_column(enum_column(OrderStatus), default=OrderStatus.OPEN)
    reference: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    __mapper_args__ = {"version_id_col": version}

    supplier: Mapped[Supplier | None] = relationship(lazy="joined")
    lines: Mapped[list[OrderLine]] = relationship(back_populates="order", cascade="all, delete-orphan",
                                                  order_by="OrderLine.id")


class OrderLine(Base):
    __tablename__ = "order_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), unique=True)
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    expected_on: Mapped[dt.date | None] = mapped_column(Date)
    received_quantity: Mapped[int] = mapped_column(Integer, default=0)

    order: Mapped[Order] = relationship(back_populates="lines")
    proposal: Mapped[Proposal] = relationship(back_populates="line")
    receipts: Mapped[list[Receipt]] = relationship(cascade="all, delete-orphan", order_by="Receipt.id")

    @property
    def outstanding(self) -> int:
        return max(0, self.quantity - self.received_quantity)


class Receipt(Base):
    """Copies of an order line that arrived, at what price, and the items
    they became."""

    __tablename__ = "receipts"

    id: Mapped[int] = mapped_column(primary_key=True)
    line_id: Mapped[int] = mapped_column(ForeignKey("order_lines.id", ondelete="CASCADE"), index=True)
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    received_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    record_id: Mapped[int | None] = mapped_column(ForeignKey("records.id", ondelete="SET NULL"))

    items: Mapped[list[ReceiptItem]] = relationship(cascade="all, delete-orphan", lazy="selectin")


class ReceiptItem(Base):
    """An item a receipt created (in processing, until a documentalist shelves it)."""

    __tablename__ = "receipt_items"

    receipt_id: Mapped[int] = mapped_column(ForeignKey("receipts.id", ondelete="CASCADE"), primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), primary_key=True, index=True)
