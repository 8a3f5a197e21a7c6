"""The ground floor: plumbing every package may use and that uses none of them.

Database and settings (``db``, ``config``), translation markers and text
folding (``i18n``, ``text``), base errors (``errors``), the service base and
the audit trail (``services``, ``audit``), the search outbox (``outbox``), the
shared vocabulary (``vocab``), the command-line and job plumbing (``cli``,
``jobs``) and the web edge (``web``: transaction per request, error shape,
CSRF, authentication decorators, the API object). Nothing here imports a
domain package or the application; ``setup.cfg``'s import contract checks it.
"""

__version__ = "0.1.0"
