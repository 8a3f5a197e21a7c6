"""Changes as a documentalist reads them (catalogue.changes): field names
and stored values become labels; what is unknown shows as stored."""
from __future__ import annotations

from catalogue.changes import ENTITIES, ChangeText, concept_labels, describe, descriptor_ids
from core.i18n import N_
from tests.thesaurus.support import make_concept

# The identity stands for gettext: labels come out as their English message ids.
TEXT = ChangeText(str, {57: "Entretien d'embauche"})


def test_fields_are_named_and_unknown_fields_kept():
    assert TEXT.field("descriptors") == "Descriptors"
    assert TEXT.field("status", "item") == "Status"
    assert TEXT.field("frobnicate") == "frobnicate"
    assert TEXT.field("frobnicate", "nobody_describes_it") == "frobnicate"


def test_actions_and_entities_are_named():
    assert (TEXT.action("create"), TEXT.entity("record"), TEXT.entity("item")) == ("Created", "work", "item")
    assert (TEXT.action("concept.merge"), TEXT.entity("concept")) == ("Merged", "Concept")
    assert (TEXT.action("gone.fishing"), TEXT.entity("boat")) == ("gone.fishing", "boat")


def test_concepts_a_concept_points_to_are_named():
    assert TEXT.change("broader", [[], [57]], "concept") == "∅ → Entretien d'embauche"
    assert TEXT.field("broader", "concept") == "Broader concepts"


def test_codes_become_their_labels():
    assert TEXT.value("status", "available", "item") == "Available"
    assert TEXT.value("condition", "new", "item") == "New"
    assert TEXT.value("library", "cite", "item") == "Cité des métiers"
    assert TEXT.value("status", "deprecated", "concept") == "Deprecated"
    assert TEXT.value("document_type", "website") == "Website"
    assert TEXT.value("poles", ["job_search", "orientation"]) == "Find a job, Choose a career path"
    assert TEXT.value("audiences", ["parent"]) == "Parents"


def test_languages_contributors_and_descriptors_are_named():
    assert TEXT.value("languages", ["fre", "eng"]) == "French, English"
    assert TEXT.value("contributors", [{"name": "Martin, Léa", "role": "aut"}, {"name": "Roux", "role": "trl"}]) \
        == "Martin, Léa (Author) ; Roux (Translator)"
    assert TEXT.value("descriptors", [57]) == "Entretien d'embauche"


def test_unknown_values_show_as_stored_and_empty_as_a_sign():
    assert TEXT.value("status", "lent", "item") == "lent"
    assert TEXT.value("status", "available", "proposal_of_nobody") == "available"
    assert TEXT.value("languages", ["xyz"]) == "xyz"
    assert TEXT.value("descriptors", [58]) == "58"  # a concept deleted since
    assert TEXT.value("contributors", [{"name": "Roux", "role": "zzz"}]) == "Roux (zzz)"
    assert TEXT.value("title", "Les métiers") == "Les métiers"
    assert TEXT.value("year", 2024) == "2024"
    for empty in (None, "", []):
        assert TEXT.value("title", empty) == "∅"


def test_a_change_reads_old_then_new_and_a_summary_as_its_figures():
    assert TEXT.change("status", [None, "available"], "item") == "∅ → Available"
    assert TEXT.change("active", [True, False], "weeding_rule") == "yes → no"
    assert TEXT.change("dropped", ["http://a", "http://b"], "scheme") == "http://a, http://b"
    assert TEXT.change("added", 71, "scheme") == "71"


def test_a_mapping_reads_field_by_field():
    assert TEXT.value("base_filter", {"poles": ["job_search"], "languages": ["eng"]}) == \
        "Advice poles : Find a job ; Languages : English"


def test_a_package_describes_its_own_entities():
    describe("test_shelf", N_("Shelf"), fields={"colour": N_("Colour")}, codes={"colour": {"red": N_("Red")}},
             actions={"shelf.paint": N_("Painted")})
    try:
        assert TEXT.field("colour", "test_shelf") == "Colour"
        assert TEXT.value("colour", "red", "test_shelf") == "Red"
        assert TEXT.value("colour", "blue", "test_shelf") == "blue"
        assert (TEXT.action("shelf.paint"), TEXT.entity("test_shelf")) == ("Painted", "Shelf")
    finally:
        del ENTITIES["test_shelf"]


def test_the_text_is_in_the_translate_functions_language():
    french = {"Available": "Disponible", "Status": "Statut", "French": "Français"}.get
    text = ChangeText(lambda message: french(message) or message)
    assert (text.field("status", "item"), text.value("status", "available", "item")) == ("Statut", "Disponible")
    assert text.value("languages", ["fre"]) == "Français"


def test_concept_ids_are_gathered_from_every_change():
    changes = [{"descriptors": [[1, 2], [2, 3]], "title": ["a", "b"]}, {"descriptors": [None, [4]]}, {},
               {"concept_id": [None, 5], "active": [True, False]}]
    assert descriptor_ids(changes) == {1, 2, 3, 4, 5}


def test_a_portals_filter_by_subject_names_its_concepts(app):  # the app: search describes the portal
    """A portal keeps the concepts of its filter as ids in text, under its ``concept`` facet."""
    changes = [{"base_filter": [{"pole": ["job_search"]}, {"pole": ["job_search"], "concept": ["57", "58"]}],
                "year": ["2020", "2021"]}]
    assert descriptor_ids(changes) == {57, 58}
    assert TEXT.change("base_filter", changes[0]["base_filter"], "portal") == \
        "Advice pole : Find a job → Advice pole : Find a job ; Subjects : Entretien d'embauche, 58"


def test_concept_labels_in_the_pages_language(db):
    both = make_concept(db, "Entretien d'embauche", en="Job interview")
    french_only = make_concept(db, "Bilan de compétences")
    with db.session() as session:
        assert concept_labels(session, [both, french_only, 999], "en") == \
            {both: "Job interview", french_only: "Bilan de compétences"}
        assert concept_labels(session, [both], "fr") == {both: "Entretien d'embauche"}
        assert concept_labels(session, [], "fr") == {}
