"""Import every package's models so that ``Base.metadata`` knows all tables
(used by Alembic and by the test suite's table cleanup)."""
from catalogue import models as catalogue_models  # noqa: F401
from catalogue.accounts import models as accounts_models  # noqa: F401
from thesaurus import models as thesaurus_models  # noqa: F401
from acquisitions import models as acquisitions_models  # noqa: F401
from weeding import models as weeding_models  # noqa: F401
from importers import models as importers_models  # noqa: F401
from search import models as search_models  # noqa: F401
from catalogue.db import Base

metadata = Base.metadata
