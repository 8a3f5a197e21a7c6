"""Portals and the demand observatory.

The observatory is anonymous by construction: it keeps counts per day, and
zero-result and frequent queries normalised (folded, trimmed, truncated),
never an address, a session, a time of day or anything that would tell one
visitor's searches apart.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import Base, Stamped, enum_column
from core.vocab import Pole
from thesaurus.models import Concept


class Portal(Stamped, Base):
    """A named entry point (/portails/<slug>) for a kiosk cluster or the web."""

    __tablename__ = "portals"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    title_fr: Mapped[str] = mapped_column(String(255))
    title_en: Mapped[str | None] = mapped_column(String(255))
    description_fr: Mapped[str | None] = mapped_column(Text)
    description_en: Mapped[str | None] = mapped_column(Text)
    pole: Mapped[Pole | None] = mapped_column(enum_column(Pole))  # for the observatory's per-pole figures
    # Facet name -> values, applied to every search of the portal (AND with the visitor's filters).
    base_filter: Mapped[dict] = mapped_column(JSON, default=dict)
    # Facet name -> values ranked first (a boost, not a filter).
    boost: Mapped[dict] = mapped_column(JSON, default=dict)
    kiosk_idle_seconds: Mapped[int] = mapped_column(Integer, default=120)  # back to the portal's home
    position: Mapped[int] = mapped_column(Integer, default=0)
    published: Mapped[bool] = mapped_column(default=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    selections: Mapped[list[PortalSelection]] = relationship(
        cascade="all, delete-orphan", order_by="PortalSelection.position")

    __mapper_args__ = {"version_id_col": version}


class PortalSelection(Base):
    """A curated entry of a portal: a work of the catalogue or a website."""

    __tablename__ = "portal_selections"

    id: Mapped[int] = mapped_column(primary_key=True)
    portal_id: Mapped[int] = mapped_column(ForeignKey("portals.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    record_id: Mapped[int | None] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"))
    url: Mapped[str | None] = mapped_column(String(2000))
    title: Mapped[str | None] = mapped_column(String(500))  # for a website; a work shows its own title
    note: Mapped[str | None] = mapped_column(Text)


class SearchDay(Base):
    """How many searches were made on a day, per portal ("" for the main catalogue)."""

    __tablename__ = "search_days"

    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    portal: Mapped[str] = mapped_column(String(100), primary_key=True)
    searches: Mapped[int] = mapped_column(Integer, default=0)
    zero_results: Mapped[int] = mapped_column(Integer, default=0)


class QueryCount(Base):
    """A normalised query's count on a day, per portal and pole, and how
    often it found nothing. Nothing here identifies a visitor."""

    __tablename__ = "query_counts"

    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    portal: Mapped[str] = mapped_column(String(100), primary_key=True)
    pole: Mapped[str] = mapped_column(String(32), primary_key=True)  # Pole value, or "" for none
    query: Mapped[str] = mapped_column(String(200), primary_key=True)
    searches: Mapped[int] = mapped_column(Integer, default=0)
    zero_results: Mapped[int] = mapped_column(Integer, default=0)
    # "Signaler ce manque": how many times visitors reported that it found nothing (search.gaps).
    reports: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    # Read by query too (a proposal's demand, the unmet demand, the review
    # queue): covering, so summing a query's zero-result searches reads the index alone.
    __table_args__ = (Index("ix_query_counts_query", "query", "zero_results"),)


class Goal(Stamped, Base):
    """A visitor's goal ("je veux…"): a saved search the documentalists keep.

    It finds the works indexed with one of its concepts or a narrower one
    (or matching its words), of one of its document types and for one of
    its audiences: OR within each, AND across them, an empty one no limit."""

    __tablename__ = "goals"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    label_fr: Mapped[str] = mapped_column(String(255))
    label_en: Mapped[str | None] = mapped_column(String(255))
    publics: Mapped[list] = mapped_column(JSON, default=list)  # search.vocab.Public values: who it is offered to
    text: Mapped[str | None] = mapped_column(String(200))  # words searched, as an alternative to the concepts
    document_types: Mapped[list] = mapped_column(JSON, default=list)
    audiences: Mapped[list] = mapped_column(JSON, default=list)
    position: Mapped[int] = mapped_column(Integer, default=0)
    published: Mapped[bool] = mapped_column(default=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    concepts: Mapped[list[Concept]] = relationship(secondary="goal_concepts", order_by=Concept.pref_label_fr)

    __mapper_args__ = {"version_id_col": version}


class GoalConcept(Base):
    __tablename__ = "goal_concepts"

    goal_id: Mapped[int] = mapped_column(ForeignKey("goals.id", ondelete="CASCADE"), primary_key=True)
    concept_id: Mapped[int] = mapped_column(ForeignKey("concepts.id", ondelete="CASCADE"), primary_key=True,
                                            index=True)


class GoalEntryDay(Base):
    """How many times a goal was entered on a day, per portal ("" for the
    main catalogue). Nothing about who entered it, nor as which public."""

    __tablename__ = "goal_entry_days"

    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    portal: Mapped[str] = mapped_column(String(100), primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("goals.id", ondelete="CASCADE"), primary_key=True, index=True)
    entries: Mapped[int] = mapped_column(Integer, default=0)
