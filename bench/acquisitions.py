"""How fast are the acquisitions' duplicate check and review queue at scale?

On the 100,000 Library of Congress records
(../shared/data/marc21-loc-booksall-2016-100k, imported with the real
importer into a temporary SQLite database, or into --db PATH, which is kept
and reused by later runs) plus --proposals generated proposals (default
5,000, bulk-inserted, seeded: a quarter copy the title, first author, year
and ISBN of an imported record, a tenth its title, author and year only,
the rest invented career-guidance titles with fresh ISBNs; mostly proposed
or under review; "me too" supports, and observatory queries linked to
QueryCount rows of the portal "bench", so the queue's ordering has work to
do), prints:
  - the duplicate check, ProposalService.check(data) (cleaning, then the
    catalogue's works by ISBN, ISSN or match key, then an open proposal of
    the same work), in-process, one session per check as a request has:
    p50/p95 over --rounds passes of 300 fixed inputs (ISBN hits given as
    ISBN-10 or hyphenated ISBN-13, match-key hits, open-proposal hits,
    misses) after a warm-up pass that also checks each input finds what it
    should, and the ratio to a baseline SELECT 1 in a fresh session of the
    same process;
  - the review queue, GET /staff/acquisitions/review as a logged-in
    librarian on the real server (`catalogue serve`, one worker, one client
    on a keep-alive connection): the first page, a later page and the first
    page of one pole, --requests each, interleaved with GET /healthz as the
    baseline;
  - a table of the figures against the targets (check p95 <= 20 ms, review
    page p95 <= 150 ms, at 100,000 records and 5,000 proposals).

The bench's own rows are its staff accounts (usernames "bench-..."), the
proposals they made and the query counts of the portal "bench": a reused
--db holding another number of proposals has them replaced.

Usage: .venv/bin/python bench/acquisitions.py [--db PATH] [--proposals N] [--rounds N]
       [--requests N] [--seed N]
"""
from __future__ import annotations

import argparse
import datetime as dt
import itertools
import math
import os
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import delete, func, insert, select, text  # noqa: E402
from stdnum import ean  # noqa: E402
from stdnum import isbn as stdnum_isbn  # noqa: E402

from accounts.models import User  # noqa: E402
from accounts.services import AccountService  # noqa: E402
from accounts.vocab import Role  # noqa: E402
from acquisitions.models import (  # noqa: E402
    Proposal,
    ProposalAudience,
    ProposalEvent,
    ProposalPole,
    ProposalQuery,
    ProposalSupport,
)
from acquisitions.services.duplicates import proposal_key  # noqa: E402
from acquisitions.services.proposals import ProposalService  # noqa: E402
from acquisitions.vocab import OPEN_STATUSES, ProposalReason, ProposalStatus  # noqa: E402
from bench.figures import figures, p  # noqa: E402
from bench.keepalive import Client  # noqa: E402
from catalogue.models import Contributor, Record  # noqa: E402
from catalogue.vocab import Audience  # noqa: E402
from cite import migrate  # noqa: E402
from core.db import Database, utcnow  # noqa: E402
from core.vocab import Pole  # noqa: E402
from importers.marc.runner import import_file  # noqa: E402
from search.models import QueryCount  # noqa: E402
from search.stats import normalise  # noqa: E402
from tests.support.live import live_server  # noqa: E402

LOC = ROOT.parent / "shared" / "data" / "marc21-loc-booksall-2016-100k" / "loc-booksall-2016-records-10001-110000.mrc.gz"
PREFIX = "bench-"             # the bench's staff accounts
PORTAL = "bench"              # the bench's observatory counts
LIBRARIAN, PASSWORD = "bench-librarian", "bench-password-2026"
PAGE_SIZE = 50                # the review queue's page (acquisitions.views.desk.review)
REVIEWED = (ProposalStatus.PROPOSED, ProposalStatus.UNDER_REVIEW)
STATUSES = [(ProposalStatus.PROPOSED, 50), (ProposalStatus.UNDER_REVIEW, 30), (ProposalStatus.ACCEPTED, 6),
            (ProposalStatus.REJECTED, 7), (ProposalStatus.WITHDRAWN, 3), (ProposalStatus.ORDERED, 2),
            (ProposalStatus.RECEIVED, 1), (ProposalStatus.CATALOGUED, 1)]
