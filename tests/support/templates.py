"""Compile each template once per test process, not once per test.

Every test builds its own app, so its own Jinja environment, whose first
render of a page compiles the page's templates again: some 50 ms a
template, most of a small view test. Jinja's bytecode cache is the remedy it
documents: the compiled code is kept, keyed by the template's name and
source checksum (an edited template compiles again) and here also by the
environment's options, since the code depends on them. Rendering, filters,
globals and translations stay each app's own.
"""
from __future__ import annotations

from jinja2 import Environment
from jinja2.bccache import Bucket, BytecodeCache

_OPTIONS = ("block_start_string", "block_end_string", "variable_start_string", "variable_end_string",
            "comment_start_string", "comment_end_string", "line_statement_prefix", "line_comment_prefix",
            "trim_blocks", "lstrip_blocks", "newline_sequence", "keep_trailing_newline", "optimized", "is_async")


def _name(thing) -> str:
    return f"{getattr(thing, '__module__', '')}.{getattr(thing, '__qualname__', type(thing).__qualname__)}"


def fingerprint(env: Environment) -> tuple:
    """What the compiled code of a template depends on besides its source:
    the syntax options, the extensions, how autoescape is chosen, and the
    filters and tests (constant expressions are folded through them)."""
    return (tuple(getattr(env, option) for option in _OPTIONS), tuple(sorted(env.extensions)),
            _name(env.autoescape), env.finalize is not None, getattr(env, "newstyle_gettext", None),
            tuple(sorted((name, _name(f)) for name, f in env.filters.items())),
            tuple(sorted((name, _name(f)) for name, f in env.tests.items())))


class SharedBytecode(BytecodeCache):
    """An in-memory bytecode cache shared by the environments of one process.
    Code objects are immutable: sharing them shares no state."""

    def __init__(self) -> None:
        self._codes: dict[tuple, object] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        bucket.code = self._codes.get((fingerprint(bucket.environment), bucket.key, bucket.checksum))

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._codes[(fingerprint(bucket.environment), bucket.key, bucket.checksum)] = bucket.code


SHARED = SharedBytecode()
