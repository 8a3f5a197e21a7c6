"""Staff forms for portals. The rules live in search.portals.PortalService;
its field errors come back onto these fields (``base_filter.pole`` lands on
the base filter's pole checkboxes)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, Form, FormField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice

from catalogue.vocab import Audience, DocumentType, Library
from core.vocab import Pole
from core.web.forms import MultiCheckboxField, choices
from search.labels import AVAILABILITY


class FacetValuesForm(Form):
    """Values per facet, for a base filter or a boost. Languages and year
    ranges are typed (codes such as fre, ranges such as 2020-2029)."""

    pole = MultiCheckboxField(_l("Your goal"), choices=choices(Pole))
    document_type = MultiCheckboxField(_l("Type of document"), choices=choices(DocumentType))
    audience = MultiCheckboxField(_l("Intended for"), choices=choices(Audience))
    library = MultiCheckboxField(_l("Library"), choices=choices(Library))
    availability = MultiCheckboxField(_l("Availability"),
                                      choices=[SelectChoice(k, _l(v)) for k, v in AVAILABILITY.items()])
    language = StringField(_l("Languages"), description=_l("Codes separated by commas: fre, eng..."))
    year_range = StringField(_l("Publication dates"),
                             description=_l("Ranges separated by commas: <1990, 2010-2019, 2020-2029..."))

    def values(self) -> dict[str, list[str]]:
        data = {}
        for name, field in self._fields.items():
            raw = field.data or []
            data[name] = [v.strip() for v in raw.split(",")] if isinstance(raw, str) else list(raw)
        return {name: [v for v in values if v] for name, values in data.items() if any(values)}

    def show(self, values: dict) -> None:
        for name, field in self._fields.items():
            chosen = values.get(name, [])
            field.data = ", ".join(chosen) if isinstance(field, StringField) else list(chosen)


class BaseFilterForm(FacetValuesForm):
    """A portal's base filter: the facets, and subjects of the thesaurus."""

    concept = TextAreaField(_l("Subjects"), description=_l(
        "One concept of the thesaurus per line, by its preferred label or its number: the portal keeps "
        "the works indexed with it or with a narrower concept."))

    def values(self) -> dict[str, list[str]]:
        data = {name: values for name, values in super().values().items() if name != "concept"}
        subjects = [line.strip() for line in (self.concept.data or "").splitlines() if line.strip()]
        return {**data, "concept": subjects} if subjects else data

    def show(self, values: dict) -> None:
        super().show({name: chosen for name, chosen in values.items() if name != "concept"})
        self.concept.data = "\n".join(values.get("concept", []))


class PortalForm(FlaskForm):
    slug = StringField(_l("Address"), description=_l("The end of /portails/…: lower-case letters, digits and "
                                                    "hyphens, for example creer-son-activite."))
    title_fr = StringField(_l("Title (French)"))
    title_en = StringField(_l("Title (English)"))
    description_fr = TextAreaField(_l("Description (French)"))
    description_en = TextAreaField(_l("Description (English)"))
    pole = SelectField(_l("Advice pole"), choices=[SelectChoice("", _l("None"))] + choices(Pole),
                       validate_choice=False,
                       description=_l("Counts this portal's searches under this pole in the observatory."))
    base_filter = FormField(BaseFilterForm, label=_l("Base filter: every search of the portal keeps only"))
    boost = FormField(FacetValuesForm, label=_l("Boost: among the results, show first"))
    kiosk_idle_seconds = StringField(_l("Kiosk: back to the portal's home after (seconds without input)"))
    position = StringField(_l("Position in the list of portals"))
    published = BooleanField(_l("Published (visitors see it)"))
    version = HiddenField()

    def to_data(self) -> dict:
        data = {name: self[name].data for name in ("slug", "title_fr", "title_en", "description_fr",
                                                   "description_en", "pole", "kiosk_idle_seconds", "position",
                                                   "published")}
        data["base_filter"] = self.base_filter.form.values()
        data["boost"] = self.boost.form.values()
        return data


class SelectionForm(FlaskForm):
    """A curated entry: a work of the catalogue, or a website."""

    work = StringField(_l("Work of the catalogue"), description=_l("Its number, the address of its page, or its ISBN."))
    url = StringField(_l("or a website's address"))
    title = StringField(_l("Website title"))
    note = StringField(_l("Note for visitors (optional)"))
    version = HiddenField()


class VersionForm(FlaskForm):
    """Remove or move an entry, delete a portal: only the token and the version."""

    version = HiddenField()