TARGETS = {"check": 20.0, "review": 150.0}  # p95, ms

# Invented works: a career-guidance centre's kind of titles.
TOPICS = ["la santé", "l'aide à domicile", "la logistique", "le numérique", "l'hôtellerie-restauration",
          "le bâtiment", "l'agriculture", "la petite enfance", "la comptabilité", "le commerce", "l'industrie",
          "la transition écologique", "l'artisanat", "le transport routier", "la fonction publique",
          "l'animation", "la sécurité", "le tourisme", "la banque", "l'assurance", "la communication",
          "le design", "la mode", "l'audiovisuel", "le sport", "l'enseignement", "la recherche", "l'énergie",
          "l'automobile", "l'aéronautique", "la chimie", "l'environnement", "le travail social", "le droit",
          "l'immobilier", "la culture", "le spectacle vivant", "la cybersécurité", "l'intelligence artificielle",
          "la robotique"]
FORMS = ["Guide des métiers de {}", "Travailler dans {}", "Se former à {}", "Se reconvertir dans {}",
         "Créer son entreprise dans {}", "Réussir son entretien d'embauche dans {}", "Les concours de {}",
         "Trouver un emploi dans {}", "L'apprentissage dans {}", "Les diplômes de {}", "Devenir cadre dans {}",
         "CV et lettre de motivation pour {}", "Valider son expérience dans {}", "Atlas des emplois de {}",
         "Les femmes et {}", "Handicap et emploi dans {}"]
SUBTITLES = ["", " : mode d'emploi", " : 100 fiches pratiques", " : le guide complet",
             " : témoignages et conseils", " : questions-réponses", " : les clés pour réussir"]
FIRST_NAMES = ["Léa", "Paul", "Camille", "Karim", "Sophie", "Julien", "Nadia", "Thomas", "Inès", "Marc", "Chloé",
               "Mehdi", "Claire", "Hugo", "Fatou", "Antoine", "Emma", "Yann", "Sarah", "Olivier"]
SURNAMES = ["Martin", "Durand", "Bernard", "Petit", "Robert", "Richard", "Moreau", "Laurent", "Simon", "Michel",
            "Lefebvre", "Garcia", "Roux", "Fontaine", "Benali", "Nguyen", "Diallo", "Mercier", "Blanc", "Chevalier",
            "Girard", "Bonnet", "Lambert", "Faure", "Rousseau", "Haddad", "Perrin", "Morel", "Gauthier", "Marchand"]
PUBLISHERS = ["Onisep", "Studyrama", "L'Étudiant", "Vuibert", "Dunod", "Eyrolles", "Foucher", "Nathan",
              "Hachette Éducation", "Gualino", "La Documentation française", "Centre Inffo", "Ellipses", "Vocatis"]
QUERY_WORDS = ["metier", "formation", "emploi", "concours", "cv", "apprentissage", "salaire", "fiche metier",
               "reconversion", "bts", "cap", "stage", "alternance", "vae", "entretien"]
CITIES = ["", "paris", "lyon", "lille", "marseille"]


# ---------------------------------------------------------------- figures

# ---------------------------------------------------------------- the catalogue

def catalogue(args, workdir: Path) -> str:
    """The URL of an SQLite database holding the LoC records: --db if it
    holds them already, else imported into --db (kept) or a temporary one."""
    path = args.db.resolve() if args.db else workdir / "loc.db"
    url = f"sqlite:///{path}"
    database = Database(url)
    migrate.upgrade(database)
    with database.transaction() as session:
        records = session.scalar(select(func.count()).select_from(Record))
    if records:
        print(f"catalogue: {path}, {records:,} records (reused)")
    elif LOC.exists():
        began = time.perf_counter()
        report = import_file(database, LOC, source="main-library", rejects_dir=workdir / "rejects")
        print(f"catalogue: imported {report.created:,} LoC records into {path} in "
              f"{time.perf_counter() - began:.0f} s")
    else:
        sys.exit(f"{LOC} is absent (it comes with ../shared/data)")
    database.dispose()
    return url


