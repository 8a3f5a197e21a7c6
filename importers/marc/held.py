"""Which updates an import holds for review, and what a held update keeps.

A source may update the works it imported itself; a work another source
brought, or one catalogued here, is only found through a shared ISBN, ISSN or
match key, and a wrong ISBN (or a corrupted file) would silently turn it into
another book. So an update found that way which would change the work's title
or main author is held, as Koha's staged imports are: a person applies or
rejects it from the run's page (importers.services.held). Updates that only
add to the work (a summary, subjects, copies) go through as before.
"""
from __future__ import annotations

import json
import re
from types import SimpleNamespace

from sqlalchemy import select

from catalogue.matchkey import surname, title_words
from catalogue.services.snapshots import plain, plain_fields
from core.text import unaccent
from importers.models import ImportHeld

# Rules that find another source's works by what they share; the source's own
# number (source_id), or our own number in a record we exported, name the work.
SHARED_RULES = ("isbn", "issn", "key")
_LETTERS = re.compile(r"[^\W\d_]+")


def must_hold(run_source: str | None, record, rule: str | None, before: dict, after: dict) -> bool:
    """Whether an update of ``record`` (fields ``before`` -> ``after``) found by
    ``rule`` must wait for review. ``rule`` None: a person decided, apply it.
    A record catalogued here (no source) counts as another source's."""
    if rule not in SHARED_RULES or record.source == run_source:
        return False
    return not same_title(before["title"], after["title"]) or \
        not same_person(main_author(before), main_author(after))


def same_title(a: str | None, b: str | None) -> bool:
    """Titles equal but for case, accents, punctuation, ISBD and leading articles."""
    return title_words(a) == title_words(b)


def same_person(a: str | None, b: str | None) -> bool:
    """Whether two forms of a name may be one person: same surname, and the same
    initial of the first given name when both give one ("Durand, Éric" and
    "Durand, E.", "Smith, John, 1950-" and "John Smith"). A side without a
    name changes no one: merging never erases an author, and adding one where
    there was none is enrichment."""
    if not a or not b:
        return True
    if surname(a) != surname(b):
        return False
    first_a, first_b = _given_initial(a), _given_initial(b)
    return not first_a or not first_b or first_a == first_b


def main_author(fields: dict) -> str | None:
    contributors = fields.get("contributors") or []
    return contributors[0]["name"] if contributors else None


def known(session, record, p) -> bool:
    """Whether this very update of ``record`` is already waiting for review,
    or was rejected and the work has not changed since. Then importing the
    same file again holds nothing more: the review queue is not filled with
    copies, and what a person rejected is not put back to them."""
    data = json.loads(json.dumps(snapshot(p)))  # as stored: JSON
    for state, version, stored, raw_marc in session.execute(
            select(ImportHeld.state, ImportHeld.record_version, ImportHeld.data, ImportHeld.raw_marc)
            .where(ImportHeld.record_id == record.id, ImportHeld.state.in_(("held", "rejected")))):
        if stored == data and raw_marc == p.raw_marc and (state == "held" or version == record.version):
            return True
    return False


def hold(session, run, record, p, rule: str, before: dict, after: dict) -> ImportHeld:
    """Store the incoming record ``p`` (a Prepared) as held for ``record``."""
    held = ImportHeld(run_id=run.id, position=p.incoming.position, record_id=record.id,
                      record_version=record.version, rule=rule, old_title=before["title"],
                      new_title=after["title"], old_author=main_author(before), new_author=main_author(after),
                      data=snapshot(p), raw_marc=p.raw_marc, state="held")
    session.add(held)
    return held


def snapshot(p) -> dict:
    """What merging reads of an incoming record, as JSON."""
    mapped = p.mapped
    return {"clean": plain_fields(p.clean), "subjects": [list(s) for s in mapped.subjects],
            "items": [{k: plain(v) for k, v in item.items()} for item in mapped.items],
            "source_id": mapped.source_id, "flavour": mapped.flavour, "filing_title": mapped.filing_title}


def restore(data: dict, raw_marc: bytes | None):
    """The incoming record of a snapshot, in the shape merge_record reads."""
    mapped = SimpleNamespace(subjects=[tuple(s) for s in data["subjects"]], items=data["items"],
                             source_id=data["source_id"], flavour=data["flavour"],
                             filing_title=data["filing_title"], local={})
    return SimpleNamespace(clean=data["clean"], mapped=mapped, raw_marc=raw_marc)


def _given_initial(name: str) -> str:
    given = name.split(",", 1)[1] if "," in name else " ".join(name.split()[:-1])
    words = _LETTERS.findall(unaccent(given).lower())
    return words[0][0] if words else ""
