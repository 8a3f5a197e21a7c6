"""The bibliographic model: records (works), their items (copies) and uses.

Designed for the whole mission: items carry in-house use counts for weeding,
records keep their origin and raw MARC for re-import and export, and every
change is written to the audit trail by the services.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.ext.associationproxy import AssociationProxy, association_proxy
from sqlalchemy.orm import Mapped, mapped_column, relationship

from catalogue.vocab import (
    Audience,
    Condition,
    ContributorRole,
    Disposal,
    DocumentType,
    ItemStatus,
    Library,
    Origin,
    SubscriptionStatus,
)
from core.db import Base, Stamped, UTCDateTime, enum_column, utcnow
from core.text import fold
from core.vocab import Pole


class Record(Stamped, Base):
    __tablename__ = "records"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(500))
    subtitle: Mapped[str | None] = mapped_column(String(500))
    responsibility: Mapped[str | None] = mapped_column(String(500))
    publisher: Mapped[str | None] = mapped_column(String(255))
    place: Mapped[str | None] = mapped_column(String(255))
    year: Mapped[int | None] = mapped_column(Integer)
    edition: Mapped[str | None] = mapped_column(String(255))
    series: Mapped[str | None] = mapped_column(String(255))
    isbn: Mapped[str | None] = mapped_column(String(13), index=True)  # normalised ISBN-13
    issn: Mapped[str | None] = mapped_column(String(9), index=True)  # NNNN-NNNC
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    document_type: Mapped[DocumentType] = mapped_column(enum_column(DocumentType), default=DocumentType.BOOK)
    summary: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
    local_notes: Mapped[str | None] = mapped_column(Text)  # staff only, never overwritten by imports
    url: Mapped[str | None] = mapped_column(String(2000))
    call_number: Mapped[str | None] = mapped_column(String(100))

    # Periodicals: the subscription and what we hold.
    frequency: Mapped[str | None] = mapped_column(String(100))
    subscription_status: Mapped[SubscriptionStatus | None] = mapped_column(enum_column(SubscriptionStatus))
    holdings_statement: Mapped[str | None] = mapped_column(Text)

    # Where the record comes from; raw MARC is kept for lossless export.
    origin: Mapped[Origin] = mapped_column(enum_column(Origin), default=Origin.LOCAL)
    source: Mapped[str | None] = mapped_column(String(100))
    source_id: Mapped[str | None] = mapped_column(String(255))
    marc_flavour: Mapped[str | None] = mapped_column(String(16))  # "marc21" or "unimarc"
    # Normalised title/author/year, the last resort when matching incoming records.
    match_key: Mapped[str | None] = mapped_column(String(255), index=True)
    raw_marc: Mapped[bytes | None] = mapped_column(LargeBinary)

    version: Mapped[int] = mapped_column(Integer, nullable=False)
    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        UniqueConstraint("source", "source_id", name="uq_records_source_source_id"),
        Index("ix_records_title", "title"),
        Index("ix_records_updated_at", "updated_at"),  # OAI-PMH lists by datestamp
        # Never reuse the id of a deleted record on SQLite: ids are OAI identifiers.
        {"sqlite_autoincrement": True},
    )

    contributors: Mapped[list[Contributor]] = relationship(
        back_populates="record", cascade="all, delete-orphan", order_by="Contributor.position",
        lazy="selectin")
    pole_links: Mapped[list[RecordPole]] = relationship(cascade="all, delete-orphan", lazy="selectin")
    audience_links: Mapped[list[RecordAudience]] = relationship(cascade="all, delete-orphan", lazy="selectin")
    descriptor_links: Mapped[list[RecordDescriptor]] = relationship(cascade="all, delete-orphan")
    subjects: Mapped[list[RecordSubject]] = relationship(cascade="all, delete-orphan", order_by="RecordSubject.id")
    items: Mapped[list[Item]] = relationship(
        back_populates="record", cascade="all, delete-orphan", order_by="Item.id")

    poles: AssociationProxy[list[Pole]] = association_proxy(
        "pole_links", "pole", creator=lambda pole: RecordPole(pole=pole))
    audiences: AssociationProxy[list[Audience]] = association_proxy(
        "audience_links", "audience", creator=lambda audience: RecordAudience(audience=audience))

    def __repr__(self) -> str:
        return f"<Record {self.id} {self.title!r}>"


class Contributor(Base):
    __tablename__ = "contributors"

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(255))
    role: Mapped[ContributorRole] = mapped_column(enum_column(ContributorRole, 8), default=ContributorRole.AUTHOR)

    record: Mapped[Record] = relationship(back_populates="contributors")


class RecordPole(Base):
    __tablename__ = "record_poles"

    record_id: Mapped[int] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"), primary_key=True)
    pole: Mapped[Pole] = mapped_column(enum_column(Pole), primary_key=True)


class RecordAudience(Base):
    __tablename__ = "record_audiences"

    record_id: Mapped[int] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"), primary_key=True)
    audience: Mapped[Audience] = mapped_column(enum_column(Audience), primary_key=True)


class RecordDescriptor(Base):
    """Indexing of a record against a concept of the shared thesaurus (the
    floor below): the thesaurus asks about these links through
    ``thesaurus.usage``, which ``catalogue.services.usage`` answers."""

    __tablename__ = "record_descriptors"

    record_id: Mapped[int] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"), primary_key=True)
    # Indexed on its own: "the records indexed with this concept" is asked on
    # every thesaurus edit (re-indexing marks, merges, deprecated-in-use).
    concept_id: Mapped[int] = mapped_column(ForeignKey("concepts.id", ondelete="CASCADE"), primary_key=True,
                                            index=True)
    added_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


def _heading_key(context) -> str:
    return fold(context.get_current_parameters()["heading"])


class RecordSubject(Base):
    """A subject heading as received from a source (e.g. RAMEAU, LCSH).

    Kept verbatim with its vocabulary so it can be offered as a descriptor
    suggestion and exported again.
    """

    __tablename__ = "record_subjects"

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"), index=True)
    heading: Mapped[str] = mapped_column(String(500))
    # core.text.fold(heading): how the alignment queue groups spellings.
    heading_key: Mapped[str] = mapped_column(String(500), index=True, default=_heading_key,
                                             onupdate=_heading_key)
    vocabulary: Mapped[str | None] = mapped_column(String(50))
    tag: Mapped[str | None] = mapped_column(String(3))


class Item(Stamped, Base):
    __tablename__ = "items"

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"), index=True)
    barcode: Mapped[str] = mapped_column(String(64), unique=True)
    library: Mapped[Library] = mapped_column(enum_column(Library), default=Library.CITE)
    location: Mapped[str | None] = mapped_column(String(255))
    call_number: Mapped[str | None] = mapped_column(String(100))
    status: Mapped[ItemStatus] = mapped_column(enum_column(ItemStatus), default=ItemStatus.AVAILABLE, index=True)
    acquired_on: Mapped[dt.date | None] = mapped_column(Date)
    price: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    condition: Mapped[Condition | None] = mapped_column(enum_column(Condition))
    public_note: Mapped[str | None] = mapped_column(Text)
    # Set by imports; items with no source were added here and survive re-imports.
    source: Mapped[str | None] = mapped_column(String(100))

    use_count: Mapped[int] = mapped_column(Integer, default=0)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, index=True)

    # A withdrawn copy is never deleted: statistics, exports and the disposal paperwork read it.
    withdrawn_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    withdrawal_reason: Mapped[str | None] = mapped_column(String(500))
    disposal: Mapped[Disposal | None] = mapped_column(enum_column(Disposal))

    version: Mapped[int] = mapped_column(Integer, nullable=False)
    __mapper_args__ = {"version_id_col": version}

    record: Mapped[Record] = relationship(back_populates="items")

    def __repr__(self) -> str:
        return f"<Item {self.barcode}>"


class ItemUse(Base):
    """One in-house use of an item, recorded by scanning its barcode.

    Counts per period feed weeding; no visitor is ever recorded.
    """

    __tablename__ = "item_uses"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    used_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Folded into the statistics' monthly tallies yet? (weeding.services.statistics)
    tallied: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    __table_args__ = (
        # "Uses of this item since": the weeding rules' low-use criterion.
        Index("ix_item_uses_item_id_used_at", "item_id", "used_at"),
        # Only the few events not yet tallied are looked for.
        Index("ix_item_uses_untallied", "id", sqlite_where=text("tallied = 0"),
              postgresql_where=text("tallied = false")),
    )


class RecordDeletion(Base):
    """A tombstone: a deleted record's identity, so OAI-PMH can report the
    deletion and harvesters never silently lose track of it."""

    __tablename__ = "record_deletions"

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(Integer, unique=True)
    source: Mapped[str | None] = mapped_column(String(100))
    source_id: Mapped[str | None] = mapped_column(String(255))
    deleted_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    deleted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


