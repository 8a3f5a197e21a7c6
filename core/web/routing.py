"""URL rules whose builders are compiled when first used.

werkzeug compiles two URL-building functions for every rule as the rule is
added (it writes their source as an AST and calls ``compile``). With some 170
rules, that was most of the time it takes to build an app once the API
document is deferred (core.web.api), and an app is built by every test, every
server worker and every ``catalogue`` command, while most rules are never
built in a command's life. Matching is untouched: only building waits.
"""
from __future__ import annotations

from werkzeug.routing import Rule


class LazyBuilderRule(Rule):
    def _compile_builder(self, append_unknown: bool = True):
        compiled = None

        def build(rule, *args, **kwargs):
            nonlocal compiled
            if compiled is None:
                compiled = Rule._compile_builder(rule, append_unknown).__get__(rule, None)
            return compiled(*args, **kwargs)

        return build
