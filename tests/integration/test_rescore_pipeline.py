"""Re-scoring through the real stack: ``recital rescore`` sends a batch to Redis and
a Celery worker process consuming the ``rescore`` queue writes the new score row."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from sqlalchemy import select

from shared.container import Container
from shared.db import models
from shared.domain.scoring import SCORING_VERSION
from shared.settings import Settings
from tests.cli.test_commands import embedded_env, recital
from tests.conftest import settings_env
from tests.support.attempts import OLD_VERSION, TEXT, new_piece, scored_long_ago
from tests.support.recitations import synthesise
from tests.support.stack import CeleryWorker

pytestmark = pytest.mark.integration


def wait_for_versions(deps: Container, attempt_id: object, timeout: float = 60) -> set[str]:
    deadline = time.monotonic() + timeout
    while True:
        with deps.uow() as uow:
            query = select(models.Score.scoring_version).filter_by(attempt_id=attempt_id)
            found = set(uow.session.scalars(query))
        if SCORING_VERSION in found or time.monotonic() > deadline:
            return found
        time.sleep(0.2)


def test_a_worker_rescores_the_batches_the_command_sends(
    stack_settings: Settings, celery_worker: CeleryWorker, tmp_path: Path
) -> None:
    deps = Container(stack_settings)
    piece = new_piece(deps)
    attempt_id = scored_long_ago(deps, piece, synthesise(TEXT, tmp_path / "reading.wav"))
    env = {**embedded_env(tmp_path), **settings_env(stack_settings)}
    sent = recital("rescore", "--piece", str(piece), env=env)
    assert sent.returncode == 0 and "sent 1 attempt in 1 batch" in sent.stdout, sent.stderr
    assert wait_for_versions(deps, attempt_id) == {OLD_VERSION, SCORING_VERSION}
    deadline = time.monotonic() + 10
    while b"batch=0 size=1 scored=1 skipped=0 failed=0" not in celery_worker.log.read_bytes():
        assert time.monotonic() < deadline, celery_worker.log.read_text()[-3000:]
        time.sleep(0.2)
