"""Issue 19, probe 11: ``recital flower`` with a real Flower process on Redis.

It refuses to start without credentials, and every path — the dashboard,
the API, ``/metrics``, ``/healthcheck``, static files, unknown paths — answers
401 without them or with wrong ones.
"""

from __future__ import annotations

import base64
import os
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.stack import ROOT, free_port, redis_db_url, wait_for_port

AUTH = "ops:correct-horse-battery"
PATHS = ["/", "/workers", "/tasks", "/broker", "/api/workers", "/api/tasks", "/metrics", "/healthcheck",
         "/static/css/flower.css", "/nowhere"]  # fmt: skip


def flower_env(tmp_path: Path, auth: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RECITAL_", "FLOWER_"))}
    env.update(RECITAL_HOME=str(tmp_path), RECITAL_BROKER_URL=redis_db_url(11))
    if auth is not None:
        env["RECITAL_FLOWER_BASIC_AUTH"] = auth
    return env


def get(port: int, path: str, auth: str | None) -> int:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}")
    if auth is not None:
        request.add_header("Authorization", "Basic " + base64.b64encode(auth.encode()).decode())
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


@pytest.fixture(scope="module")
def flower(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    port = free_port()
    log = tmp_path_factory.mktemp("flower") / "flower.log"
    argv = [sys.executable, "-m", "cli.main", "flower", "--port", str(port)]
    with log.open("wb") as out:
        process = subprocess.Popen(argv, cwd=ROOT, env=flower_env(log.parent, AUTH), stdout=out, stderr=out)
        try:
            wait_for_port(port, process, timeout=60)
            yield port
        finally:
            process.terminate()
            process.wait(20)
    assert AUTH.split(":")[1] not in log.read_text()


@pytest.mark.parametrize("auth", [None, "", "ops", "ops:", ":pw"])
def test_flower_refuses_to_start_without_credentials(tmp_path: Path, auth: str | None) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "cli.main", "flower", "--port", str(free_port())],
        cwd=ROOT,
        env=flower_env(tmp_path, auth),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 2 and "RECITAL_FLOWER_BASIC_AUTH" in run.stderr


@pytest.mark.parametrize("path", PATHS)
def test_every_path_needs_the_credentials(flower: int, path: str) -> None:
    assert get(flower, path, None) == 401
    assert get(flower, path, "ops:wrong") == 401
    assert get(flower, path, "intruder:" + AUTH.split(":")[1]) == 401


def test_the_right_credentials_open_the_dashboard(flower: int) -> None:
    for path in ("/", "/metrics", "/healthcheck", "/api/workers", "/static/css/flower.css"):
        assert get(flower, path, AUTH) == 200, path
    assert get(flower, "/nowhere", AUTH) == 404


def test_flower_binds_to_localhost_by_default(flower: int) -> None:
    import socket

    addresses = {info[4][0] for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)}
    for address in addresses - {"127.0.0.1", "127.0.1.1"}:
        with pytest.raises(OSError), socket.create_connection((address, flower), timeout=2):
            pass
