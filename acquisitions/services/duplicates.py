"""Is the work proposed already held, or already proposed?

Against the catalogue: the same ISBN or ISSN, then the same match key (the
import's last-resort rule: normalised title, first author's surname, year).
Against the open proposals: the same ISBN, ISSN or match key. Every lookup
is an indexed equality, so the check stays fast on a large catalogue.
"""
from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from acquisitions.models import Proposal
from acquisitions.vocab import OPEN_STATUSES
from catalogue.matchkey import match_key, title_words
from catalogue.models import Record

MAX_MATCHES = 10


def proposal_key(clean: dict) -> str | None:
    """The match key of the proposed work. Without author nor year, the title
    alone ("title||"): too little for the catalogue's records (whose keys
    always have one of them), enough between two proposals of the centre."""
    first_author = (clean.get("authors") or "").split(";")[0].strip() or None
    key = match_key(clean.get("title"), first_author, clean.get("year"))
    words = title_words(clean.get("title"))
    return key or (f"{words}||"[:255] if words else None)


def catalogue_matches(session: Session, clean: dict, key: str | None) -> list[Record]:
    """Works of the catalogue that look like the proposed one, best evidence first."""
    record_key = key if key and not key.endswith("||") else None
    for column, value in ((Record.isbn, clean.get("isbn")), (Record.issn, clean.get("issn")),
                          (Record.match_key, record_key)):
        if value:
            found = session.scalars(select(Record).where(column == value).order_by(Record.id)
                                    .limit(MAX_MATCHES)).all()
            if found:
                return list(found)
    return []


def open_proposal(session: Session, clean: dict, key: str | None, *, besides: int | None = None) -> Proposal | None:
    """An open proposal of the same work (the oldest), if any."""
    same = [column == value for column, value in ((Proposal.isbn, clean.get("isbn")),
                                                  (Proposal.issn, clean.get("issn")),
                                                  (Proposal.match_key, key)) if value]
    if not same:
        return None
    query = select(Proposal).where(or_(*same), Proposal.status.in_(OPEN_STATUSES))
    if besides is not None:
        query = query.where(Proposal.id != besides)
    return session.scalars(query.order_by(Proposal.id).limit(1)).first()


def match_summary(record: Record) -> dict:
    """What the proposer sees of a matching work."""
    return {"id": record.id, "title": record.title, "year": record.year, "isbn": record.isbn,
            "issn": record.issn, "publisher": record.publisher, "edition": record.edition,
            "document_type": record.document_type.value}