def record_rows(session) -> list[tuple]:
    """(id, title, isbn, year, publisher, match_key, first author) of every record."""
    first = (select(Contributor.name).where(Contributor.record_id == Record.id)
             .order_by(Contributor.position, Contributor.id).limit(1).scalar_subquery())
    return session.execute(select(Record.id, Record.title, Record.isbn, Record.year, Record.publisher,
                                  Record.match_key, first).order_by(Record.id)).all()


def key_of(title: str, authors: str | None, year: int | None) -> str | None:
    return proposal_key({"title": title, "authors": authors, "year": year})


def invented_isbn(rng: random.Random, taken: set[str]) -> str:
    while True:
        stem = "97910" + "".join(rng.choice("0123456789") for _ in range(7))
        number = stem + ean.calc_check_digit(stem)
        if number not in taken:
            taken.add(number)
            return number


def invented_titles(rng: random.Random) -> list[str]:
    titles = [form.format(topic) + subtitle for form in FORMS for topic in TOPICS for subtitle in SUBTITLES]
    rng.shuffle(titles)
    return titles


def invented_author(rng: random.Random) -> str:
    names = [f"{rng.choice(SURNAMES)}, {rng.choice(FIRST_NAMES)}" for _ in range(1 if rng.random() < 0.7 else 2)]
    return "; ".join(names)


# ---------------------------------------------------------------- the proposals

def bench_users(session) -> list[User]:
    return list(session.scalars(select(User).where(User.username.startswith(PREFIX)).order_by(User.id)))


def staff(session, now) -> list[User]:
    """The bench's staff: counsellors of every pole, documentalists,
    librarians; the librarian who logs in has a real password."""
    people = bench_users(session)
    if people:
        return people
    librarian = AccountService(session).create(LIBRARIAN, PASSWORD, Role.LIBRARIAN.value,
                                               display_name="Bench Librarian")
    poles = list(Pole)
    rows = ([(f"{PREFIX}counsellor-{n}", Role.COUNSELLOR, poles[n % len(poles)]) for n in range(40)]
            + [(f"{PREFIX}documentalist-{n}", Role.DOCUMENTALIST, None) for n in range(12)]
            + [(f"{PREFIX}librarian-{n}", Role.LIBRARIAN, None) for n in range(5)])
    session.execute(insert(User.__table__), [
        {"username": name, "display_name": name.replace(PREFIX, "").replace("-", " ").title(),
         "password_hash": librarian.password_hash, "role": role, "pole": pole, "active": True,
         "created_at": now, "password_changed_at": now, "failed_logins": 0} for name, role, pole in rows])
    return bench_users(session)


def clear(session, users: list[User]) -> None:
    ids = [u.id for u in users]
    session.execute(delete(Proposal).where(Proposal.proposed_by_id.in_(ids)))  # cascades (foreign_keys=ON)
    session.execute(delete(QueryCount).where(QueryCount.portal == PORTAL))


def query_pool(rng: random.Random) -> list[str]:
    words = [normalise(re.sub(r"^(la |le |l')", "", topic)) for topic in TOPICS]
    pool = list(dict.fromkeys(normalise(f"{q} {w} {c}") for q in QUERY_WORDS for w in words for c in CITIES))
    rng.shuffle(pool)
    return pool


def query_counts(rng: random.Random, pool: list[str], today: dt.date) -> tuple[list[dict], list[float]]:
    """A year of observatory counts for the pool's queries (a long tail), and each query's weight."""
    rows, weights = [], []
    poles = [""] + Pole.values()
    for query in pool:
        weight = min(rng.paretovariate(1.1), 60.0)
        weights.append(weight)
        cells = {(rng.randrange(365), rng.choice(poles)) for _ in range(max(1, int(weight * 12)))}
        for day, pole in cells:
            searches = 1 + int(rng.expovariate(0.5))
            rows.append({"day": today - dt.timedelta(days=day), "portal": PORTAL, "pole": pole, "query": query,
                         "searches": searches, "zero_results": rng.randint(0, searches)})
    return rows, weights


