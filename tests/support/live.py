"""The real service, started as a separate process for browser tests.

``catalogue serve`` runs (gunicorn) on a free loopback port, with the
default (secure) session cookie: browsers treat http://127.0.0.1 as a secure
context, as the README promises, and the browser tests prove it.
"""
from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Iterator

from tests.support.postgres import free_port

START_TIMEOUT = 30.0
STOP_TIMEOUT = 10.0

# What gunicorn's master (and faulthandler, in the worker) write to stderr
# when a worker dies. On a normal stop the workers get SIGTERM: gunicorn
# logs "was sent SIGTERM!" only at info level, and that is no death.
WORKER_DEATH = re.compile(
    r"Worker \(pid:\d+\) was sent (?!SIGTERM!)|Worker \(pid:\d+\) exited with code|WORKER TIMEOUT"
    r"|Fatal Python error|Segmentation fault")


class WorkerDied(AssertionError):
    """A worker of the server died while it ran (see WORKER_DEATH)."""


def worker_deaths(log: str) -> list[str]:
    """The lines of a server's stderr that tell of a worker's death."""
    return [line for line in log.splitlines() if WORKER_DEATH.search(line)]


def _tail(path: Path, limit: int = 4000) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return ""
    return text[-limit:]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


@contextlib.contextmanager
def live_server(database_url: str, instance_dir: str | os.PathLike | None = None, *,
                secret_key: str = "live-test-secret-key", extra_env: dict | None = None,
                threads: int = 4, workers: int = 1, check_workers: bool = True) -> Iterator[str]:
    """Run ``catalogue serve`` against ``database_url`` and yield its base URL.

    Waits for /healthz to answer 200, then stops the process on exit
    (terminate, then kill after a timeout). On a failed start the error shows
    the server's output. Once stopped, raises WorkerDied if a worker died
    meanwhile (``check_workers=False``: the caller reads ``server.err`` in
    ``instance_dir`` itself, as bench/oai_harvest_starts.py counts deaths).
    """
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    owned_dir = None
    if instance_dir is None:
        owned_dir = tempfile.TemporaryDirectory(prefix="catalogue-live-")
        instance_dir = owned_dir.name
    instance_dir = Path(instance_dir)
    instance_dir.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("CATALOGUE_")}
    env.update({
        "CATALOGUE_DATABASE_URL": database_url,
        "CATALOGUE_INSTANCE_DIR": str(instance_dir),
        "CATALOGUE_SECRET_KEY": secret_key,
        "CATALOGUE_LOG_LEVEL": os.environ.get("CATALOGUE_LOG_LEVEL", "WARNING"),
        "PYTHONUNBUFFERED": "1",
        # a worker killed by a signal writes every thread's stack to server.err
        "PYTHONFAULTHANDLER": "1",
    })
    env.update(extra_env or {})
    # Same interpreter as the tests, so it works from any virtualenv; the
    # repository root on the path in case the package is not installed.
    root = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
    command = [sys.executable, "-c", "from cite.cli import main; main()",
               "serve", "--host", "127.0.0.1", "--port", str(port), "--threads", str(threads), "--workers", str(workers)]
    out_path = instance_dir / "server.out"
    err_path = instance_dir / "server.err"
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=err,
                                   stdin=subprocess.DEVNULL, cwd=str(instance_dir))
    failure = None
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if process.poll() is not None:
                raise RuntimeError(
                    f"`catalogue serve` exited with status {process.returncode} before answering.\n"
                    f"--- stderr ---\n{_tail(err_path)}\n--- stdout ---\n{_tail(out_path)}")
            if _healthy(f"{base_url}/healthz"):
                break
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"`catalogue serve` did not answer 200 on {base_url}/healthz "
                    f"within {START_TIMEOUT:.0f} s.\n"
                    f"--- stderr ---\n{_tail(err_path)}\n--- stdout ---\n{_tail(out_path)}")
            time.sleep(0.1)
        yield base_url
    except BaseException as error:
        failure = error
        raise
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=STOP_TIMEOUT)
        log = _tail(err_path, limit=1_000_000)
        if owned_dir is not None:
            owned_dir.cleanup()
        deaths = worker_deaths(log) if check_workers else []
        died = (f"A worker of `catalogue serve` died: {deaths[0]}\n--- stderr ---\n{log[-8000:]}"
                if deaths else "")
        if died and failure is not None:  # the test failed too, likely because of it: say so
            failure.add_note(died)
    if died:
        raise WorkerDied(died)
