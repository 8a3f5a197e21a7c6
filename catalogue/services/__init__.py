"""Cataloguing rules. Services take a SQLAlchemy session (and the acting
user and a clock), flush but never commit, and never import Flask."""
from catalogue.services.items import ItemService
from catalogue.services.records import RecordService
from catalogue.services.uses import UseResult, UseService

__all__ = ["ItemService", "RecordService", "UseResult", "UseService"]