def generate(database: Database, n: int, seed: int) -> None:
    rng = random.Random(seed)
    now = utcnow().replace(microsecond=0)
    began = time.perf_counter()
    with database.transaction() as session:
        users = staff(session, now)
        clear(session, users)
        proposers = [u for u in users if u.username != LIBRARIAN]
        records = record_rows(session)
        with_isbn = [r for r in records if r.isbn and r.title and r.year]
        keyed = [r for r in records if r.match_key and r.title
                 and key_of(r.title, r[6], r.year) == r.match_key]
        rng.shuffle(with_isbn)
        rng.shuffle(keyed)
        titles = itertools.cycle(invented_titles(rng))  # past 4,480 works, a title recurs by another author
        taken = {r.isbn for r in records if r.isbn}
        held, by_key = int(n * 0.25), int(n * 0.10)
        used_records: set[int] = set()
        works = []
        for r in with_isbn[:held]:
            used_records.add(r.id)
            works.append({"title": r.title, "authors": r[6], "year": r.year, "isbn": r.isbn,
                          "publisher": r.publisher, "record": r.id})
        for r in (r for r in keyed if r.id not in used_records):
            if len(works) >= held + by_key:
                break
            used_records.add(r.id)
            works.append({"title": r.title, "authors": r[6], "year": r.year, "isbn": None,
                          "publisher": r.publisher, "record": r.id})
        while len(works) < n:
            works.append({"title": next(titles), "authors": invented_author(rng), "year": rng.randint(2015, now.year),
                          "isbn": invented_isbn(rng, taken) if rng.random() < 0.85 else None,
                          "publisher": rng.choice(PUBLISHERS), "record": None})
        rng.shuffle(works)

        pool = query_pool(rng)
        counts, weights = query_counts(rng, pool, now.date())
        session.execute(insert(QueryCount.__table__), counts)

        statuses, status_weights = zip(*STATUSES)
        first_id = (session.scalar(select(func.max(Proposal.id))) or 0) + 1
        proposals, poles, audiences, queries, supports, events = [], [], [], [], [], []
        for offset, work in enumerate(works):
            pid = first_id + offset
            proposer = rng.choice(proposers)
            status = rng.choices(statuses, status_weights)[0]
            created = now - dt.timedelta(seconds=rng.randint(0, 540 * 86400))
            reason = (ProposalReason.REPLACE_COPY if work["record"] and rng.random() < 0.5
                      else rng.choice(list(ProposalReason)))
            proposals.append({
                "id": pid, "title": work["title"][:500], "authors": (work["authors"] or None) and work["authors"][:500],
                "publisher": (work["publisher"] or "")[:255] or None, "year": work["year"], "isbn": work["isbn"],
                "document_type": "book", "pole": proposer.pole or rng.choice([None] + list(Pole)),
                "reason_code": reason, "reason": None, "quantity": rng.choice([1, 1, 1, 2, 3]),
                "estimated_price": Decimal(rng.randint(800, 6000)) / 100, "status": status,
                "record_id": work["record"] if reason == ProposalReason.REPLACE_COPY else None,
                "record_relation": "replaces" if reason == ProposalReason.REPLACE_COPY and work["record"] else None,
                "match_key": key_of(work["title"], work["authors"], work["year"]),
                "duplicate_confirmed": bool(work["record"]), "proposed_by_id": proposer.id,
                "created_at": created, "updated_at": created, "version": 1})
            for pole in rng.sample(Pole.values(), rng.choice([0, 0, 1, 2])):
                poles.append({"proposal_id": pid, "pole": pole})
            for audience in rng.sample(Audience.values(), rng.choice([0, 1, 1, 2])):
                audiences.append({"proposal_id": pid, "audience": audience})
            if rng.random() < (0.9 if reason == ProposalReason.UNMET_SEARCHES else 0.4):
                for query in set(rng.choices(pool, weights, k=rng.randint(1, 3))):
                    queries.append({"proposal_id": pid, "query": query})
            backers = 0 if rng.random() < 0.45 else min(15, 1 + int(rng.expovariate(1 / 3)))
            for supporter in rng.sample([u for u in proposers if u.id != proposer.id], backers):
                supports.append({"proposal_id": pid, "user_id": supporter.id, "pole": supporter.pole,
                                 "at": min(now, created + dt.timedelta(hours=rng.randint(1, 24 * 30)))})
            events.append({"proposal_id": pid, "from_status": None, "to_status": ProposalStatus.PROPOSED,
                           "actor_id": proposer.id, "at": created, "reason_code": reason.value,
                           "details": {"duplicate_confirmed": bool(work["record"])}})
            if status != ProposalStatus.PROPOSED:
                events.append({"proposal_id": pid, "from_status": ProposalStatus.PROPOSED, "to_status": status,
                               "actor_id": proposer.id, "at": min(now, created + dt.timedelta(days=3)),
                               "reason_code": None, "details": None})
        for model, rows in ((Proposal, proposals), (ProposalPole, poles), (ProposalAudience, audiences),
                            (ProposalQuery, queries), (ProposalSupport, supports), (ProposalEvent, events)):
            session.execute(insert(model.__table__), rows)
    print(f"generated {len(proposals):,} proposals in {time.perf_counter() - began:.1f} s: "
          f"{len(supports):,} supports, {len(queries):,} proposal queries over {len(pool):,} observatory queries "
          f"({len(counts):,} QueryCount rows), {len(events):,} events")


