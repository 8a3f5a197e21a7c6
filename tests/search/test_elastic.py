"""What only the Elasticsearch/OpenSearch engine does: the alias swap of a
rebuild, writes during a rebuild, the compatibility headers, the mapping.
The behaviour both engines share is in the conformance suite."""
from __future__ import annotations

import uuid

import pytest

from search.elastic import make_engine
from search.elastic.schema import MAPPINGS
from search.engine import SearchRequest
from search.query import parse
from tests.support.noida import elasticsearch_url  # noqa: F401  (a fixture)


@pytest.fixture
def engine(elasticsearch_url):  # noqa: F811
    engine = make_engine(elasticsearch_url, f"test-{uuid.uuid4().hex[:12]}", refresh="true")
    engine.ensure_ready()
    yield engine
    engine.drop()
    engine.close()


def ids(engine, text):
    return sorted(hit.id for hit in engine.search(SearchRequest(parse(text), size=100)).hits)


def indexes(engine):
    return sorted(engine.transport.request("GET", f"/_alias/{engine.alias}"))


def test_rebuild_swaps_the_alias_to_a_new_index_and_drops_the_old(engine):
    engine.index([{"id": 1, "title": "Ancien catalogue"}])
    before = indexes(engine)
    engine.ensure_ready()  # idempotent
    assert indexes(engine) == before

    assert engine.rebuild(iter([{"id": 2, "title": "Nouveau catalogue"}])) == 1

    after = indexes(engine)
    assert len(after) == 1 and after != before
    assert after[0].startswith(f"{engine.alias}-")
    assert not engine.transport.exists(f"/{before[0]}")
    assert ids(engine, "catalogue") == [2]
    assert engine.count() == 1


def test_changes_made_during_a_rebuild_survive_the_swap(engine):
    engine.index([{"id": 1, "title": "Titre ancien"}, {"id": 2, "title": "Autre"}])

    def documents():
        yield {"id": 1, "title": "Titre ancien"}  # the rebuild's copy, read before the change
        # meanwhile, a documentalist edits record 1 and creates record 3
        engine.index([{"id": 1, "title": "Titre nouveau"}, {"id": 3, "title": "Ajout pendant"}])
        assert ids(engine, "autre") == [2], "searches still see the old index"
        yield {"id": 2, "title": "Autre"}

    engine.rebuild(documents())

    assert ids(engine, "nouveau") == [1]
    assert ids(engine, "ancien") == []
    assert ids(engine, "ajout") == [3]
    assert not engine.transport.exists(f"/{engine.building}")


def test_a_failed_rebuild_leaves_the_live_index_alone(engine):
    engine.index([{"id": 1, "title": "Toujours là"}])
    before = indexes(engine)

    def broken():
        yield {"id": 2, "title": "À moitié"}
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError):
        engine.rebuild(broken())
    assert indexes(engine) == before
    assert ids(engine, "toujours") == [1]
    assert not engine.transport.exists(f"/{engine.building}")


def test_rebuild_replaces_a_plain_index_squatting_the_alias_name(elasticsearch_url):  # noqa: F811
    engine = make_engine(elasticsearch_url, f"test-{uuid.uuid4().hex[:12]}", refresh="true")
    engine.transport.request("PUT", f"/{engine.alias}", {})  # e.g. made by hand, or by an old version
    try:
        engine.rebuild([{"id": 1, "title": "Formation"}])
        assert ids(engine, "formation") == [1]
        assert indexes(engine)[0] != engine.alias
    finally:
        engine.drop()
        engine.transport.request("DELETE", f"/{engine.alias}", missing_ok=True)
        engine.close()


def test_requests_carry_the_compatibility_headers_of_the_server_major(engine):
    number = engine.transport.request("GET", "/")["version"]["number"]
    if engine.name == "elasticsearch":
        assert engine.transport._major == int(number.split(".")[0])


def test_the_mapping_is_the_one_we_wrote(engine):
    name = indexes(engine)[0]
    mapping = engine.transport.request("GET", f"/{name}/_mapping")[name]["mappings"]["properties"]
    for field in ("poles", "document_type", "year_range", "libraries", "availability", "isbns", "title_sort"):
        assert mapping[field]["type"] == "keyword", field
    assert mapping["descriptor_paths"]["type"] == "long"
    assert mapping["title_suggest"]["type"] == "completion"
    assert mapping["title"]["fields"]["keyword"]["type"] == "keyword"
    assert set(mapping) == set(MAPPINGS["properties"])
