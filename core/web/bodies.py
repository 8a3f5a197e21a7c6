"""JSON bodies read with JSON's own types.

marshmallow coerces: ``"3"``, ``3.9`` and ``"yes"`` pass for an integer 3
and a boolean true. The OpenAPI document says ``integer`` and ``boolean``,
so the server takes exactly those: an integer field wants a JSON integer, a
float field a JSON number, a boolean field ``true`` or ``false``; anything
else answers 422 with the field named, with whatever else marshmallow finds
in the body. Decimals may come as text (amounts travel as strings), and
query arguments arrive as text and are still parsed from it.
"""
from __future__ import annotations

from collections.abc import Mapping

from marshmallow import Schema, ValidationError, fields
from webargs.flaskparser import FlaskParser


def type_errors(schema: Schema, data) -> dict:
    """Messages by field (nested as marshmallow nests them) for each value of
    ``data`` whose JSON type is not the one its field documents. A value of
    another shape altogether (a list for an object...) is left to marshmallow."""
    if not isinstance(data, Mapping):
        return {}
    errors = {}
    for name, field in schema.fields.items():
        key = field.data_key or name
        if key in data and not field.dump_only:
            found = _value_errors(field, data[key])
            if found:
                errors[key] = found
    return errors


def _value_errors(field: fields.Field, value):
    if value is None:
        return None  # allowed or not: the field's allow_none says, in marshmallow's words
    if isinstance(field, fields.Boolean):
        return None if isinstance(value, bool) else [field.error_messages["invalid"]]
    if isinstance(field, fields.Integer):
        return None if isinstance(value, int) and not isinstance(value, bool) else [field.error_messages["invalid"]]
    if isinstance(field, fields.Number) and not isinstance(field, fields.Decimal) and not field.as_string:
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        return None if ok else [field.error_messages["invalid"]]
    if isinstance(field, fields.Nested) and not field.many:
        return type_errors(field.schema, value) or None
    if isinstance(field, fields.List) and isinstance(value, list):
        return {i: found for i, each in enumerate(value) if (found := _value_errors(field.inner, each))} or None
    if isinstance(field, fields.Dict) and field.value_field is not None and isinstance(value, Mapping):
        return {k: found for k, each in value.items() if (found := _value_errors(field.value_field, each))} or None
    return None


def _merged(found: dict, extra: dict) -> dict:
    merged = dict(found)
    for key, value in extra.items():
        both = isinstance(merged.get(key), dict) and isinstance(value, dict)
        merged[key] = _merged(merged[key], value) if both else value
    return merged


class JsonTypedParser(FlaskParser):
    """webargs' Flask parser, refusing JSON values of the wrong type in bodies."""

    def pre_load(self, location_data, *, schema, req, location):
        if location == "json":
            errors = type_errors(schema, location_data)
            if errors:
                # With marshmallow's own findings (unknown fields...): every problem at once.
                raise ValidationError(_merged(schema.validate(location_data), errors))
        return super().pre_load(location_data, schema=schema, req=req, location=location)
