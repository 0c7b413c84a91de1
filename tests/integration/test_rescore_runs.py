"""Re-scoring runs through the real stack: ``recital rescore`` and the admin API send
batches to Redis, a Celery worker process scores them on Postgres and counts them
into the run's row; the counts, the score rows and the reports are exact."""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from shared.container import Container
from shared.db.repositories.runs_port import RunFilter, RunRecord
from shared.domain.scoring import SCORING_VERSION
from shared.queue import QUEUE_RESCORE, RESCORE_BATCH, build_celery
from shared.services.rescore_runs import cancel_run, plan_run, require_run, start_run
from shared.settings import Settings
from tests.cli.test_commands import embedded_env, recital
from tests.conftest import settings_env
from tests.support.attempts import OLD_VERSION, TEXT, new_piece, scored_long_ago
from tests.support.auth import bearer, token_for
from tests.support.recitations import synthesise
from tests.support.runs import copy_attempts, score_rows
from tests.support.stack import CeleryWorker
from web import create_app

pytestmark = pytest.mark.integration
START = datetime(2026, 4, 1, 8, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def deps(stack_settings: Settings) -> Iterator[Container]:
    container = Container(stack_settings)
    yield container
    container.engine.dispose()


@pytest.fixture(scope="module")
def source(deps: Container, tmp_path_factory: pytest.TempPathFactory) -> uuid.UUID:
    reading = synthesise(TEXT, tmp_path_factory.mktemp("runs") / "reading.wav")
    return scored_long_ago(deps, new_piece(deps), reading)


def wait_stopped(deps: Container, run_id: uuid.UUID, timeout: float = 90) -> RunRecord:
    deadline = time.monotonic() + timeout
    while True:
        with deps.uow() as uow:
            run = require_run(uow, run_id)
        if run.state != "running":
            return run
        assert time.monotonic() < deadline, run
        time.sleep(0.25)


def test_a_run_over_hundreds_of_attempts_counts_exactly(
    deps: Container, source: uuid.UUID, celery_worker: CeleryWorker, tmp_path: Path
) -> None:
    made = copy_attempts(deps, source, 300, START, broken=7)
    env = {**embedded_env(tmp_path), **settings_env(deps.settings)}
    learner = str(made.learner_id)
    sent = recital("rescore", "--learner", learner, "--batch-size", "40", env=env)
    assert sent.returncode == 0, sent.stderr
    assert "sent 300 attempts in 8 batches to the rescore queue" in sent.stdout, sent.stdout
    run_id = uuid.UUID(re.search(r"run ([0-9a-f-]{36})", sent.stdout).group(1))  # type: ignore[union-attr]
    run = wait_stopped(deps, run_id)
    assert (run.state, run.total, run.done, run.failed, run.skipped) == ("finished", 300, 293, 7, 0)
    assert score_rows(deps, made.ids) == {OLD_VERSION: 300, SCORING_VERSION: 293}

    status = recital("rescore", "status", str(run_id), env=env)
    assert status.returncode == 1, status.stderr  # some attempts failed
    assert f"run {run_id} finished: done 293, failed 7, skipped 0 of 300" in status.stdout, status.stdout
    assert status.stderr.count("failed ") == 7 and "KeyError" in status.stderr
    assert "293 attempts compared; mean accuracy change +0.00 points" in status.stdout, status.stdout

    again = recital("rescore", "--learner", learner, env=env)  # only the 7 that fail remain
    second = wait_stopped(deps, uuid.UUID(re.search(r"run ([0-9a-f-]{36})", again.stdout).group(1)))  # type: ignore[union-attr]
    assert (second.total, second.done, second.failed) == (7, 0, 7)
    assert score_rows(deps, made.ids) == {OLD_VERSION: 300, SCORING_VERSION: 293}


def test_cancel_stops_the_batches_not_yet_started(
    deps: Container, source: uuid.UUID, celery_worker: CeleryWorker
) -> None:
    """Batch 0 is scored at once; batches 1-5 wait five seconds (a countdown) and find
    the run cancelled: they stop without scoring."""
    made = copy_attempts(deps, source, 60, START)
    with deps.uow() as uow:
        run = start_run(uow, RunFilter(learner_id=made.learner_id), "tests")
    app = build_celery(deps.settings)

    def send(run_id: uuid.UUID, batch_no: int, ids: list[uuid.UUID]) -> None:
        args = [[str(i) for i in ids], str(run_id), batch_no]
        app.send_task(RESCORE_BATCH, args=args, queue=QUEUE_RESCORE, countdown=5 if batch_no else 0)

    plan_run(deps.uow, run.id, 10, send)
    deadline = time.monotonic() + 30
    while score_rows(deps, made.ids).get(SCORING_VERSION, 0) < 10:
        assert time.monotonic() < deadline
        time.sleep(0.1)
    with deps.uow() as uow:
        assert cancel_run(uow, run.id).state == "cancelled"
    stopped = f"rescore run={run.id} batch=5 stopped".encode()
    while stopped not in celery_worker.log.read_bytes():
        assert time.monotonic() < deadline + 30, celery_worker.log.read_text()[-3000:]
        time.sleep(0.2)
    time.sleep(0.5)
    with deps.uow() as uow:
        final = require_run(uow, run.id)
    assert (final.state, final.done, final.total) == ("cancelled", 10, 60)
    assert score_rows(deps, made.ids) == {OLD_VERSION: 60, SCORING_VERSION: 10}


@pytest.fixture(scope="module")
def client(stack_settings: Settings) -> FlaskClient:
    return create_app(stack_settings).test_client()


def test_the_admin_api_starts_follows_and_reports_a_run(
    deps: Container, source: uuid.UUID, celery_worker: CeleryWorker, client: FlaskClient
) -> None:
    made = copy_attempts(deps, source, 30, START, broken=1)
    admin = bearer(token_for(deps.settings, role="admin"))
    learner = bearer(token_for(deps.settings))
    body = {"learner": str(made.learner_id), "batch_size": 7}
    assert client.post("/api/v1/admin/rescores", json=body).status_code == 401
    refused = client.post("/api/v1/admin/rescores", json=body, headers=learner)
    assert refused.status_code == 403 and refused.get_json()["error"]["code"] == "admin_only"
    assert client.get("/api/v1/admin/rescores", headers=learner).status_code == 403

    dry = client.post("/api/v1/admin/rescores", json={**body, "dry_run": True, "sample": 10}, headers=admin)
    assert dry.status_code == 200, dry.get_json()
    assert (dry.get_json()["matching"], dry.get_json()["sampled"]) == (30, 10)
    assert score_rows(deps, made.ids) == {OLD_VERSION: 30}

    started = client.post("/api/v1/admin/rescores", json=body, headers=admin)
    assert started.status_code == 202, started.get_json()
    run_id = started.get_json()["id"]
    assert started.get_json()["started_by"].startswith("admin:")
    wait_stopped(deps, uuid.UUID(run_id))
    got = client.get(f"/api/v1/admin/rescores/{run_id}", headers=admin).get_json()
    assert (got["state"], got["total"], got["done"], got["failed"]) == ("finished", 30, 29, 1)
    assert got["report"]["attempts"] == 29 and len(got["failures"]) == 1
    assert got["failures"][0]["attempt_id"] == str(made.ids[-1])
    listed = client.get("/api/v1/admin/rescores?limit=100", headers=admin).get_json()
    assert run_id in [item["id"] for item in listed["items"]]
    late = client.delete(f"/api/v1/admin/rescores/{run_id}", headers=admin)
    assert late.status_code == 409 and late.get_json()["error"]["code"] == "rescore_not_running"
    assert client.delete(f"/api/v1/admin/rescores/{run_id}", headers=learner).status_code == 403
    unknown = client.get(f"/api/v1/admin/rescores/{uuid.uuid4()}", headers=admin)
    assert unknown.status_code == 404 and unknown.get_json()["error"]["code"] == "rescore_not_found"
    bad = client.post("/api/v1/admin/rescores", json={"since": "last week"}, headers=admin)
    assert bad.status_code == 400 and bad.get_json()["error"]["code"] == "invalid_since"


@pytest.mark.parametrize("batch_size", [0, "5", 5001, True, 2.5])
def test_a_refused_batch_size_writes_no_run(deps: Container, client: FlaskClient, batch_size: object) -> None:
    admin = bearer(token_for(deps.settings, role="admin"))
    before = client.get("/api/v1/admin/rescores", headers=admin).get_json()["total"]
    refused = client.post("/api/v1/admin/rescores", json={"batch_size": batch_size}, headers=admin)
    assert refused.status_code == 400 and refused.get_json()["error"]["code"] == "invalid_batch_size"
    assert client.get("/api/v1/admin/rescores", headers=admin).get_json()["total"] == before
