"""How an incoming record finds the catalogue record it describes.

First, always: a record exported from here names its record (035
"(FR-CdM)id", or 001 with 003 "FR-CdM": importers/marc/identity.py), and is
matched to it whatever source the import is given, provided the two still
share something (title words, an ISBN, the ISSN or the source's number):
another catalogue using the same code names records of its own.

Then rules are tried in the order given by CATALOGUE_IMPORT_MATCH_RULES
(default "source_id,isbn,issn,key"); the first rule that finds a record wins:

- ``source_id``: same source and same identifier (001, or the digest of a
  record without one) as a record imported before;
- ``isbn``: any valid ISBN of the incoming record equals a record's ISBN (ISBN-13);
- ``issn``: same ISSN;
- ``key``: same match key, the normalised title + first author's surname + year.

Lookups are done for a whole batch at once (one query per rule, and one for
our own numbers when the batch has any), then record by record in memory,
so a batch of 500 costs four SELECTs.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from catalogue.matchkey import match_key, title_words
from catalogue.models import Contributor, Record
from importers.marc.identity import DIGEST, is_digest, is_legacy

RULES = ("source_id", "isbn", "issn", "key")
DEFAULT_RULES = "source_id,isbn,issn,key"


def parse_rules(value: str | None) -> tuple[str, ...]:
    """"source_id, isbn,key" -> ("source_id", "isbn", "key"). Raises ValueError
    naming the unknown rule."""
    rules = []
    for rule in (value if value is not None else DEFAULT_RULES).split(","):
        rule = rule.strip().lower()
        if not rule:
            continue
        if rule not in RULES:
            raise ValueError(f"unknown match rule {rule!r}: choose among {', '.join(RULES)}")
        if rule not in rules:
            rules.append(rule)
    return tuple(rules)


@dataclass
class Candidate:
    """What matching needs to know about an incoming record."""
    source: str | None
    source_id: str | None
    isbns: list[str]
    issn: str | None
    key: str | None
    own_id: int | None = None     # our record id, when the record is our own export
    words: str | None = None      # title words (title_words), to check an own id
    former_id: str | None = None  # the raw-bytes digest earlier versions gave a record without 001


@dataclass
class Index:
    """Records by source_id, ISBN, ISSN and key, for one batch: filled from the
    database, then kept up to date with the records the batch creates or merges.
    Entries are (record id or pending record, source, source_id), oldest first."""
    source_ids: dict = field(default_factory=dict)
    isbns: dict = field(default_factory=dict)
    issns: dict = field(default_factory=dict)
    keys: dict = field(default_factory=dict)
    own: dict = field(default_factory=dict)      # record id -> (source_id, isbn, issn, title words)
    legacy: dict = field(default_factory=dict)   # record id -> source, of records under a raw-bytes digest
    adopted: dict = field(default_factory=dict)  # record id -> the content digest it moves to

    def add(self, record, source: str | None, source_id: str | None, candidate: Candidate) -> None:
        entry = (record, source, source_id)
        if source_id:
            self.source_ids.setdefault((source, source_id), record)
        for mapping, values in ((self.isbns, candidate.isbns), (self.issns, [candidate.issn]),
                                (self.keys, [candidate.key])):
            for value in values:
                if value:
                    entries = mapping.setdefault(value, [])
                    if entry not in entries:
                        entries.append(entry)

    def find(self, candidate: Candidate, rules: tuple[str, ...]):
        """(record, rule) of the first rule that matches, or (None, None).

        ISBN, ISSN and key never match a record of the same source that has
        another identifier: the source itself says they are different works
        (two editions sharing an ISBN, say), and merging them would make every
        import of the file flip the record from one to the other. A raw-bytes
        digest against a content digest says nothing of the kind: they are two
        ways of naming records without identifier."""
        if candidate.own_id is not None:
            own = self.own.get(candidate.own_id)
            if own is not None and _same_work(own, candidate):
                return candidate.own_id, "own"
        for rule in rules:
            if rule == "source_id":
                for source_id in (candidate.source_id, candidate.former_id):
                    found = self.source_ids.get((candidate.source, source_id)) if source_id else None
                    if found is not None:
                        return found, rule
                continue
            if rule == "isbn":
                mapping, values = self.isbns, candidate.isbns
            elif rule == "issn":
                mapping, values = self.issns, (candidate.issn,)
            else:
                mapping, values = self.keys, (candidate.key,)
            for value in values:
                for record, source, source_id in mapping.get(value, ()) if value else ():
                    source_id = self.adopted.get(record, source_id)
                    if source == candidate.source and source_id and candidate.source_id \
                            and source_id != candidate.source_id \
                            and not (is_legacy(source_id) and candidate.source_id.startswith(DIGEST)):
                        continue
                    return record, rule
        return None, None

    def adopt(self, record, candidate: Candidate) -> None:
        """A record still named by the raw-bytes digest of earlier versions,
        found for a record of the same source named by its content digest,
        takes that digest (saved by ``save_adopted``), so the next import finds
        it directly whatever the file's syntax or 005."""
        source_id = candidate.source_id
        if record not in self.legacy or self.legacy[record] != candidate.source or record in self.adopted \
                or not (source_id or "").startswith(DIGEST) or (candidate.source, source_id) in self.source_ids:
            return
        self.adopted[record] = source_id
        self.source_ids[(candidate.source, source_id)] = record


