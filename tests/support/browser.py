"""Shared by the browser tests and docs/screenshots.py."""
from __future__ import annotations

import re


def log_in(page, base_url: str, username: str, password: str) -> None:
    """Log in through the /login form, as a person would, and wait for the staff pages."""
    page.goto(f"{base_url}/login")
    page.locator("#username").fill(username)
    page.locator("#password").fill(password)
    page.locator("form.narrow button[type=submit]").click()
    page.wait_for_url(re.compile(r"/staff/"))
