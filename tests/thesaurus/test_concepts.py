"""ConceptService on both databases: every edit, its checks, its audit."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from catalogue.models import RecordDescriptor
from core.audit import AuditEvent
from core.errors import NotFound, ValidationFailed, VersionConflict
from tests.support.factories import make_record, make_user
from tests.thesaurus.support import edit, index_record, make_concept
from thesaurus.errors import ThesaurusRuleViolation
from thesaurus.models import CollectionMember, Concept, ConceptCollection, ConceptMapping, HeadingMapping
from thesaurus.services.concepts import ConceptService
from thesaurus.services.rules import LANGUAGE_TAG

NOW = dt.datetime(2026, 11, 21, 9, 30, tzinfo=dt.timezone.utc)


def refused(db, method, *args, **kwargs) -> list:
    """The findings of an edit that must be refused; checks nothing was applied."""
    with pytest.raises(ThesaurusRuleViolation) as caught:
        edit(db, method, *args, **kwargs)
    return caught.value.findings


def concept(db, concept_id) -> Concept:
    with db.session() as session:
        found = session.get(Concept, concept_id)
        _ = found.labels, found.notes
        return found


def labels(db, concept_id) -> list[tuple]:
    return sorted((lb.kind, lb.language, lb.text) for lb in concept(db, concept_id).labels)


def broader(db, concept_id) -> list[int]:
    from thesaurus.services.concept_input import relations_of
    from thesaurus.vocab import RelationKind
    with db.session() as session:
        return relations_of(session, concept_id, RelationKind.BROADER)


def events(db, concept_id) -> list[AuditEvent]:
    with db.session() as session:
        return list(session.scalars(select(AuditEvent).where(
            AuditEvent.entity_type == "concept", AuditEvent.entity_id == concept_id).order_by(AuditEvent.id)))


# Create ----------------------------------------------------------------------
def test_create_mints_a_uri_and_audits_who_and_when(db, app):
    user = make_user(db, "doc")
    with db.transaction() as session:
        service = ConceptService(session, user, clock=lambda: NOW, base_uri="https://example.org/c/")
        created = service.create({
            "pref_labels": {"fr": "  Validation des acquis   de l'expérience ",
                            "en": "Accreditation of prior learning"},
            "alt_labels": [{"language": "fr", "text": "VAE"}, {"language": "fr", "text": "  "}],
            "notes": [{"kind": "scope", "language": "fr", "text": "Dispositif de certification."}],
            "notation": "VAE-1", "status": "candidate"})
        concept_id, uri, version = created.id, created.uri, created.version
    assert uri.startswith("https://example.org/c/") and version == 1
    stored = concept(db, concept_id)
    assert stored.pref_label_fr == "Validation des acquis de l'expérience"  # spaces collapsed
    assert stored.pref_label_en == "Accreditation of prior learning"
    assert stored.status.value == "candidate" and stored.top_concept and stored.scheme_id is not None
    assert labels(db, concept_id) == [("alt", "fr", "VAE"), ("pref", "en", "Accreditation of prior learning"),
                                      ("pref", "fr", "Validation des acquis de l'expérience")]
    [event] = events(db, concept_id)
    assert (event.action, event.actor_id, event.at) == ("concept.create", user.id, NOW)
    assert event.changes["alt_labels"] == [None, [["fr", "VAE"]]]
    assert stored.created_by_id == user.id and stored.created_at == NOW


def test_create_needs_a_french_preferred_label_and_valid_input(db):
    findings = refused(db, "create", {"pref_labels": {"en": "Work"}})
    assert [f.code for f in findings] == ["missing_french_label"]
    findings = refused(db, "create", {"pref_labels": {"fr": "Travail", "f!r": "Travail"}})
    assert "invalid_language_tag" in [f.code for f in findings]
    with pytest.raises(ValidationFailed) as caught:
        edit(db, "create", {"pref_labels": {"fr": "Travail"}, "notes": [{"kind": "gossip", "language": "fr",
                                                                           "text": "x"}], "broader": ["a"]})
    assert set(caught.value.fields) == {"notes.0.kind", "broader"}
    with pytest.raises(ValidationFailed) as caught:
        edit(db, "create", {"pref_labels": {"fr": "Travail"}, "broader": [999]})
    assert set(caught.value.fields) == {"broader"}


@pytest.mark.parametrize("tag, valid", [("fr", True), ("fr-FR", True), ("zh-Hant-TW", True), ("x-private", True),
                                        ("", False), ("f", False), ("fr_FR", False), ("français", False)])
def test_language_tags(tag, valid):
    assert bool(LANGUAGE_TAG.match(tag)) is valid


def test_label_clashes_are_refused_in_one_scheme(db):
    emploi = make_concept(db, "Emploi", alt=["Travail salarié"])
    findings = refused(db, "create", {"pref_labels": {"fr": "emploi"}})  # same label, other case
    assert [f.code for f in findings] == ["pref_label_shared"]
    assert findings[0].text("en") == (
        "“emploi”, “Emploi” share the preferred label “emploi” (fr) in one scheme.")
    findings = refused(db, "create", {"pref_labels": {"fr": "Travail salarie"}})  # accents ignored
    assert [f.code for f in findings] == ["pref_alt_clash"]
    assert findings[0].concepts[1] == concept(db, emploi).uri
    other = make_concept(db, "Chômage")
    findings = refused(db, "add_label", other, "alt", "fr", "EMPLOI")
    assert [f.code for f in findings] == ["pref_alt_clash"]
    findings = refused(db, "add_label", other, "hidden", "fr", "Chômage")
    assert [f.code for f in findings] == ["disjoint_labels"]
    findings = refused(db, "add_label", other, "pref", "fr", "Sans-emploi")
    assert [f.code for f in findings] == ["duplicate_pref_label"]
    findings = refused(db, "add_label", other, "alt", "fr", "   ")
    assert [f.code for f in findings] == ["empty_label"]
    assert labels(db, other) == [("pref", "fr", "Chômage")]  # nothing applied


def test_rename_and_entry_terms(db):
    user = make_user(db, "doc")
    concept_id = make_concept(db, "Travail", alt=["Labeur"])
    version = concept(db, concept_id).version
    with db.transaction() as session:
        updated = ConceptService(session, user).update(concept_id, {
            "pref_labels": {"fr": "Travail (activité)", "en": "Work"},
            "alt_labels": [{"language": "fr", "text": "Labeur"}, {"language": "fr", "text": "Boulot"}],
            "notes": [{"kind": "definition", "language": "fr", "text": "Activité rémunérée."}]}, version=version)
        assert updated.version == version + 1
    assert labels(db, concept_id) == [("alt", "fr", "Boulot"), ("alt", "fr", "Labeur"), ("pref", "en", "Work"),
                                      ("pref", "fr", "Travail (activité)")]
    edit(db, "add_label", concept_id, "alt", "fr", "Job")
    label_id = next(lb.id for lb in concept(db, concept_id).labels if lb.text == "Labeur")
    edit(db, "remove_label", concept_id, label_id)
    assert [t for k, _, t in labels(db, concept_id) if k == "alt"] == ["Boulot", "Job"]
    french = next(lb.id for lb in concept(db, concept_id).labels if lb.kind == "pref" and lb.language == "fr")
    assert [f.code for f in refused(db, "remove_label", concept_id, french)] == ["missing_french_label"]
    update_event = events(db, concept_id)[1]
    assert (update_event.action, update_event.actor_id) == ("concept.update", user.id)
    assert update_event.changes["pref_labels"] == [{"fr": "Travail"}, {"en": "Work", "fr": "Travail (activité)"}]
    assert [e.action for e in events(db, concept_id)] == [
        "concept.create", "concept.update", "concept.add_label", "concept.remove_label"]


def test_a_stale_version_is_a_conflict_and_changes_nothing(db):
    concept_id = make_concept(db, "Travail")
    edit(db, "add_label", concept_id, "alt", "fr", "Labeur", version=1)
    with pytest.raises(VersionConflict) as caught:
        edit(db, "update", concept_id, {"pref_labels": {"fr": "Boulot"}}, version=1)
    assert caught.value.current["version"] == 2
    assert caught.value.current["pref_labels"] == {"fr": "Travail"}
    assert caught.value.submitted == {"pref_labels": {"fr": "Boulot"}}
    with pytest.raises(VersionConflict):
        edit(db, "move", concept_id, [], version=1)
    assert concept(db, concept_id).pref_label_fr == "Travail"


def test_move_and_the_cycle_named_by_its_chain(db):
    emploi = make_concept(db, "Emploi")
    travail = make_concept(db, "Travail", broader=[emploi])
    metier = make_concept(db, "Métier")
    findings = refused(db, "move", emploi, [travail])
    assert [f.code for f in findings] == ["hierarchy_cycle"]
    assert findings[0].params["chain"] == "Emploi > Travail > Emploi"
    assert findings[0].text("en") == "The hierarchy loops back on itself: Emploi > Travail > Emploi."
    recherche = make_concept(db, "Recherche d'emploi", broader=[travail])
    findings = refused(db, "move", emploi, [metier, recherche])
    assert findings[0].params["chain"] == "Emploi > Travail > Recherche d'emploi > Emploi"
    assert [f.code for f in refused(db, "move", emploi, [emploi])] == ["reflexive_relation"]
    assert broader(db, emploi) == []

    edit(db, "move", travail, [metier, emploi])  # polyhierarchy
    assert broader(db, travail) == sorted([metier, emploi])
    assert not concept(db, travail).top_concept
    assert events(db, travail)[-1].changes["broader"] == [[emploi], sorted([metier, emploi])]
    edit(db, "move", travail, [])
    assert concept(db, travail).top_concept and broader(db, travail) == []


def test_related_links_and_the_hierarchy(db):
    emploi = make_concept(db, "Emploi")
    travail = make_concept(db, "Travail", broader=[emploi])
    recherche = make_concept(db, "Recherche d'emploi", broader=[travail])
    chomage = make_concept(db, "Chômage")
    findings = refused(db, "relate", recherche, emploi)
    assert [f.code for f in findings] == ["related_in_hierarchy"]
    assert findings[0].params["chain"] == "Emploi > Travail > Recherche d'emploi"
    edit(db, "relate", recherche, chomage)
    with db.session() as session:
        service = ConceptService(session)
        assert service.get(chomage).version == 2  # both sides changed
    edit(db, "move", chomage, [travail])  # siblings may be related
    findings = refused(db, "move", chomage, [recherche])  # not a concept and its broader
    assert [f.code for f in findings] == ["related_in_hierarchy"]
    assert findings[0].params["chain"] == "Recherche d'emploi > Chômage"
    findings = refused(db, "move", recherche, [chomage])  # nor from below
    assert findings[0].params["chain"] == "Chômage > Recherche d'emploi"
    edit(db, "unrelate", chomage, recherche)
    edit(db, "move", chomage, [recherche])
    assert [f.code for f in refused(db, "relate", chomage, chomage)] == ["reflexive_relation"]


def test_deprecate_with_a_replacement_and_back(db):
    old = make_concept(db, "Chômeur")
    new = make_concept(db, "Demandeur d'emploi")
    with db.transaction() as session:
        session.add(HeadingMapping(heading_key="chomeurs", heading="Chômeurs", concept_id=old))
    edit(db, "deprecate", old, new)
    stored = concept(db, old)
    assert (stored.status.value, stored.replaced_by_id) == ("deprecated", new)
    with db.session() as session:  # later imports index with the replacement
        assert session.scalar(select(HeadingMapping.concept_id)) == new
    # A deprecated concept's labels clash with nothing: a new concept may take them.
    make_concept(db, "Chômeur", alt=["Sans-emploi"])
    assert [f.code for f in refused(db, "set_status", old, "approved")] == ["pref_label_shared"]
    with pytest.raises(ValidationFailed):
        edit(db, "deprecate", new, old)  # the replacement must be in use
    assert [f.code for f in refused(db, "deprecate", new, new)] == ["reflexive_relation"]
    assert [e.action for e in events(db, old)] == ["concept.create", "concept.deprecate"]


def test_merge_moves_records_labels_links_and_deprecates_the_loser(db):
    user = make_user(db, "doc")
    top = make_concept(db, "Formation")
    survivor = make_concept(db, "Validation des acquis de l'expérience", broader=[top])
    loser = make_concept(db, "Validation des acquis", alt=["VAP"], hidden=["Validasion"], broader=[top])
    child = make_concept(db, "VAE dans le sanitaire", broader=[loser])
    neighbour = make_concept(db, "Certification")
    edit(db, "relate", loser, neighbour)
    both, only_loser, only_survivor = make_record(db, title="A"), make_record(db, title="B"), make_record(db, title="C")
    index_record(db, both.id, loser, survivor)
    index_record(db, only_loser.id, loser)
    index_record(db, only_survivor.id, survivor)
    with db.transaction() as session:
        session.add_all([ConceptMapping(concept_id=loser, kind="exactMatch", uri="http://example.org/rameau/1"),
                         HeadingMapping(heading_key="validation des acquis", heading="Validation des acquis",
                                        concept_id=loser)])
        collection = ConceptCollection(uri="http://example.org/coll/1", label_fr="Parcours")
        session.add(collection)
        session.flush()
        session.add(CollectionMember(collection_id=collection.id, concept_id=loser))

    assert edit(db, "merge", loser, survivor, actor=user) == survivor

    assert labels(db, survivor) == [("alt", "fr", "VAP"), ("alt", "fr", "Validation des acquis"),
                                    ("hidden", "fr", "Validasion"),
                                    ("pref", "fr", "Validation des acquis de l'expérience")]
    gone = concept(db, loser)
    assert (gone.status.value, gone.replaced_by_id) == ("deprecated", survivor)
    assert broader(db, child) == [survivor] and broader(db, loser) == []
    with db.session() as session:
        assert sorted(session.execute(select(RecordDescriptor.record_id, RecordDescriptor.concept_id)).all()) == \
            sorted([(both.id, survivor), (only_loser.id, survivor), (only_survivor.id, survivor)])
        assert session.scalar(select(ConceptMapping.concept_id)) == survivor
        assert session.scalar(select(HeadingMapping.concept_id)) == survivor
        assert session.scalar(select(CollectionMember.concept_id)) == survivor
        from thesaurus.services.concept_input import relations_of
        from thesaurus.vocab import RelationKind
        assert relations_of(session, survivor, RelationKind.RELATED) == [neighbour]
        assert relations_of(session, neighbour, RelationKind.RELATED) == [survivor]
        record_events = session.scalars(select(AuditEvent).where(AuditEvent.record_id == only_loser.id,
                                                                 AuditEvent.action == "update")).all()
        assert [e.changes for e in record_events] == [
            {"descriptors": ["Validation des acquis", "Validation des acquis de l'expérience"]}]
    assert [(e.action, e.actor_id) for e in events(db, loser)][-1] == ("concept.merge", user.id)
    assert events(db, survivor)[-1].changes["merge"] == [loser, survivor]


def test_merge_refusals(db):
    emploi = make_concept(db, "Emploi")
    travail = make_concept(db, "Travail", broader=[emploi])
    metier = make_concept(db, "Métier", broader=[travail])
    assert [f.code for f in refused(db, "merge", emploi, emploi)] == ["reflexive_relation"]
    # Emploi's narrower Travail would go below Métier, itself below Travail.
    findings = refused(db, "merge", emploi, metier)
    assert [f.code for f in findings] == ["hierarchy_cycle"]
    assert findings[0].params["chain"] == "Travail > Métier > Travail"
    assert concept(db, emploi).status.value == "approved"
    old = make_concept(db, "Ancien")
    edit(db, "deprecate", old)
    with pytest.raises(ValidationFailed):
        edit(db, "merge", emploi, old)


def test_unknown_concepts_are_not_found(db):
    with db.session() as session:
        service = ConceptService(session)
        with pytest.raises(NotFound):
            service.get(42)
        with pytest.raises(NotFound):
            service.get_by_uri("http://example.org/none")
