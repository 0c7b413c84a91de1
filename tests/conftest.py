"""Fixtures shared by the whole suite: settings on real services and real workers."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from shared.settings import Settings
from tests.support.stack import (
    ROOT,
    CeleryWorker,
    create_database,
    drop_database,
    free_port,
    redis_db_url,
    require,
    wait_for_port,
)


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    url = create_database()
    from shared.db.migrate import upgrade

    upgrade(Settings(database_url=url))
    yield url
    drop_database(url)


@pytest.fixture(scope="session")
def redis_url() -> str:
    return redis_db_url(13)


@pytest.fixture(scope="session")
def second_redis_url() -> str:
    """A separate broker db, so a second stack never shares workers with the first."""
    return redis_db_url(14)


def settings_env(settings: Settings) -> dict[str, str]:
    """The same settings as environment variables, for subprocesses."""
    env = {
        "RECITAL_HOME": str(settings.home),
        "RECITAL_DATABASE_URL": settings.resolved_database_url,
        "RECITAL_BROKER_URL": settings.broker_url,
        "RECITAL_STORAGE_URL": settings.resolved_storage_url,
        "RECITAL_TRANSCRIBER": settings.transcriber,
        "RECITAL_RATE_LIMITS_ENABLED": str(settings.rate_limits_enabled).lower(),
        "RECITAL_MAX_QUEUED_ATTEMPTS": str(settings.max_queued_attempts),
    }
    return env


@pytest.fixture
def embedded_settings(tmp_path: Path) -> Settings:
    return Settings(home=tmp_path / "home")


@pytest.fixture(scope="session")
def stack_settings(tmp_path_factory: pytest.TempPathFactory, pg_url: str, redis_url: str) -> Settings:
    home = tmp_path_factory.mktemp("stack")
    # These tests send one learner's dozens of uploads at once to measure the
    # pipeline; the limits themselves are tested in tests/web/test_limits.py.
    return Settings(
        home=home,
        database_url=pg_url,
        broker_url=redis_url,
        rate_limits_enabled=False,
        max_queued_attempts=10_000,
    )


@pytest.fixture(scope="session")
def celery_worker(
    stack_settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[CeleryWorker]:
    log = tmp_path_factory.mktemp("worker") / "worker.log"
    worker = CeleryWorker(settings_env(stack_settings), log, queues="recordings,rescore,maintenance")
    worker.wait_ready()
    yield worker
    worker.stop()


@pytest.fixture(scope="session")
def gcs_emulator() -> Iterator[str]:
    """``gcp-storage-emulator`` on a free port; yields the STORAGE_EMULATOR_HOST value."""
    port = free_port()
    binary = Path(sys.executable).parent / "gcp-storage-emulator"
    require(binary.exists(), "gcp-storage-emulator is not installed")
    process = subprocess.Popen(
        [str(binary), "start", "--host", "127.0.0.1", "--port", str(port), "--in-memory"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    host = f"http://127.0.0.1:{port}"
    wait_for_port(port, process)
    previous = os.environ.get("STORAGE_EMULATOR_HOST")
    os.environ["STORAGE_EMULATOR_HOST"] = host
    yield host
    if previous is None:
        os.environ.pop("STORAGE_EMULATOR_HOST", None)
    process.terminate()
    process.wait(10)
