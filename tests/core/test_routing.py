"""URL building with builders compiled on first use (core.web.routing): every
rule of the app builds the same URL as werkzeug's own rule would, including
unknown arguments appended as a query string and converters."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from flask import url_for
from werkzeug.routing import Map, Rule

from core.web.routing import LazyBuilderRule


def _sample_values(rule) -> dict:
    values = {}
    for name in rule.arguments:
        converter = rule._converters.get(name)
        if getattr(converter, "items", None):  # <any(...):name>
            values[name] = sorted(converter.items)[0]
        elif "Integer" in type(converter).__name__ or "Number" in type(converter).__name__:
            values[name] = 7
        else:
            values[name] = "voie-pro"
    return values


def test_every_rule_of_the_app_builds_as_werkzeug_builds_it(app):
    assert app.url_rule_class is LazyBuilderRule
    eager = Map(converters=app.url_map.converters)
    for rule in app.url_map.iter_rules():
        eager.add(Rule(rule.rule, endpoint=rule.endpoint, methods=rule.methods, defaults=rule.defaults))
    lazy_adapter = app.url_map.bind("cdm.example")
    eager_adapter = eager.bind("cdm.example")
    built = 0
    for rule in app.url_map.iter_rules():
        values = _sample_values(rule)
        for extra in ({}, {"lang": "en", "q": "métier d'art"}):
            arguments = {**values, **extra}
            assert lazy_adapter.build(rule.endpoint, arguments) == eager_adapter.build(rule.endpoint, arguments)
            assert (lazy_adapter.build(rule.endpoint, arguments, force_external=True)
                    == eager_adapter.build(rule.endpoint, arguments, force_external=True))
            built += 1
    assert built > 100


def test_url_for_in_a_request_and_from_many_threads_at_once(app):
    with app.test_request_context("/"):
        assert url_for("health.healthz") == "/healthz"

    def build(_):
        with app.test_request_context("/"):
            return url_for("health.healthz", lang="en")

    with ThreadPoolExecutor(8) as pool:
        assert set(pool.map(build, range(64))) == {"/healthz?lang=en"}
