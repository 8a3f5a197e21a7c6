"""Translation markers usable outside Flask.

Services and models never import Flask, so they mark user-facing strings with
``N_`` (extracted by Babel, translated at the web or CLI edge with ``gettext``).
"""


def N_(message: str) -> str:  # noqa: N802 - gettext convention
    return message
