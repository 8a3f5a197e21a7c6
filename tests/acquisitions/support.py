"""Helpers of the acquisitions tests: the staff, proposals made through the
API, moves made through the API or the services, funds, and the error shape
with the keys acquisitions' errors add."""
from __future__ import annotations

import functools

from accounts.models import User
from accounts.services import AccountService
from accounts.services.accounts import hash_password
from accounts.vocab import Role
from acquisitions.services.budgets import BudgetService
from acquisitions.services.moves import MoveService
from acquisitions.services.proposals import ProposalService
from core.db import utcnow
from core.vocab import Pole
from tests.support.factories import PASSWORD

# username -> (role, pole, e-mail)
PEOPLE = {
    "claire": ("counsellor", "job_search", "claire.morel@cite-metiers.example"),  # proposes, mostly
    "karim": ("counsellor", "career_change", None),
    "nadia": ("counsellor", "job_search", None),
    "doc": ("documentalist", None, None),
    "lise": ("librarian", None, "lise.bernard@cite-metiers.example"),
    "paul": ("librarian", None, None),
    "admin": ("administrator", None, None),
}


@functools.cache
def password_hash() -> str:
    return hash_password(PASSWORD)


class Staff:
    """The centre's staff: ``staff.headers("lise")`` creates Lise, the
    librarian, on first use and returns the headers of an API token of hers.

    Accounts are rows sharing one password hash, computed once: these tests
    are not about accounts (tests/accounts is), and argon2 costs a third of
    a second an account. Tokens are issued by the accounts service."""

    def __init__(self, db, people: dict | None = None):
        self.db = db
        self.people = people or PEOPLE
        self.ids: dict[str, int] = {}
        self._headers: dict[str, dict] = {}

    def create(self, username: str) -> int:
        if username not in self.ids:
            role, pole, email = self.people[username]
            with self.db.transaction() as session:
                user = User(username=username, display_name=username.title(), role=Role(role),
                            pole=Pole(pole) if pole else None, email=email, password_hash=password_hash(),
                            created_at=utcnow(), password_changed_at=utcnow())
                session.add(user)
                session.flush()
                self.ids[username] = user.id
        return self.ids[username]

    def headers(self, username: str) -> dict:
        if username not in self._headers:
            self.create(username)
            with self.db.transaction() as session:
                _, clear = AccountService(session).issue_token(username, "tests")
            self._headers[username] = {"Authorization": f"Bearer {clear}"}
        return self._headers[username]

    def user(self, session, username: str) -> User:
        """The account in ``session`` (create it first: a second writer would wait on SQLite's lock)."""
        assert username in self.ids, f"staff.create({username!r}) before opening the transaction"
        return session.get(User, self.ids[username])


def proposal_data(**overrides) -> dict:
    data = {"title": "Le guide du bilan de compétences", "authors": "Morel, Sophie; Petit, Hugo",
            "publisher": "Éditions du Parcours", "year": 2024, "isbn": "9782350300016",
            "reason": "Les conseillers du pôle emploi le demandent chaque semaine.",
            "estimated_price": "24.50", "quantity": 1}
    data.update(overrides)
    return data


def propose(client, headers, **overrides) -> dict:
    response = client.post("/api/v1/proposals", json=proposal_data(**overrides), headers=headers)
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()


def read(client, headers, proposal_id: int) -> dict:
    response = client.get(f"/api/v1/proposals/{proposal_id}", headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def transition(client, headers, proposal_id: int, to: str, **data):
    """Ask for a move at the proposal's current version; the raw response."""
    version = read(client, headers, proposal_id)["version"]
    return client.post(f"/api/v1/proposals/{proposal_id}/transitions", headers=headers,
                       json={"to": to, "version": version, **data})


def moved(client, headers, proposal_id: int, to: str, **data) -> dict:
    response = transition(client, headers, proposal_id, to, **data)
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert body["status"] == to
    return body


def open_fund(db, year: int, code: str, allocated: str, **data) -> int:
    with db.transaction() as session:
        return BudgetService(session).create(year, code, {"allocated": allocated, **data}).id


def move(db, staff: Staff, username: str, proposal_id: int, to: str, **data):
    """A move through the service, in a transaction of its own: the proposal's status after it."""
    staff.create(username)
    with db.transaction() as session:
        version = ProposalService(session).get(proposal_id).version
        proposal = MoveService(session, staff.user(session, username)).move(
            proposal_id, to, expected_version=version, data=data)
        return proposal.status.value


def budget(client, headers, year: int) -> dict:
    """The year's figures, fund code -> figures."""
    response = client.get(f"/api/v1/budgets?year={year}", headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    return {item["code"]: item for item in response.get_json()["items"]}
