"""``/metrics``: refused without the metrics credentials; with them, Prometheus's page with
the attempts in Postgres by status and the queues in Redis, read at scrape time."""

from __future__ import annotations

import base64
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families
from pydantic import SecretStr

from shared.container import Container
from shared.db.migrate import upgrade
from shared.db.repositories.runs_port import BatchCount, NewRun, RunFilter
from shared.domain.clock import utcnow
from shared.queue import CeleryEnqueuer, build_celery
from shared.settings import Settings
from tests.support.stack import create_database, drop_database, redis_db_url, require_tool
from web import create_app

CREDENTIALS = "ops:a-long-metrics-password"


def basic(credentials: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(credentials.encode()).decode()}


def values(text: str, name: str) -> dict[str, float]:
    return {
        ",".join(f"{k}={v}" for k, v in sorted(s.labels.items())): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
        if s.name == name
    }


def test_metrics_refuse_without_the_credentials(tmp_path: Path) -> None:
    for configured in (None, SecretStr(CREDENTIALS)):
        settings = Settings(home=tmp_path, metrics_basic_auth=configured, rate_limits_enabled=False)
        upgrade(settings)
        client = create_app(settings, enqueue=lambda _id: None).test_client()
        for headers in ({}, basic("ops:wrong"), basic(CREDENTIALS + "x"), {"Authorization": "Bearer x"}):
            response = client.get("/metrics", headers=headers)
            assert response.status_code == 401, (configured, headers)
            assert response.get_json()["error"]["code"] == "authentication_required"
            assert response.headers["WWW-Authenticate"].startswith("Basic ")
            assert "recital_" not in response.get_data(as_text=True)
        if configured is None:  # no credentials set: even the right-looking ones are refused
            assert client.get("/metrics", headers=basic(CREDENTIALS)).status_code == 401


def test_metrics_show_attempts_by_status_and_the_queues(tmp_path: Path, pg_url: str) -> None:
    broker = redis_db_url(10)
    settings = Settings(
        home=tmp_path,
        database_url=pg_url,
        broker_url=broker,
        metrics_basic_auth=SecretStr(CREDENTIALS),
        rate_limits_enabled=False,
    )
    client = create_app(settings, enqueue=lambda _id: None).test_client()
    before = values(
        client.get("/metrics", headers=basic(CREDENTIALS)).get_data(as_text=True), "recital_attempts"
    )
    enqueue = CeleryEnqueuer(build_celery(settings))
    for _ in range(2):
        enqueue(uuid.uuid4())
    response = client.get("/metrics", headers=basic(CREDENTIALS))
    assert response.status_code == 200
    assert response.mimetype == "text/plain" and response.headers["Content-Type"].count("charset") == 1
    text = response.get_data(as_text=True)
    checked = subprocess.run(  # the page as Prometheus's own linter reads it
        [require_tool("promtool"), "check", "metrics"], input=text, capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    attempts = values(text, "recital_attempts")
    assert set(attempts) == {f"status={s}" for s in ("queued", "processing", "done", "failed")}
    assert attempts == before  # Postgres's counts: the messages alone add no attempt
    assert values(text, "recital_queue_messages")["queue=recordings"] == 2
    assert values(text, "recital_queue_oldest_message_age_seconds")["queue=recordings"] >= 0


@pytest.fixture
def own_database() -> Iterator[str]:
    """A database of its own: other tests ask for "the latest run" in the session's."""
    url = create_database()
    upgrade(Settings(database_url=url))
    yield url
    drop_database(url)


def test_metrics_show_the_progress_of_the_newest_rescore_runs(tmp_path: Path, own_database: str) -> None:
    pg_url = own_database
    settings = Settings(
        home=tmp_path,
        database_url=pg_url,
        metrics_basic_auth=SecretStr(CREDENTIALS),
        rate_limits_enabled=False,
    )
    deps = Container(settings)
    with deps.uow() as uow:
        run = uow.runs.add(NewRun("test-version", "rescore", RunFilter(), "ops test", utcnow()))
        uow.runs.count_batch(BatchCount(run.id, 0, done=150, failed=2, skipped=3, failures=[]), utcnow())
        uow.runs.count_batch(BatchCount(run.id, 1, done=40, failed=0, skipped=0, failures=[]), utcnow())
        uow.runs.set_total(run.id, 400, utcnow())
        for _ in range(6):  # six newer runs, each over at once: the running one is still shown
            later = uow.runs.add(NewRun("test-version", "rescore", RunFilter(), "ops test", utcnow()))
            uow.runs.set_total(later.id, 0, utcnow())
        uow.commit()
    deps.engine.dispose()
    app = create_app(settings, enqueue=lambda _id: None)
    text = app.test_client().get("/metrics", headers=basic(CREDENTIALS)).get_data(as_text=True)
    app.extensions["recital"].engine.dispose()  # before the database is dropped
    counted = values(text, "recital_rescore_run_attempts")
    assert {o: counted[f"outcome={o},run={run.id}"] for o in ("done", "failed", "skipped")} == {
        "done": 190,
        "failed": 2,
        "skipped": 3,
    }
    assert values(text, "recital_rescore_run_total_attempts")[f"run={run.id}"] == 400
    assert values(text, "recital_rescore_run_info")[f"mode=rescore,run={run.id},state=running"] == 1
    assert len(values(text, "recital_rescore_run_info")) == 6  # the five newest, and every one still running
