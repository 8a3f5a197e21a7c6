"""How an incoming record finds the catalogue record it describes.

Rules are tried in the order given by CATALOGUE_IMPORT_MATCH_RULES (default
"source_id,isbn,issn,key"); the first rule that finds a record wins:

- ``source_id``: same source and same identifier (001) as a record imported before;
- ``isbn``: any valid ISBN of the incoming record equals a record's ISBN (ISBN-13);
- ``issn``: same ISSN;
- ``key``: same match key, the normalised title + first author's surname + year.

Lookups are done for a whole batch at once (one query per rule), then
record by record in memory, so a batch of 500 costs four SELECTs.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from catalogue.matchkey import match_key
from catalogue.models import Contributor, Record

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


@dataclass
class Index:
    """Records by source_id, ISBN, ISSN and key, for one batch: filled from the
    database, then kept up to date with the records the batch creates or merges.
    Entries are (record id or pending record, source, source_id), oldest first."""
    source_ids: dict = field(default_factory=dict)
    isbns: dict = field(default_factory=dict)
    issns: dict = field(default_factory=dict)
    keys: dict = field(default_factory=dict)

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
        import of the file flip the record from one to the other."""
        for rule in rules:
            if rule == "source_id":
                found = self.source_ids.get((candidate.source, candidate.source_id)) \
                    if candidate.source_id else None
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
                    if source == candidate.source and source_id and candidate.source_id \
                            and source_id != candidate.source_id:
                        continue
                    return record, rule
        return None, None


def load_index(session: Session, candidates: list[Candidate], rules: tuple[str, ...]) -> Index:
    """The records the batch's candidates may match, one query per rule."""
    index = Index()
    # Always loaded, rule or not: (source, source_id) is unique, a taken one is not reused.
    # One query per source (a row-value IN would not use the unique index on SQLite).
    by_source: dict = {}
    for c in candidates:
        if c.source_id:
            by_source.setdefault(c.source, set()).add(c.source_id)
    for source, source_ids in by_source.items():
        for record_id, source_id in _lookup(session, "source_id", source_ids, source=source):
            index.source_ids[(source, source_id)] = record_id
    for rule, mapping, values in (
            ("isbn", index.isbns, {n for c in candidates for n in c.isbns}),
            ("issn", index.issns, {c.issn for c in candidates if c.issn}),
            ("key", index.keys, {c.key for c in candidates if c.key})):
        if rule in rules:
            column = "match_key" if rule == "key" else rule
            for record_id, source, source_id, value in sorted(_lookup(session, column, values)):
                mapping.setdefault(value, []).append((record_id, source, source_id))
    return index


def _lookup(session: Session, column: str, values, *, source: str | None = None) -> list[tuple]:
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
            sql = f"SELECT id, source, source_id, {column} FROM records WHERE {column} IN ({marks})"
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