def proposals_ready(database: Database, n: int, seed: int) -> None:
    with database.transaction() as session:
        ids = [u.id for u in bench_users(session)]
        have = session.scalar(select(func.count()).select_from(Proposal)
                              .where(Proposal.proposed_by_id.in_(ids))) if ids else 0
    if have == n:
        print(f"proposals: {have:,} (reused)")
    else:
        generate(database, n, seed)
    with database.transaction() as session:
        by_status = dict(session.execute(select(Proposal.status, func.count()).group_by(Proposal.status)).all())
        total = {name: session.scalar(select(func.count()).select_from(model)) for name, model in
                 (("supports", ProposalSupport), ("proposal queries", ProposalQuery), ("query counts", QueryCount))}
    print("  by status: " + ", ".join(f"{s.value} {c:,}" for s, c in sorted(by_status.items(), key=lambda x: -x[1]))
          + "; " + ", ".join(f"{name} {count:,}" for name, count in total.items()))


# ---------------------------------------------------------------- the duplicate check

def isbn_as_typed(rng: random.Random, number: str) -> str:
    """An ISBN as a person types it: ISBN-10 when there is one, or hyphenated."""
    if number.startswith("978") and rng.random() < 0.5:
        return stdnum_isbn.to_isbn10(number)
    return stdnum_isbn.format(number)


