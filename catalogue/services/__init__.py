"""Cataloguing rules. Services take a SQLAlchemy session (and the acting
user and a clock), flush but never commit, and never import Flask."""
from .audit import AuditTrail
from .items import ItemService
from .records import RecordService
from .uses import UseService, UseResult

__all__ = ["AuditTrail", "ItemService", "RecordService", "UseService", "UseResult"]
