"""Form pieces every domain's pages use: choices from a vocabulary, lists
of checkboxes and of ids, the confirmation form of buttons, and how service
errors land on the fields they concern."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectChoice, SelectMultipleField, widgets


def choices(vocabulary, blank: bool = False, only=None):
    """The options of a vocabulary (those in ``only``, if given), after a blank one if asked."""
    # Labels are translated when rendered (lazy), in the request's language.
    options = [SelectChoice(m.value, _l(m.label)) for m in vocabulary if only is None or m in only]
    return [SelectChoice("", "—")] + options if blank else options


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()

    def pre_validate(self, form):
        pass  # unknown values are reported by the services


class IdListField(SelectMultipleField):
    """Ids posted as repeated values (ticked checkboxes: a record's descriptors,
    a concept's broader concepts). Unknown ids are the services' to report."""

    def __init__(self, label=None, **kwargs):
        super().__init__(label, coerce=int, choices=[], validate_choice=False, **kwargs)

    def pre_validate(self, form):
        pass


class ConfirmForm(FlaskForm):
    """An empty form: only its CSRF token, for delete and logout buttons."""
    version = HiddenField()


def attach_errors(form, fields: dict[str, list[str]], translate) -> list[str]:
    """Put service errors on the matching form fields; return those that match no field."""
    unplaced = []
    for name, messages in fields.items():
        field = _resolve(form, name.split("."))
        if field is None:
            unplaced.extend(translate(m) for m in messages)
        else:
            field.errors = list(field.errors or []) + [translate(m) for m in messages]
    return unplaced


def _resolve(form, path: list[str]):
    node = form
    for part in path:
        try:
            node = node[int(part)] if part.isdigit() else node[part]
        except (KeyError, IndexError, TypeError):
            return None
        if hasattr(node, "form") and not isinstance(node, FlaskForm) and part.isdigit():
            node = node.form
    return node