def check_inputs(database: Database, seed: int) -> list[tuple[str, dict]]:
    """300 (kind, data) inputs: what each should find is its kind."""
    rng = random.Random(seed + 1)
    with database.transaction() as session:
        records = record_rows(session)
        proposed = session.execute(
            select(Proposal.title, Proposal.authors, Proposal.year, Proposal.isbn)
            .where(Proposal.status.in_(OPEN_STATUSES), Proposal.duplicate_confirmed.is_(False),
                   Proposal.match_key.is_not(None)).order_by(Proposal.id)).all()
        proposed_titles = set(session.scalars(select(Proposal.title)))
    pool = query_pool(random.Random(seed))
    isbns = {r.isbn for r in records if r.isbn}
    with_isbn = [r for r in records if r.isbn and r.title]
    keyed = [r for r in records if r.match_key and r.title and key_of(r.title, r[6], r.year) == r.match_key]
    inputs = []

    def extra() -> dict:
        return {"pole": rng.choice(Pole.values()), "reason_code": rng.choice(ProposalReason.values()),
                "quantity": str(rng.randint(1, 3)), "estimated_price": f"{rng.randint(8, 60)},90",
                "queries": [rng.choice(pool)] if rng.random() < 0.3 else []}

    for r in rng.sample(with_isbn, 80):
        inputs.append(("ISBN hit", {"title": r.title, "authors": r[6] or "", "year": str(r.year or ""),
                                    "isbn": isbn_as_typed(rng, r.isbn), "publisher": r.publisher or "", **extra()}))
    for r in rng.sample(keyed, 80):
        inputs.append(("key hit", {"title": r.title, "authors": r[6] or "", "year": str(r.year or ""),
                                   "publisher": r.publisher or "", **extra()}))
    for title, authors, year, number in rng.sample(proposed, 60):
        data = {"title": title, "authors": authors or "", "year": str(year or ""), **extra()}
        if number and rng.random() < 0.5:
            data["isbn"] = isbn_as_typed(rng, number)
        inputs.append(("proposed", data))
    fresh = [t for t in invented_titles(rng) if t not in proposed_titles]
    fresh += [f"{form.format(topic)} : carnet de route" for form in FORMS for topic in TOPICS]
    taken = set(isbns)
    for n in range(80):
        data = {"title": fresh[n], "authors": invented_author(rng), "year": str(rng.randint(2015, 2025)), **extra()}
        if n % 4:
            data["isbn"] = isbn_as_typed(rng, invented_isbn(rng, taken))
        inputs.append(("miss", data))
    rng.shuffle(inputs)
    return inputs


def found_as_expected(kind: str, found: dict) -> bool:
    matched, twin = bool(found["matches"]), found["proposal"] is not None
    if kind in ("ISBN hit", "key hit"):
        return matched
    if kind == "proposed":
        return twin and not matched
    return not matched and not twin


def duplicate_check(database: Database, inputs: list[tuple[str, dict]], rounds: int) -> list[float]:
    with database.transaction() as session:
        actor = session.scalar(select(User).where(User.username == LIBRARIAN))
        session.expunge(actor)

    def one(data: dict) -> tuple[float, dict]:
        session = database.session()
        try:
            began = time.perf_counter()
            found = ProposalService(session, actor).check(data)
            return (time.perf_counter() - began) * 1000, found
        finally:
            session.close()

    def select_one() -> float:
        session = database.session()
        try:
            began = time.perf_counter()
            session.execute(text("SELECT 1")).scalar()
            return (time.perf_counter() - began) * 1000
        finally:
            session.close()

    surprises: dict[str, int] = {}
    for kind, data in inputs:  # warm-up pass, and is every input what it says?
        if not found_as_expected(kind, one(data)[1]):
            surprises[kind] = surprises.get(kind, 0) + 1
    for _ in range(50):
        select_one()
    by_kind: dict[str, list[float]] = {}
    base = []
    for _ in range(rounds):
        for kind, data in inputs:
            by_kind.setdefault(kind, []).append(one(data)[0])
            base.append(select_one())
    everything = [ms for samples in by_kind.values() for ms in samples]
    base_median = statistics.median(base)
    kinds = ", ".join(f"{sum(1 for k, _ in inputs if k == kind)} {kind}" for kind in by_kind)
    print(f"duplicate check, ProposalService.check(data), in-process, one session per check, "
          f"{rounds} rounds of {len(inputs)} inputs ({kinds}):")
    for kind, samples in sorted(by_kind.items()):
        print(f"  {kind:<9} {figures(samples)}  x{statistics.median(samples) / base_median:.0f} baseline")
    print(f"  {'all':<9} {figures(everything)}  x{statistics.median(everything) / base_median:.0f} baseline")
    print(f"  baseline SELECT 1 in a fresh session: {figures(base)}")
    if surprises:
        print("  inputs that did not find what their kind says (counted in the warm-up): "
              + ", ".join(f"{kind} {count}" for kind, count in surprises.items()))
    else:
        print("  every input found what its kind says (ISBN and key hits a work, 'proposed' an open proposal "
              "and no work, misses nothing)")
    return everything


# ---------------------------------------------------------------- the review queue

