"""Hand-built MARC records for tests: data fields, control fields, a record."""
from __future__ import annotations

from pymarc import Field, Indicators, Record, Subfield


def df(tag: str, ind: str, *pairs: tuple[str, str]) -> Field:
    return Field(tag=tag, indicators=Indicators(ind[0], ind[1]), subfields=[Subfield(c, v) for c, v in pairs])


def cf(tag: str, data: str) -> Field:
    return Field(tag=tag, data=data)


def record(leader: str, *fields: Field) -> Record:
    marc = Record(leader=leader, force_utf8=True)
    marc.add_field(*fields)
    return marc
