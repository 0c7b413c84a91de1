"""Issue 19, probe 11: ``recital flower`` with a real Flower process on Redis.

It refuses to start without credentials, and every path — the dashboard,
the API, ``/metrics``, ``/healthcheck``, static files, unknown paths — answers
401 without them or with wrong ones. Its task history survives a restart
(issue 21).
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
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


def refused_flower(tmp_path: Path, auth: str | None) -> subprocess.CompletedProcess[str]:
    """``recital flower`` with these credentials, run to its end (a refusal ends it at once)."""
    return subprocess.run(
        [sys.executable, "-m", "cli.main", "flower", "--port", str(free_port())],
        cwd=ROOT,
        env=flower_env(tmp_path, auth),
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize("auth", [None, "", "ops", "ops:", ":pw"])
def test_flower_refuses_to_start_without_credentials(tmp_path: Path, auth: str | None) -> None:
    run = refused_flower(tmp_path, auth)
    assert run.returncode == 2 and "RECITAL_FLOWER_BASIC_AUTH" in run.stderr


@pytest.mark.parametrize("auth", ["ops:pa,ss:word1", "ops:hünter22", "ops:hunter\t22", "ops,x:hunter22"])
def test_flower_refuses_credentials_it_would_split_or_mis_parse(tmp_path: Path, auth: str) -> None:
    # Flower splits --basic-auth on commas (two logins), and its check fails on non-ASCII.
    run = refused_flower(tmp_path, auth)
    assert run.returncode == 2 and "RECITAL_FLOWER_BASIC_AUTH" in run.stderr, run.stderr
    assert len(run.stderr.splitlines()) == 1 and "Traceback" not in run.stderr
    assert "word1" not in run.stdout + run.stderr and "unter" not in run.stdout + run.stderr  # nor the value


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


def send_task_events(broker: str, task_id: str) -> None:
    """A task's received and succeeded events, as a worker sends them."""
    from celery import Celery

    app = Celery("events", broker=broker)
    with app.connection_for_write() as connection:
        dispatcher = app.events.Dispatcher(connection, enabled=True, hostname="probe@test")
        now = time.time()
        dispatcher.send("task-received", uuid=task_id, name="recital.process_attempt", args="['x']",
                        kwargs="{}", retries=0, timestamp=now)  # fmt: skip
        dispatcher.send("task-succeeded", uuid=task_id, result="'done'", runtime=0.2, timestamp=now + 0.2)


def known_tasks(port: int) -> dict[str, object]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}/api/tasks")
    request.add_header("Authorization", "Basic " + base64.b64encode(AUTH.encode()).decode())
    with urllib.request.urlopen(request, timeout=20) as response:
        return dict(json.loads(response.read()))


def test_task_history_survives_a_restart(tmp_path: Path) -> None:
    env = flower_env(tmp_path, AUTH) | {"RECITAL_FLOWER_DB": str(tmp_path / "history" / "flower.db")}
    task_id = str(uuid.uuid4())
    for run in ("first", "after restart"):
        port = free_port()
        argv = [sys.executable, "-m", "cli.main", "flower", "--port", str(port)]
        with (tmp_path / f"{run}.log").open("wb") as out:
            process = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=out, stderr=out)
            try:
                wait_for_port(port, process, timeout=60)
                deadline = time.monotonic() + 30
                while task_id not in known_tasks(port) and time.monotonic() < deadline:
                    if run == "first":  # events are pub/sub: sent until Flower has heard them
                        send_task_events(env["RECITAL_BROKER_URL"], task_id)
                    time.sleep(0.5)
                assert task_id in known_tasks(port), run
                assert known_tasks(port)[task_id]["state"] == "SUCCESS"  # type: ignore[index]
            finally:
                process.terminate()  # Flower saves its history on SIGTERM
                process.wait(20)
        assert list((tmp_path / "history").glob("flower.db*")), run
