from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
import secrets

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from accounts.errors import AccountLocked
from accounts.models import ApiToken, User
from accounts.vocab import Role
from core.config import password_hash_profile
from core.db import utcnow
from core.errors import Conflict, NotFound, ValidationFailed
from core.i18n import N_
from core.vocab import Pole

MIN_PASSWORD_LENGTH = 10
# Failures in a row, from anywhere, that lock the account itself: many more than one
# person mistypes, so that nobody can lock a colleague out with a few wrong passwords
# (each client is slowed down and stopped long before: accounts.throttle).
MAX_FAILED_LOGINS = 50
LOCK_MINUTES = 15
TOKEN_PREFIX = "cdm_"
_hasher = PasswordHasher.from_parameters(getattr(profiles, password_hash_profile().upper()))


def hash_password(password: str) -> str:
    """A hash of ``password`` with this installation's parameters, for
    accounts written without the service (fixtures, bulk loads)."""
    return _hasher.hash(password)


@functools.cache
def _dummy_hash() -> str:
    """Verifying against a fixed hash when the user does not exist keeps the
    time of a failed login the same whether or not the username exists. Made
    on first use: hashing at import added 0.2 s to every process's start."""
    return _hasher.hash("not a real password")


class AccountService:
    def __init__(self, session: Session, clock=utcnow):
        self.session = session
        self.clock = clock

    def get(self, user_id: int) -> User | None:
        return self.session.get(User, user_id)

    def by_username(self, username: str) -> User | None:
        return self.session.scalar(select(User).where(User.username == username.strip().lower()))

    def require(self, username: str) -> User:
        user = self.by_username(username)
        if user is None:
            raise NotFound(N_("There is no staff account named %(username)s."), username=username)
        return user

    def list(self) -> list[User]:
        return list(self.session.scalars(select(User).order_by(User.username)))

    def create(self, username: str, password: str, role: str, *, display_name: str | None = None,
               pole: str | None = None, email: str | None = None) -> User:
        username = (username or "").strip().lower()
        errors: dict[str, list[str]] = {}
        email = _email(email, errors)
        if not username or not username.replace(".", "").replace("-", "").replace("_", "").isalnum():
            errors["username"] = [N_("A username has letters, digits, dots, dashes or underscores.")]
        elif self.by_username(username) is not None:
            raise Conflict(N_("The username %(username)s is already taken."), username=username)
        role_member, pole_member = self._role_and_pole(role, pole, errors)
        self._check_password(password, errors)
        if errors:
            raise ValidationFailed(errors)
        user = User(username=username, display_name=display_name or username, role=role_member,
                    pole=pole_member, email=email, password_hash=_hasher.hash(password),
                    created_at=self.clock(), password_changed_at=self.clock())
        self.session.add(user)
        self.session.flush()
        return user

    def set_role(self, username: str, role: str, pole: str | None = None) -> User:
        user = self.require(username)
        errors: dict[str, list[str]] = {}
        user.role, user.pole = self._role_and_pole(role, pole, errors)
        if errors:
            raise ValidationFailed(errors)
        self.session.flush()
        return user

    def set_email(self, username: str, email: str | None) -> User:
        """Where the account's notifications are mailed (None: the inbox only)."""
        user = self.require(username)
        errors: dict[str, list[str]] = {}
        user.email = _email(email, errors)
        if errors:
            raise ValidationFailed(errors)
        self.session.flush()
        return user

    def set_password(self, username: str, password: str) -> User:
        user = self.require(username)
        errors: dict[str, list[str]] = {}
        self._check_password(password, errors)
        if errors:
            raise ValidationFailed(errors)
        user.password_hash = _hasher.hash(password)
        user.password_changed_at = self.clock()  # ends the user's open sessions
        user.failed_logins = 0
        user.locked_until = None
        self.session.flush()
        return user

    def set_active(self, username: str, active: bool) -> User:
        user = self.require(username)
        user.active = active
        self.session.flush()
        return user

    def authenticate(self, username: str, password: str) -> User | None:
        """The user if the password is right, else None.

        Raises AccountLocked while the account is locked, even with the right
        password. Failures are counted with ``record_failed_login``, in a
        transaction of its own, since the caller rolls back a failed login.
        """
        user = self.by_username(username or "")
        if user is not None and user.locked_until is not None and user.locked_until > self.clock():
            raise AccountLocked(N_("Too many failed attempts: this account is locked for a few minutes. "
                                   "Try again later or ask an administrator."), until=user.locked_until)
        try:
            _hasher.verify(user.password_hash if user else _dummy_hash(), password or "")
        except (VerificationError, InvalidHashError):
            return None
        if user is None or not user.active:
            return None
        if _hasher.check_needs_rehash(user.password_hash):
            user.password_hash = _hasher.hash(password)
        user.failed_logins = 0
        user.locked_until = None
        return user

    def record_failed_login(self, username: str) -> None:
        """Count a failed login; the MAX_FAILED_LOGINS-th in a row locks the account for 15 minutes."""
        user = self.by_username(username or "")
        if user is None:
            return
        user.failed_logins += 1
        if user.failed_logins >= MAX_FAILED_LOGINS:
            user.locked_until = self.clock() + dt.timedelta(minutes=LOCK_MINUTES)
            user.failed_logins = 0
        self.session.flush()

    # API tokens ---------------------------------------------------------------
    def issue_token(self, username: str, name: str) -> tuple[ApiToken, str]:
        """Create a token; the clear value is returned once and never stored."""
        user = self.require(username)
        clear = TOKEN_PREFIX + secrets.token_urlsafe(32)
        token = ApiToken(user=user, name=name, prefix=clear[:12], token_hash=_digest(clear),
                         created_at=self.clock())
        self.session.add(token)
        self.session.flush()
        return token, clear

    def user_for_token(self, clear: str) -> User | None:
        token = self.session.scalar(select(ApiToken).where(ApiToken.token_hash == _digest(clear)))
        if token is None or token.revoked_at is not None or not token.user.active:
            return None
        now = self.clock()
        # Hourly precision is enough to spot unused tokens, and it keeps
        # read-only API calls from writing on every request.
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 3600:
            token.last_used_at = now
        return token.user

    def revoke_token(self, prefix: str) -> ApiToken:
        token = self.session.scalar(select(ApiToken).where(ApiToken.prefix == prefix))
        if token is None:
            raise NotFound(N_("There is no API token starting with %(prefix)s."), prefix=prefix)
        token.revoked_at = self.clock()
        self.session.flush()
        return token

    # Helpers ------------------------------------------------------------------
    @staticmethod
    def _role_and_pole(role: str, pole: str | None, errors: dict) -> tuple[Role | None, Pole | None]:
        try:
            role_member = Role(role)
        except ValueError:
            errors["role"] = [N_("This value is not one of the allowed choices.")]
            return None, None
        pole_member = None
        if role_member is Role.COUNSELLOR:
            try:
                pole_member = Pole(pole) if pole else None
            except ValueError:
                errors["pole"] = [N_("This value is not one of the allowed choices.")]
            if pole_member is None and "pole" not in errors:
                errors["pole"] = [N_("A counsellor is attached to an advice pole.")]
        elif pole:
            errors["pole"] = [N_("Only counsellors are attached to an advice pole.")]
        return role_member, pole_member

    @staticmethod
    def _check_password(password: str, errors: dict) -> None:
        if not password or len(password) < MIN_PASSWORD_LENGTH:
            errors["password"] = [N_("A password has at least 10 characters.")]


_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s.]+(\.[^@\s.]+)+$")


def _email(value: str | None, errors: dict) -> str | None:
    value = (value or "").strip()
    if not value:
        return None
    if len(value) > 254 or not _EMAIL.match(value):
        errors["email"] = [N_("Give an e-mail address such as prenom.nom@example.org.")]
    return value


def _digest(clear: str) -> str:
    return hashlib.sha256(clear.encode()).hexdigest()
