"""Staff accounts and their inbox. Services take a session, flush but never
commit, and never import Flask."""
from accounts.services.accounts import AccountService
from accounts.services.notifications import NotificationService

__all__ = ["AccountService", "NotificationService"]
