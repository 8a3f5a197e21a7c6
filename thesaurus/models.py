from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from catalogue.db import Base, UTCDateTime, utcnow


class ConceptScheme(Base):
    __tablename__ = "concept_schemes"

    id: Mapped[int] = mapped_column(primary_key=True)
    uri: Mapped[str] = mapped_column(String(500), unique=True)
    title: Mapped[str] = mapped_column(String(500))


class Concept(Base):
    __tablename__ = "concepts"

    id: Mapped[int] = mapped_column(primary_key=True)
    scheme_id: Mapped[int | None] = mapped_column(ForeignKey("concept_schemes.id", ondelete="SET NULL"))
    uri: Mapped[str] = mapped_column(String(500), unique=True)
    notation: Mapped[str | None] = mapped_column(String(100))
    pref_label_fr: Mapped[str] = mapped_column(String(500), index=True)
    pref_label_en: Mapped[str | None] = mapped_column(String(500))
    scope_note: Mapped[str | None] = mapped_column(Text)
    deprecated: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    scheme: Mapped[ConceptScheme | None] = relationship()
    labels: Mapped[list[ConceptLabel]] = relationship(cascade="all, delete-orphan")


class ConceptLabel(Base):
    """Alternative and hidden labels, by language (entry terms for search)."""

    __tablename__ = "concept_labels"

    id: Mapped[int] = mapped_column(primary_key=True)
    concept_id: Mapped[int] = mapped_column(ForeignKey("concepts.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(8))  # pref, alt, hidden
    language: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(String(500), index=True)


class ConceptRelation(Base):
    """broader / related links; narrower is the inverse of broader."""

    __tablename__ = "concept_relations"

    source_id: Mapped[int] = mapped_column(ForeignKey("concepts.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)  # broader, related
    target_id: Mapped[int] = mapped_column(ForeignKey("concepts.id", ondelete="CASCADE"), primary_key=True)
