"""An Elasticsearch-compatible test server (noida-db) for the search suite.

``CATALOGUE_TEST_ES_URL`` points the suite at a real cluster instead. Else
one noida-db process serves the whole test session, on a free loopback
port with a throwaway data folder, and is stopped by its PID at the end.
Without noida-db the Elasticsearch tests are skipped with a reason, except
under CI, where they fail.

noida-db's ``noida-db`` command is a Python wrapper that runs the real
binary as a child; we run the binary itself when we can find it, in its
own process group, so that stopping it never leaves an orphan serving.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from tests.support.postgres import free_port


def _command() -> list[str] | None:
    try:
        from importlib.resources import files

        binary = Path(str(files("noida_db").joinpath("noida-db")))
        if binary.is_file():
            if not os.access(binary, os.X_OK):
                binary.chmod(0o755)
            return [str(binary)]
    except ModuleNotFoundError:
        pass
    found = shutil.which("noida-db")
    return [found] if found else None


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return "version" in json.load(response)
    except (OSError, ValueError):
        return False


class NoidaServer:
    def __init__(self, command: list[str]):
        self.command = command
        self.port = free_port()
        self.root = Path(tempfile.mkdtemp(prefix="catalogue-noida-"))
        self.log = self.root / "server.log"
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 60) -> None:
        with open(self.log, "wb") as log:
            # the binary prints a harmless GLIBC "weak version" warning to stderr
            self.process = subprocess.Popen(
                [*self.command, "start", "--only", "elasticsearch", "--host", "127.0.0.1",
                 "--elasticsearch-port", str(self.port), "--data-dir", str(self.root / "data")],
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            if answers(self.url):
                return
            time.sleep(0.2)
        self.stop(keep_log=True)
        log = self.log.read_text(errors="replace")[-2000:]
        raise RuntimeError(f"noida-db did not answer on {self.url}: {log}")

    def stop(self, *, keep_log: bool = False) -> None:
        if self.process is not None and self.process.poll() is None:
            # its own session: the group id is its PID
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        if not keep_log:
            shutil.rmtree(self.root, ignore_errors=True)


def _unavailable(reason: str):
    if os.environ.get("CI"):
        pytest.fail(f"{reason}: the Elasticsearch conformance tests must run in CI.")
    pytest.skip(reason)


_started: dict[str, object] = {}  # "url" or "error": one server per test process


def _shared_server_url(config) -> str:
    """Start noida-db on first use, once per pytest process, stopped at the
    end of the session. A module-level cache rather than fixture scope:
    every test module importing the fixture gets its own fixture definition,
    and session scope alone would start one server per module."""
    if "url" not in _started and "error" not in _started:
        command = _command()
        if command is None:
            _started["error"] = "noida-db is not installed (pip install -e '.[test]')"
        else:
            server = NoidaServer(command)
            try:
                server.start()
            except (OSError, RuntimeError) as error:
                _started["error"] = f"noida-db could not start: {error}"
            else:
                config.add_cleanup(server.stop)
                _started["url"] = server.url
    if "error" in _started:
        _unavailable(str(_started["error"]))
    return str(_started["url"])


@pytest.fixture(scope="session")
def elasticsearch_url(request):
    """The URL of an Elasticsearch-compatible server for this session:
    CATALOGUE_TEST_ES_URL, else the session's noida-db."""
    return os.environ.get("CATALOGUE_TEST_ES_URL") or _shared_server_url(request.config)


@pytest.fixture(scope="session")
def opensearch_url():
    """The URL of the OpenSearch cluster named by CATALOGUE_TEST_OPENSEARCH_URL (no emulator)."""
    url = os.environ.get("CATALOGUE_TEST_OPENSEARCH_URL")
    if not url:
        pytest.skip("CATALOGUE_TEST_OPENSEARCH_URL is not set")
    return url
