"""The README's screenshots, taken in headless Chromium against a real
``catalogue serve`` on the demo (tests/support/demo_site.py), in French.

    .venv/bin/python docs/screenshots.py [--out docs/screenshots]

Each shot is the first screen (1280 × 800 CSS pixels) of a page as a visitor
or a member of the staff sees it; ``optipng``, when installed, makes the
files smaller without changing a pixel. Needs Debian's chromium package.
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.support.browser import log_in  # noqa: E402
from tests.support.demo_site import PASSWORD, demo_site  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
VIEWPORT = {"width": 1280, "height": 800}
LIMIT = 200_000  # bytes: small enough for a README

# name, who (None: a visitor), path, what to do on the page before the shot
SHOTS = [
    ("home", None, "/", None),
    ("results", None, "/recherche?q=formations", None),
    ("record", None, "/notices/{record}", None),
    ("kiosk", None, "/kiosque/{kiosk}", None),
    ("staff-home", "bibliothecaire", "/staff/", None),
    ("staff-form", "documentaliste", "/staff/records/new", "send-empty"),
]


def kiosk_slug(slugs: list[str]) -> str:
    """The CV-writing kiosk when the demo has it, else the first portal."""
    return next((slug for slug in slugs if "cv" in slug.split("-")), slugs[0])


def take(base_url: str, ids: dict, out: Path) -> list[Path]:
    values = {"record": ids["record"][0], "kiosk": kiosk_slug(ids["portal"])}
    files = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        contexts = {}
        for name, who, path, action in SHOTS:
            if who not in contexts:
                context = browser.new_context(locale="fr-FR", viewport=VIEWPORT)
                page = context.new_page()
                if who:
                    log_in(page, base_url, who, PASSWORD)
                contexts[who] = page
            page = contexts[who]
            page.goto(base_url + path.format(**values))
            if action == "send-empty":  # the form as it answers a mistake: the summary, each field's message
                page.locator("main form[novalidate] button.primary").first.click()
                page.wait_for_load_state()
            target = out / f"{name}.png"
            page.screenshot(path=str(target))
            files.append(target)
        browser.close()
    return files


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="screenshots-") as folder:
        with demo_site(folder) as site:
            files = take(site.url, site.ids, args.out)
    if shutil.which("optipng"):
        subprocess.run(["optipng", "-quiet", "-o2", "-strip", "all", *map(str, files)], check=True)
    too_big = []
    for path in files:
        size = path.stat().st_size
        print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: {size // 1000} kB")
        too_big += [path.name] if size > LIMIT else []
    if too_big:
        print(f"Larger than {LIMIT // 1000} kB: {', '.join(too_big)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
