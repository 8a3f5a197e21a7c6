"""The observatory's chart stacks two bars per day: the searches, and those
that found nothing. Each must stand out from the other and from the page
(WCAG 1.4.11, non-text contrast: 3:1), and the legend must repeat them."""
from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHART = ROOT / "search" / "templates" / "observatory" / "show.html"
STYLE = ROOT / "cite" / "static" / "style.css"


def luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_bars_stand_out_from_each_other_and_from_the_page_with_room():
    searches, zero = re.findall(r'<rect [^>]*fill="(#[0-9a-f]{6})"', CHART.read_text())
    assert contrast(searches, zero) >= 3.5  # 3:1 is the floor; a rounding must not take it under
    assert contrast(searches, "#ffffff") >= 3.5 and contrast(zero, "#ffffff") >= 3.5
    style = STYLE.read_text()
    assert f".swatch.searches {{ background:{searches}; }}" in style
    assert f".swatch.zero {{ background:{zero}; }}" in style


def test_the_contrast_ratio_is_wcag_s():
    assert round(contrast("#000000", "#ffffff"), 2) == 21.0
    assert round(contrast("#767676", "#ffffff"), 2) == 4.54  # the usual grey at 4.5:1
