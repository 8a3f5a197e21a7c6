"""Errors of the importers (the base ones are in ``core.errors``)."""
from __future__ import annotations


class NothingToHarvest(Exception):
    """No repository to harvest: neither a URL given nor CATALOGUE_HARVEST_URL set."""