def review_queue(database_url: str, workdir: Path, requests: int) -> dict[str, list[float]]:
    database = Database(database_url)
    with database.transaction() as session:
        total = session.scalar(select(func.count()).select_from(Proposal).where(Proposal.status.in_(REVIEWED)))
        pole = session.execute(select(Proposal.pole, func.count()).where(Proposal.status.in_(REVIEWED),
                                                                         Proposal.pole.is_not(None))
                               .group_by(Proposal.pole).order_by(func.count().desc())).first()
    database.dispose()
    pages = max(1, math.ceil(total / PAGE_SIZE))
    later = pages // 2 + 1
    paths = {"/healthz": "/healthz",
             "review, page 1": "/staff/acquisitions/review",
             f"review, page {later}/{pages}": f"/staff/acquisitions/review?page={later}",
             f"review, pole {pole[0].value} ({pole[1]:,})": f"/staff/acquisitions/review?pole={pole[0].value}"}
    samples: dict[str, list[float]] = {label: [] for label in paths}
    with live_server(database_url, workdir / "instance",
                     extra_env={"CATALOGUE_SESSION_COOKIE_SECURE": "false"}) as base:
        client = Client(base)
        client.login(LIBRARIAN, PASSWORD)
        for label, path in paths.items():  # warm up, and check the page is the queue
            for _ in range(5):
                status, body = client.request("GET", path)
                if status != 200:
                    raise RuntimeError(f"GET {path} answered {status}")
            if path != "/healthz" and b'id="review-queue"' not in body:
                raise RuntimeError(f"GET {path} is not the review queue")
        for _ in range(requests):  # interleaved, so drift in the machine's load hits every figure alike
            for label, path in paths.items():
                began = time.perf_counter()
                status, _ = client.request("GET", path)
                samples[label].append((time.perf_counter() - began) * 1000)
                assert status == 200, (path, status)
    base_median = statistics.median(samples["/healthz"])
    print(f"review queue over HTTP: `catalogue serve` (1 worker), one keep-alive client logged in as a "
          f"librarian, {requests} requests each, interleaved; {total:,} proposals to decide, "
          f"{pages} pages of {PAGE_SIZE}:")
    for label, values in samples.items():
        ratio = "" if label == "/healthz" else f"  x{statistics.median(values) / base_median:.1f} /healthz"
        print(f"  GET {label:<32} {figures(values)}{ratio}")
    return samples


# ---------------------------------------------------------------- main

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="an SQLite catalogue to reuse (the LoC records are imported into "
                                                "it first if it has no records; it is kept)")
    parser.add_argument("--proposals", type=int, default=5000, help="proposals to generate (default 5000)")
    parser.add_argument("--rounds", type=int, default=3, help="passes over the 300 duplicate-check inputs")
    parser.add_argument("--requests", type=int, default=100, help="requests per review-queue page (and /healthz)")
    parser.add_argument("--seed", type=int, default=2016, help="seed of the generated proposals")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="bench-acquisitions-"))
    try:
        run(args, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def run(args, workdir: Path) -> None:
    url = catalogue(args, workdir)
    database = Database(url)
    proposals_ready(database, args.proposals, args.seed)
    checks = duplicate_check(database, check_inputs(database, args.seed), args.rounds)
    database.dispose()
    pages = review_queue(url, workdir, args.requests)
    with Database(url).transaction() as session:
        records = session.scalar(select(func.count()).select_from(Record))
    print(f"\ntargets, at {records:,} records and {args.proposals:,} proposals (p95; nothing here asserts):")
    print(f"  {'measure':<42} {'p50':>9} {'p95':>9} {'target':>9}")
    rows = [("duplicate check (in-process)", checks, TARGETS["check"])]
    rows += [(f"GET {label}", values, TARGETS["review"]) for label, values in pages.items() if label != "/healthz"]
    for label, values, target in rows:
        verdict = "within" if p(values, 95) <= target else "OVER"
        print(f"  {label:<42} {statistics.median(values):6.1f} ms {p(values, 95):6.1f} ms {target:6.0f} ms  {verdict}")
    print(f"load average {', '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