def load_index(session: Session, candidates: list[Candidate], rules: tuple[str, ...]) -> Index:
    """The records the batch's candidates may match, one query per rule."""
    index = Index()
    own_ids = {c.own_id for c in candidates if c.own_id is not None}
    for record_id, source_id, isbn, issn, title in _lookup(session, "id", own_ids,
                                                           columns="id, source_id, isbn, issn, title"):
        index.own[record_id] = (source_id, isbn, issn, title_words(title))
    # Always loaded, rule or not: (source, source_id) is unique, a taken one is not reused.
    # One query per source (a row-value IN would not use the unique index on SQLite).
    by_source: dict = {}
    for c in candidates:
        for source_id in (c.source_id, c.former_id):
            if source_id:
                by_source.setdefault(c.source, set()).add(source_id)
    for source, source_ids in by_source.items():
        for record_id, source_id in _lookup(session, "source_id", source_ids, source=source):
            index.source_ids[(source, source_id)] = record_id
            if is_legacy(source_id):
                index.legacy[record_id] = source
    for rule, mapping, values in (
            ("isbn", index.isbns, {n for c in candidates for n in c.isbns}),
            ("issn", index.issns, {c.issn for c in candidates if c.issn}),
            ("key", index.keys, {c.key for c in candidates if c.key})):
        if rule in rules:
            column = "match_key" if rule == "key" else rule
            for record_id, source, source_id, value in sorted(_lookup(session, column, values)):
                mapping.setdefault(value, []).append((record_id, source, source_id))
                if is_legacy(source_id):
                    index.legacy[record_id] = source
    return index


def _same_work(own: tuple, candidate: Candidate) -> bool:
    """Does a record of ours still share something with the incoming record
    that names it? (Another catalogue using our code names other works.)"""
    source_id, isbn, issn, words = own
    return bool((words and words == candidate.words) or (isbn and isbn in candidate.isbns)
                or (issn and issn == candidate.issn)
                or (source_id and not is_digest(source_id) and source_id == candidate.source_id))


def save_adopted(session: Session, index: Index) -> int:
    """Write the content digests records adopted (see Index.adopt) in one
    statement. Not an edit: no new version, and updated_at stays."""
    rows = [{"record_id": record_id, "digest": digest} for record_id, digest in index.adopted.items()]
    if rows:
        table = Record.__table__
        session.execute(table.update().where(table.c.id == bindparam("record_id"))
                        .values(source_id=bindparam("digest"), updated_at=table.c.updated_at), rows)
        for row in rows:  # the records merged in this batch are in the session: keep them true
            record = session.identity_map.get(session.identity_key(Record, row["record_id"]))
            if record is not None:
                set_committed_value(record, "source_id", row["digest"])
    return len(rows)


def _lookup(session: Session, column: str, values, *, source: str | None = None,
            columns: str | None = None) -> list[tuple]:
    """Records whose ``column`` is one of ``values``, with the SQL written
    here (one IN list per 500 values) and handed to the driver: SQLAlchemy's
    expansion of IN lists costs more than the query itself, batch after batch."""
    placeholder = "?" if session.get_bind().dialect.paramstyle == "qmark" else "%s"
    connection, found = session.connection(), []
    values = list(values)
    for start in range(0, len(values), 500):
        chunk = values[start:start + 500]
        marks = ", ".join([placeholder] * len(chunk))
        if source is not None:
            sql = f"SELECT id, source_id FROM records WHERE source = {placeholder} AND source_id IN ({marks})"
            found += connection.exec_driver_sql(sql, (source, *chunk)).all()
        else:
            selected = columns or f"id, source, source_id, {column}"
            sql = f"SELECT {selected} FROM records WHERE {column} IN ({marks})"
            found += connection.exec_driver_sql(sql, tuple(chunk)).all()
    return found


class WorkSet:
    """The works one import command has written or found, a bit per record id
    (100,000 works take 12 KB), so a later record of the same command that
    describes one of them is known as a duplicate."""

    def __init__(self):
        self.bits = bytearray()

    def add(self, record_id: int) -> None:
        index, bit = divmod(record_id, 8)
        if index >= len(self.bits):
            self.bits.extend(bytes(index - len(self.bits) + 4096))
        self.bits[index] |= 1 << bit

    def __contains__(self, record_id) -> bool:
        index, bit = divmod(record_id, 8)
        return index < len(self.bits) and bool(self.bits[index] >> bit & 1)

    def snapshot(self) -> bytes:
        return bytes(self.bits)

    def restore(self, snapshot: bytes) -> None:
        self.bits = bytearray(snapshot)


def backfill_keys(session: Session) -> int:
    """Give a match key to records that have none (records catalogued here),
    so the ``key`` rule can find them too. Returns how many were set."""
    rows = session.execute(
        select(Record.id, Record.title, Record.year).where(Record.match_key.is_(None))).all()
    if not rows:
        return 0
    authors = {}
    for record_id, name in session.execute(
            select(Contributor.record_id, Contributor.name)
            .where(Contributor.record_id.in_(select(Record.id).where(Record.match_key.is_(None))))
            .order_by(Contributor.record_id, Contributor.position.desc())):
        authors[record_id] = name  # descending positions: the first contributor is written last
    updates = [{"record_id": r.id, "key": key} for r in rows
               if (key := match_key(r.title, authors.get(r.id), r.year))]
    if updates:
        table = Record.__table__
        # Not an edit: no new version, and updated_at stays (OAI datestamps rely on it).
        session.execute(table.update().where(table.c.id == bindparam("record_id"))
                        .values(match_key=bindparam("key"), updated_at=table.c.updated_at), updates)
    return len(updates)
