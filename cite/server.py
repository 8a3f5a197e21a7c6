"""The production web server behind `catalogue serve`: gunicorn with threaded
workers (gthread), in one process or several.

Python runs one thread at a time per process, so on a machine with several
cores only several processes use them all. Each worker builds its own app
after the fork: nothing the master opened (a database connection, the
search index) is shared between processes. Each worker writes its pending
observatory counts when it stops, after its last request, whether the server
was stopped by Ctrl+C or by a service manager's SIGTERM.

Each worker listens on the port itself (SO_REUSEPORT), so the kernel spreads
connections across the workers. On one shared socket, whichever worker was
awake took them: bench/search.py found all 20 keep-alive clients on one of
two workers, the other idle. Few threads per worker: they only take turns
on the interpreter lock, and the more of them queue for it the longer the
slowest answers (bench/search.py, 20 clients, 2 workers: /healthz p95
17-20 ms with 2 threads, 33-37 ms with 4 and 8).
"""
from __future__ import annotations

import logging
import socket
import threading
from collections.abc import Callable

from gunicorn.app.base import BaseApplication

from search.web import flush_observatory

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
        # It shares nothing with the requests (its own SQLite connection);
        # when workers died under the first harvest (issue 14), its work only
        # moved where garbage collections fell: see core.db._materialise_state_dict.
        threading.Thread(target=_warm, args=(app,), name="search-warm-up", daemon=True).start()
        return app


def _warm(app) -> None:
    try:
        app.extensions["catalogue.search"].warm()
    except Exception:  # a cluster down, say: the first search will say so
        log.warning("The search index could not be loaded in advance.", exc_info=True)


def _worker_exit(_server, worker) -> None:
    app = getattr(worker, "wsgi", None)  # None when the worker failed before loading it
    if app is not None:
        flush_observatory(app)


def serve(make_app: Callable, *, host: str, port: int, workers: int, threads: int, log_level: str) -> None:
    """Serve the app ``make_app()`` returns until stopped (SIGINT or SIGTERM).
    Call ensure_free first: the workers would share a taken port."""
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
        "reuse_port": True,
        # gunicorn's largest bounded request line (0 would read one without
        # end): the app refuses addresses past core.web.limits.MAX_URL_BYTES
        # itself, with a 414 in the API's JSON shape, not gunicorn's page.
        "limit_request_line": 8190,
    }).run()


def ensure_free(host: str, port: int) -> None:
    """Raise OSError (EADDRINUSE) when something listens on ``host:port``.
    Workers that all set SO_REUSEPORT would share a port with another
    server started the same way, each answering half the requests; a plain
    bind, which this is, fails instead."""
    with socket.create_server((host, port)):
        pass
