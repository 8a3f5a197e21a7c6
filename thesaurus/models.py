"""The thesaurus shared with the main library, in SKOS terms.

Schemes hold concepts; collections group them (micro-thesauri, one per advice
pole for instance). Every label, note and relation is kept with its language
so a SKOS file exported here and imported again changes nothing. Changes are
written to the audit trail (entity_type "concept") by the services.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import Base, UTCDateTime, enum_column, utcnow
from core.text import fold
from core.vocab import Pole
from thesaurus.vocab import ConceptStatus

# Label keys are compared by prefix (autocomplete); byte order makes the
# range scan "key >= p AND key < p || U+FFFF" correct on PostgreSQL too.
KeyString = String(500).with_variant(String(500, collation="C"), "postgresql")


class ConceptScheme(Base):
    __tablename__ = "concept_schemes"

    id: Mapped[int] = mapped_column(primary_key=True)
    uri: Mapped[str] = mapped_column(String(500), unique=True)
    title: Mapped[str] = mapped_column(String(500))  # French title, or the first one given
    titles: Mapped[dict] = mapped_column(JSON, default=dict)  # language -> title
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class Concept(Base):
    __tablename__ = "concepts"

    id: Mapped[int] = mapped_column(primary_key=True)
    scheme_id: Mapped[int | None] = mapped_column(ForeignKey("concept_schemes.id", ondelete="SET NULL"))
    uri: Mapped[str] = mapped_column(String(500), unique=True)
    notation: Mapped[str | None] = mapped_column(String(100))
    # Copies of the French and English preferred labels (also in concept_labels)
    # for sorting and display without a join.
    pref_label_fr: Mapped[str] = mapped_column(String(500), index=True)
    pref_label_en: Mapped[str | None] = mapped_column(String(500))
    status: Mapped[ConceptStatus] = mapped_column(enum_column(ConceptStatus), default=ConceptStatus.APPROVED,
                                                  index=True)
    replaced_by_id: Mapped[int | None] = mapped_column(ForeignKey("concepts.id", ondelete="SET NULL"))
    top_concept: Mapped[bool] = mapped_column(default=False)  # skos:topConceptOf its scheme
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    scheme: Mapped[ConceptScheme | None] = relationship()
    replaced_by: Mapped[Concept | None] = relationship(remote_side=[id])
    labels: Mapped[list[ConceptLabel]] = relationship(cascade="all, delete-orphan",
                                                      order_by="ConceptLabel.id")
    notes: Mapped[list[ConceptNote]] = relationship(cascade="all, delete-orphan", order_by="ConceptNote.id")
    mappings: Mapped[list[ConceptMapping]] = relationship(cascade="all, delete-orphan",
                                                          order_by="ConceptMapping.id")

    __mapper_args__ = {"version_id_col": version}


def _key(context) -> str:
    return fold(context.get_current_parameters()["text"])


class ConceptLabel(Base):
    """Preferred labels (one per language), entry terms and hidden labels."""

    __tablename__ = "concept_labels"

    id: Mapped[int] = mapped_column(primary_key=True)
    concept_id: Mapped[int] = mapped_column(ForeignKey("concepts.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(8))  # LabelKind: pref, alt, hidden
    language: Mapped[str] = mapped_column(String(35))  # BCP 47 tag, "" when the source gave none
    text: Mapped[str] = mapped_column(String(500), index=True)
    key: Mapped[str] = mapped_column(KeyString, index=True, default=_key, onupdate=_key)  # fold(text)


class ConceptNote(Base):
    __tablename__ = "concept_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    concept_id: Mapped[int] = mapped_column(ForeignKey("concepts.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # NoteKind
    language: Mapped[str] = mapped_column(String(35))
    text: Mapped[str] = mapped_column(Text)


class ConceptRelation(Base):
    """broader / related links; narrower is the inverse of broader."""

    __tablename__ = "concept_relations"

    source_id: Mapped[int] = mapped_column(ForeignKey("concepts.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)  # RelationKind
    target_id: Mapped[int] = mapped_column(ForeignKey("concepts.id", ondelete="CASCADE"), primary_key=True,
                                           index=True)


class ConceptMapping(Base):
    """A link to a concept of another vocabulary (skos:exactMatch...)."""

    __tablename__ = "concept_mappings"

    id: Mapped[int] = mapped_column(primary_key=True)
    concept_id: Mapped[int] = mapped_column(ForeignKey("concepts.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # MappingKind
    uri: Mapped[str] = mapped_column(String(500))


class ConceptCollection(Base):
    """A skos:Collection: a micro-thesaurus or a domain grouping them."""

    __tablename__ = "concept_collections"

    id: Mapped[int] = mapped_column(primary_key=True)
    uri: Mapped[str] = mapped_column(String(500), unique=True)
    scheme_id: Mapped[int | None] = mapped_column(ForeignKey("concept_schemes.id", ondelete="SET NULL"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("concept_collections.id", ondelete="SET NULL"))
    notation: Mapped[str | None] = mapped_column(String(100))
    label_fr: Mapped[str] = mapped_column(String(500))
    labels: Mapped[dict] = mapped_column(JSON, default=dict)  # language -> preferred label
    pole: Mapped[Pole | None] = mapped_column(enum_column(Pole))  # the advice pole this micro-thesaurus serves
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class CollectionMember(Base):
    __tablename__ = "collection_members"

    collection_id: Mapped[int] = mapped_column(ForeignKey("concept_collections.id", ondelete="CASCADE"),
                                               primary_key=True)
    concept_id: Mapped[int] = mapped_column(ForeignKey("concepts.id", ondelete="CASCADE"), primary_key=True,
                                            index=True)


class HeadingMapping(Base):
    """An incoming subject heading mapped once to a concept: every record
    carrying the heading, now or later, gets the concept as a descriptor."""

    __tablename__ = "heading_mappings"

    id: Mapped[int] = mapped_column(primary_key=True)
    heading_key: Mapped[str] = mapped_column(String(500), unique=True)  # core.text.fold(heading)
    heading: Mapped[str] = mapped_column(String(500))  # as first mapped, for display
    concept_id: Mapped[int] = mapped_column(ForeignKey("concepts.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    concept: Mapped[Concept] = relationship()


class ChangeToken(Base):
    """A token that database triggers replace on every write to some data
    (migration 0004: "concept_names"), whatever writes it: a service, a
    bulk import, plain SQL. Caches in any process key their entries by it,
    so one indexed read tells them whether what they hold is current. A
    fresh random value each time, not a counter: a database restored from
    a backup can never bring back a token that meant something else."""

    __tablename__ = "change_tokens"

    name: Mapped[str] = mapped_column(String(50), primary_key=True)
    token: Mapped[str] = mapped_column(String(64))


class UnmodelledTriples(Base):
    """What an imported SKOS file said beyond the model, written back on
    export (``thesaurus.skos.unmodelled``): one row per concept, collection
    or scheme of the file, and one per free-standing resource (``subject``
    set; ``scheme_id`` is then the scheme it came with, if any). A concept's
    row also marks it as imported, at ``version``: a later version means it
    was edited here, which decides the dates its export carries."""

    __tablename__ = "thesaurus_unmodelled"

    id: Mapped[int] = mapped_column(primary_key=True)
    concept_id: Mapped[int | None] = mapped_column(ForeignKey("concepts.id", ondelete="CASCADE"), index=True)
    collection_id: Mapped[int | None] = mapped_column(ForeignKey("concept_collections.id", ondelete="CASCADE"),
                                                      index=True)
    scheme_id: Mapped[int | None] = mapped_column(ForeignKey("concept_schemes.id", ondelete="CASCADE"), index=True)
    subject: Mapped[str | None] = mapped_column(Text)  # IRI or "_:label" of a free-standing resource
    version: Mapped[int | None] = mapped_column(Integer)  # the concept's version as imported
    kept: Mapped[str] = mapped_column(Text, default="")      # N-Triples lines, sorted
    unstated: Mapped[str] = mapped_column(Text, default="")  # N-Triples lines, sorted
