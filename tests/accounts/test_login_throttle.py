"""Password guessing through the login page is slowed down per client and
stopped per client and account, without letting anyone lock a colleague
out: the owner, from her own desk, still logs in. Nothing is stored about
clients; the account itself locks only after many failures from anywhere,
and its API tokens keep working meanwhile (the lock guards the password)."""
from __future__ import annotations

from accounts.services.accounts import MAX_FAILED_LOGINS
from accounts.throttle import FREE, PAIR_LIMIT
from tests.support.factories import PASSWORD, csrf_token, make_token, make_user

ATTACKER = {"REMOTE_ADDR": "203.0.113.9"}
OWNER = {"REMOTE_ADDR": "192.0.2.10"}


def attempt(client, username, password, where):
    token = csrf_token(client, "/login")
    return client.post("/login", data={"csrf_token": token, "username": username, "password": password},
                       environ_base=where)


def test_guessing_one_account_stops_that_client_but_never_the_owner(client, db):
    make_user(db, "doc")
    for _ in range(PAIR_LIMIT):
        assert attempt(client, "doc", "guess", ATTACKER).status_code == 401
    refused = attempt(client, "doc", PASSWORD, ATTACKER)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 60
    assert attempt(client, "doc", PASSWORD, OWNER).status_code == 302


def test_a_client_guessing_many_accounts_is_slowed_down(client, db):
    answers = [attempt(client, f"user{n}", "guess", ATTACKER) for n in range(FREE + 3)]
    assert [a.status_code for a in answers[:FREE]] == [401] * FREE
    slowed = answers[FREE]
    assert slowed.status_code == 429 and int(slowed.headers["Retry-After"]) >= 1
    assert "Set-Cookie" not in slowed.headers or "lang=" not in slowed.headers["Set-Cookie"]


def test_only_many_failures_from_everywhere_lock_the_account_and_its_tokens_still_work(client, db):
    make_user(db, "doc")
    bearer = {"Authorization": f"Bearer {make_token(db, 'doc')}"}
    for n in range(MAX_FAILED_LOGINS):
        assert attempt(client, "doc", "guess", {"REMOTE_ADDR": f"10.1.{n // 200}.{n % 200}"}).status_code == 401
    assert attempt(client, "doc", PASSWORD, OWNER).status_code == 429
    assert client.get("/api/v1/records", headers=bearer).status_code == 200
