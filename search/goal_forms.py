"""The staff form of a goal. The rules live in search.goals.GoalService;
its field errors come back onto these fields."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, StringField

from catalogue.vocab import Audience, DocumentType
from core.web.forms import IdListField, MultiCheckboxField, choices
from search.vocab import Public


class GoalForm(FlaskForm):
    label_fr = StringField(_l("Goal (French)"), description=_l("As visitors would say it after “je veux”, "
                                                              "for example: s'informer sur les concours."))
    label_en = StringField(_l("Goal (English)"), description=_l("After “I want to”, for example: "
                                                               "find out about competitive exams."))
    slug = StringField(_l("Address"), description=_l("The end of /buts/…: lower-case letters, digits and "
                                                    "hyphens, for example concours-administratifs."))
    publics = MultiCheckboxField(_l("Offered to (I am…)"), choices=choices(Public))
    concept_ids = IdListField(_l("Concepts"))  # picked with static/descriptors.js
    concepts_query = StringField(_l("Add a concept"))
    text = StringField(_l("Words searched too (optional)"),
                       description=_l("Works matching these words are found as well as those indexed "
                                      "with the concepts."))
    document_types = MultiCheckboxField(_l("Only these types of document (none: all)"),
                                        choices=choices(DocumentType))
    audiences = MultiCheckboxField(_l("Only works intended for (none: all)"), choices=choices(Audience))
    position = StringField(_l("Position in the list of goals"))
    published = BooleanField(_l("Published (visitors see it)"))
    version = HiddenField()

    def to_data(self) -> dict:
        data = {name: self[name].data for name in ("slug", "label_fr", "label_en", "publics", "text",
                                                   "document_types", "audiences", "position", "published")}
        data["concept_ids"] = list(dict.fromkeys(self.concept_ids.data or []))
        return data
