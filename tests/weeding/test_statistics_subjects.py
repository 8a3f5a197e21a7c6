"""Use statistics per portal when the portal keeps subjects of the thesaurus:
a scan counts under the portal when its work is indexed with one of them
or a narrower concept, as the portal's searches find it."""
from __future__ import annotations

import datetime as dt

from catalogue.models import ItemUse
from search.models import Portal
from tests.support.factories import make_item, make_record
from tests.thesaurus.support import make_concept
from weeding.services.statistics import consultations, fold_tallies

JAN = dt.date(2024, 1, 1)


def test_a_portal_s_subjects_count_the_uses_of_works_indexed_below_them(db):
    concours = make_concept(db, "Concours")
    prep = make_concept(db, "Préparation des concours", broader=[concours])
    cv = make_concept(db, "Curriculum vitae")
    annales = make_record(db, title="Annales", isbn=None, descriptors=[prep])
    models = make_record(db, title="Modèles de CV", isbn=None, descriptors=[cv])
    both = make_record(db, title="Concours et CV", isbn=None, descriptors=[concours, cv])
    items = [make_item(db, record.id, f"CM{n}").id for n, record in enumerate((annales, models, both))]
    with db.transaction() as session:
        session.add(Portal(slug="concours", title_fr="Concours", base_filter={"concept": [str(concours)]}, boost={}))
        session.add(Portal(slug="cv", title_fr="CV", base_filter={"concept": [str(cv)], "document_type": ["book"]},
                           boost={}))
        session.add_all(ItemUse(item_id=item, used_at=dt.datetime(2024, 1, day, 12, tzinfo=dt.timezone.utc))
                        for day, item in enumerate(items + items[:1], start=2))
    with db.transaction() as session:
        fold_tallies(session)
        rows = dict(consultations(session, by="portal", start=JAN, end=JAN).rows)
    assert rows["concours"] == 3  # the annales twice (a narrower concept), the work on both once
    assert rows["cv"] == 2
