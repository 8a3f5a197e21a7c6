"""Which records ``catalogue export`` writes: a small query language and a
streaming read of the matching records."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterator

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload

from catalogue.models import Record
from catalogue.services.records import filter_records
from catalogue.vocab import DocumentType
from core.vocab import Pole


@dataclass
class ExportQuery:
    text: str | None = None
    document_type: str | None = None
    pole: str | None = None
    source: str | None = None
    updated_since: dt.datetime | None = None


def parse_query(query: str | None) -> ExportQuery:
    """``type:book pole:job_search source:NAME updated-since:2024-01-31 words``:
    filter tokens, the remaining words being a substring of title, ISBN/ISSN or
    call number. Raises ValueError with a readable message."""
    result = ExportQuery()
    words = []
    for token in (query or "").split():
        name, sep, value = token.partition(":")
        if not sep or name not in ("type", "pole", "source", "updated-since"):
            words.append(token)
            continue
        attribute = {"type": "document_type", "updated-since": "updated_since"}.get(name, name)
        if getattr(result, attribute) is not None:
            raise ValueError(f"{name}: is given twice")
        if name == "type" and value not in DocumentType.values():
            raise ValueError(f"unknown type {value!r}: choose one of {', '.join(DocumentType.values())}")
        if name == "pole" and value not in Pole.values():
            raise ValueError(f"unknown pole {value!r}: choose one of {', '.join(Pole.values())}")
        if name == "updated-since":
            try:
                since = dt.datetime.fromisoformat(value)
            except ValueError:
                raise ValueError(f"updated-since:{value} is not a date: write it as YYYY-MM-DD") from None
            value = since if since.tzinfo else since.replace(tzinfo=dt.timezone.utc)
        elif not value:
            raise ValueError(f"{name}: needs a value")
        setattr(result, attribute, value)
    result.text = " ".join(words) or None
    return result


def select_records(query: ExportQuery) -> Select:
    statement = filter_records(select(Record), text=query.text, document_type=query.document_type,
                               pole=query.pole)
    if query.source:
        statement = statement.where(Record.source == query.source)
    if query.updated_since:
        statement = statement.where(Record.updated_at >= query.updated_since)
    return statement.order_by(Record.id)


def stream_records(session: Session, query: ExportQuery, *, batch: int = 500) -> Iterator[Record]:
    """Matching records in id order, fetched ``batch`` at a time with their
    subjects and items (yield_per), each let go once yielded: constant memory.
    (expunge_all would be cheaper but breaks the running yield_per query.)"""
    statement = select_records(query).options(selectinload(Record.subjects), selectinload(Record.items))
    for record in session.scalars(statement.execution_options(yield_per=batch)):
        yield record
        session.expunge(record)
