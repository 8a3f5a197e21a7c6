"""Password hashes are argon2id with RFC 9106's low-memory profile unless
CATALOGUE_PASSWORD_HASH_PROFILE says otherwise (the test run says
`cheapest`). Read when the accounts package is imported, so each case runs
in a fresh interpreter."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

SHOW = ("from accounts.services.accounts import hash_password; "
        "from argon2 import PasswordHasher; h = hash_password('correct horse battery'); "
        "print(h.split('$')[3]); assert PasswordHasher().verify(h, 'correct horse battery')")


def parameters(profile: str | None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "CATALOGUE_PASSWORD_HASH_PROFILE"}
    if profile is not None:
        env["CATALOGUE_PASSWORD_HASH_PROFILE"] = profile
    return subprocess.run([sys.executable, "-c", SHOW], env=env, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("profile, expected", [(None, "m=65536,t=3,p=4"), ("rfc_9106_low_memory", "m=65536,t=3,p=4"),
                                               ("cheapest", "m=8,t=1,p=1")])
def test_the_profile_sets_the_hash_parameters_and_any_hash_still_verifies(profile, expected):
    done = parameters(profile)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == expected


def test_an_unknown_profile_is_refused_by_name():
    done = parameters("fast")
    assert done.returncode != 0
    assert "CATALOGUE_PASSWORD_HASH_PROFILE='fast': one of rfc_9106_low_memory, cheapest" in done.stderr
