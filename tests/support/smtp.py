"""A real SMTP server for tests: aiosmtpd on a free loopback port,
keeping every message it accepts.

``smtp_server()`` starts it (on ``port`` if given, so a test can first point
the app at a port where nothing listens, then bring the server up there);
``login=(user, password)`` makes it ask for AUTH (PLAIN or LOGIN) on the
plain connection and refuse mail from an unauthenticated client;
``delay`` makes it take that long to accept each message (a slow server).
"""
from __future__ import annotations

import asyncio
import contextlib
import email
import email.policy
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import EmailMessage

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from tests.support.postgres import free_port


@dataclass(frozen=True)
class Received:
    mail_from: str
    rcpt_tos: tuple[str, ...]
    message: EmailMessage
    login: str | None  # who authenticated, if anyone

    @property
    def body(self) -> str:
        """The text, with the wire's CRLF line ends read as newlines."""
        return self.message.get_content().replace("\r\n", "\n")


class Collector:
    """The aiosmtpd handler: keeps what it accepts, and lets a test wait for it."""

    def __init__(self, delay: float = 0.0):
        self.delay = delay
        self._condition = threading.Condition()
        self._messages: list[Received] = []

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's hook name
        if self.delay:
            await asyncio.sleep(self.delay)
        message = email.message_from_bytes(envelope.original_content or envelope.content,
                                           policy=email.policy.default)
        login = getattr(session.auth_data, "login", None) if session.authenticated else None
        received = Received(envelope.mail_from, tuple(envelope.rcpt_tos), message,
                            login.decode() if isinstance(login, bytes) else login)
        with self._condition:
            self._messages.append(received)
            self._condition.notify_all()
        return "250 Message accepted for delivery"

    @property
    def messages(self) -> list[Received]:
        with self._condition:
            return list(self._messages)

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Received]:
        """The messages once at least ``count`` arrived; AssertionError after ``timeout``."""
        deadline = time.monotonic() + timeout
        with self._condition:
            while len(self._messages) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"{len(self._messages)} message(s) arrived within {timeout}s, "
                                         f"{count} expected")
                self._condition.wait(left)
            return list(self._messages)


class _Authenticator:
    def __init__(self, user: str, password: str):
        self.user, self.password = user.encode(), password.encode()

    def __call__(self, server, session, envelope, mechanism, auth_data):
        ok = (getattr(auth_data, "login", None) == self.user
              and getattr(auth_data, "password", None) == self.password)
        return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)


@dataclass
class SmtpServer:
    host: str
    port: int
    collector: Collector

    @property
    def messages(self) -> list[Received]:
        return self.collector.messages

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Received]:
        return self.collector.wait_for(count, timeout)


@contextlib.contextmanager
def smtp_server(port: int | None = None, *, login: tuple[str, str] | None = None,
                delay: float = 0.0) -> Iterator[SmtpServer]:
    collector = Collector(delay)
    port = port or free_port()
    options = {}
    if login is not None:
        options = {"authenticator": _Authenticator(*login), "auth_require_tls": False, "auth_required": True}
    controller = Controller(collector, hostname="127.0.0.1", port=port, **options)
    controller.start()
    try:
        yield SmtpServer("127.0.0.1", port, collector)
    finally:
        controller.stop()
