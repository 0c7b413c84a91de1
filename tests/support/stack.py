"""Real services for tests: a throwaway Postgres database, a Redis db, Celery workers.

Under CI=true a missing service fails the test; elsewhere it skips.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import pytest

PG_ADMIN_URL = os.environ.get("RECITAL_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("RECITAL_TEST_REDIS", "redis://127.0.0.1:6379")
ROOT = Path(__file__).resolve().parents[2]
SHARED_MATERIAL = ROOT.parent / "shared"


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def require(condition: bool, why: str) -> None:
    """Skip on a user's machine, fail in CI: nothing silently skips there."""
    if condition:
        return
    if in_ci():
        pytest.fail(f"required for CI: {why}")
    pytest.skip(why)


def require_tool(name: str) -> str:
    path = shutil.which(name)
    require(path is not None, f"{name} is not installed (make system-deps)")
    return str(path)


def create_database() -> str:
    import psycopg

    name = f"recital_test_{uuid.uuid4().hex[:10]}"
    try:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as exc:
        require(False, f"PostgreSQL unreachable at {PG_ADMIN_URL}: {exc}")
    return PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"


def drop_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def free_port() -> int:
    """A port free now, below the kernel's ephemeral range.

    A port the kernel hands out for ``bind(0)`` comes from the range it also
    uses for outgoing connections' source ports, so a client connecting in
    the meantime can take it before the server binds it, or while a server
    is restarted on it (seen: "could not bind ... Address already in use").
    """
    low = _ephemeral_ports_start()
    for _ in range(100):
        port = random.randrange(PORTS_FROM, low) if low > PORTS_FROM + 1000 else 0
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return int(sock.getsockname()[1])
    raise RuntimeError("no free port below the ephemeral range")


PORTS_FROM = 20_000


def _ephemeral_ports_start() -> int:
    try:
        return int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 32_768  # Linux's default


def wait_for_port(port: int, process: subprocess.Popen[bytes], timeout: float = 20) -> None:
    """Until something listens on ``port``; fails at once if ``process`` exits first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"process exited early with code {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"nothing listening on port {port}")


def redis_db_url(db: int) -> str:
    import redis

    url = f"{REDIS_URL}/{db}"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).flushdb()
    except redis.RedisError as exc:
        require(False, f"Redis unreachable at {REDIS_URL}: {exc}")
    return url


def spawn_logged(argv: list[str], env: dict[str, str], out: IO[bytes] | None) -> subprocess.Popen[bytes]:
    """A process in its own session (so its whole group can be signalled), output
    to ``out`` (None: this process's own output)."""
    return subprocess.Popen(
        argv,
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=out,
        stderr=None if out is None else subprocess.STDOUT,
        start_new_session=True,
    )


@contextmanager
def gunicorn_server(
    app: str, options: Sequence[str], env: dict[str, str], out: IO[bytes] | None = None
) -> Iterator[int]:
    """A real gunicorn serving ``app`` on a free port; yields the port once it accepts."""
    port = free_port()
    argv = [sys.executable, "-m", "gunicorn", *options, "--bind", f"127.0.0.1:{port}", app]
    process = spawn_logged(argv, env, out)
    try:
        wait_for_port(port, process, timeout=30)
        yield port
    finally:
        process.terminate()
        process.wait(20)


class CeleryWorker:
    """A real Celery worker subprocess (prefork pool) with its own log file."""

    def __init__(
        self,
        env: dict[str, str],
        log: Path,
        queues: str = "recordings,maintenance",
        concurrency: int = 1,
        extra: tuple[str, ...] = (),
    ) -> None:
        self.log = log
        # Through the ``recital worker`` command, so every integration test runs it.
        argv = [sys.executable, "-m", "cli.main", "worker", "-Q", queues, "-c", str(concurrency), *extra]
        argv += ["--name", f"test-{uuid.uuid4().hex[:6]}@%h"]
        self._out = log.open("wb")
        self.process = spawn_logged(argv, env, self._out)

    def wait_ready(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if b" ready." in self.log.read_bytes():
                return
            if self.process.poll() is not None:
                raise RuntimeError(f"worker exited early:\n{self.log.read_text()[-3000:]}")
            time.sleep(0.2)
        raise TimeoutError(f"worker not ready:\n{self.log.read_text()[-3000:]}")

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 30) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, sig)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)
        self._out.close()
