"""The login throttle's arithmetic, on a clock the test moves."""
from __future__ import annotations

import datetime as dt

from accounts.throttle import FREE, PAIR_LIMIT, WINDOW, LoginThrottle


class Clock:
    def __init__(self):
        self.now = 1000.0
        self.wall = dt.datetime(2026, 12, 7, 10, tzinfo=dt.timezone.utc)

    def __call__(self):
        return self.now

    def advance(self, seconds: float):
        self.now += seconds
        self.wall += dt.timedelta(seconds=seconds)


def throttle(clock: Clock) -> LoginThrottle:
    return LoginThrottle(clock=clock, wall=lambda: clock.wall)


def test_one_client_guessing_one_account_is_stopped_and_the_owner_elsewhere_is_not():
    clock = Clock()
    limiter = throttle(clock)
    for _ in range(PAIR_LIMIT - 1):
        limiter.failed("10.0.0.9", "doc")
        assert limiter.wait("10.0.0.9", "doc") == (0, False)
    limiter.failed("10.0.0.9", "DOC ")  # the same account, however typed
    seconds, locked = limiter.wait("10.0.0.9", "doc")
    assert locked and WINDOW - 1 <= seconds <= WINDOW
    assert limiter.wait("192.0.2.1", "doc") == (0, False)  # the owner, from her desk
    clock.advance(WINDOW + 1)
    assert limiter.wait("10.0.0.9", "doc") == (0, False)  # forgotten after the window


def test_a_new_password_ends_the_lock_its_guessing_earned():
    clock = Clock()
    limiter = throttle(clock)
    for _ in range(PAIR_LIMIT):
        limiter.failed("10.0.0.9", "doc")
    before = clock.wall - dt.timedelta(minutes=1)
    assert limiter.wait("10.0.0.9", "doc", password_changed_at=before)[1] is True
    clock.advance(30)
    assert limiter.wait("10.0.0.9", "doc", password_changed_at=clock.wall) == (0, False)


def test_a_client_guessing_many_accounts_waits_longer_and_longer():
    clock = Clock()
    limiter = throttle(clock)
    waits = []
    for n in range(FREE + 6):
        seconds, locked = limiter.wait("10.0.0.9", f"user{n}")
        waits.append(seconds)
        clock.advance(seconds)
        limiter.failed("10.0.0.9", f"user{n}")
    assert waits[:FREE] == [0] * FREE
    assert waits[FREE:] == [1, 2, 4, 8, 16, 32]
    assert limiter.wait("198.51.100.7", "user1") == (0, False)  # other clients are not slowed
    limiter.succeeded("10.0.0.9", "user0")
    assert limiter.wait("10.0.0.9", "user99") == (0, False)


def test_memory_is_bounded_and_forgets():
    clock = Clock()
    limiter = throttle(clock)
    for n in range(50):
        limiter.failed(f"10.0.{n}.1", "doc")
    clock.advance(WINDOW + 1)
    limiter.wait("10.0.0.1", "doc")
    assert limiter._clients == {} and limiter._pairs == {}
