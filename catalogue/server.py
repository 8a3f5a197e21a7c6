"""The production web server behind `catalogue serve`: gunicorn with threaded
workers (gthread), in one process or several.

Python runs one thread at a time per process, so on a machine with several
cores only several processes use them all. Each worker builds its own app
after the fork: nothing the master opened (a database connection, the
search index) is shared between processes. Each worker writes its pending
observatory counts when it stops, after its last request, whether the server
was stopped by Ctrl+C or by a service manager's SIGTERM.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from gunicorn.app.base import BaseApplication

log = logging.getLogger(__name__)


class Server(BaseApplication):
    def __init__(self, make_app: Callable, options: dict):
        self.make_app = make_app
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            if key in self.cfg.settings:  # control_socket_disable is new in gunicorn 25
                self.cfg.set(key, value)
        self.cfg.set("worker_exit", _worker_exit)

    def load(self):
        app = self.make_app()  # in each worker: the master never loads the app it serves
        # The search index's in-memory part takes a second or more to load at
        # 100,000 records: loaded now, in the background, the first visitor
        # does not wait for it (a search arriving meanwhile waits less).
        threading.Thread(target=_warm, args=(app,), name="search-warm-up", daemon=True).start()
        return app


def _warm(app) -> None:
    try:
        app.extensions["catalogue.search"].warm()
    except Exception:  # a cluster down, say: the first search will say so
        log.warning("The search index could not be loaded in advance.", exc_info=True)


def _worker_exit(_server, worker) -> None:
    from search.web import flush_observatory

    app = getattr(worker, "wsgi", None)  # None when the worker failed before loading it
    if app is not None:
        flush_observatory(app)


def serve(make_app: Callable, *, host: str, port: int, workers: int, threads: int, log_level: str) -> None:
    """Serve the app ``make_app()`` returns until stopped (SIGINT or SIGTERM)."""
    Server(make_app, {
        "bind": f"{host}:{port}",
        "workers": workers,
        "worker_class": "gthread",
        "threads": threads,
        "loglevel": log_level.lower(),
        "proc_name": "catalogue",
        # A control socket in ~/.gunicorn would be one for every server
        # started by the same user (tests start several at once).
        "control_socket_disable": True,
    }).run()
