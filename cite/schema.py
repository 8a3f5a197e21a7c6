"""Every package's models, so that ``Base.metadata`` knows all tables (used
by Alembic and by the test suite's table cleanup)."""
from accounts import models as accounts_models  # noqa: F401
from acquisitions import models as acquisitions_models  # noqa: F401
from catalogue import models as catalogue_models  # noqa: F401
from core import audit, heartbeats, mail, outbox, reports  # noqa: F401
from core.db import Base
from importers import models as importers_models  # noqa: F401
from search import models as search_models  # noqa: F401
from thesaurus import models as thesaurus_models  # noqa: F401
from weeding import models as weeding_models  # noqa: F401

metadata = Base.metadata
