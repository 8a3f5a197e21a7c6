"""The benches' HTTP client: one keep-alive connection and the cookies of one
session, so a figure measures the service, not connecting to it."""
from __future__ import annotations

import http.client
import re
from urllib.parse import urlencode, urlsplit

CSRF = re.compile(rb'name="csrf_token"[^>]*value="([^"]+)"')


class Client:
    """A keep-alive HTTP client with a cookie jar of one session."""

    def __init__(self, base_url: str, timeout: float = 60):
        parts = urlsplit(base_url)
        self.conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        data = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return response.status, data

    def csrf_token(self, path: str) -> str:
        _, html = self.request("GET", path)
        return CSRF.search(html).group(1).decode()

    def login(self, username: str, password: str) -> None:
        """Log in through the form, as a person would (the service runs with
        CATALOGUE_SESSION_COOKIE_SECURE=false: this client speaks plain HTTP)."""
        status, _ = self.request("POST", "/login", urlencode(
            {"csrf_token": self.csrf_token("/login"), "username": username, "password": password}).encode(),
            {"Content-Type": "application/x-www-form-urlencoded"})
        if status != 302:
            raise RuntimeError(f"login as {username} answered {status}")
