"""Queue overhead: from the committed attempt row to a worker claiming it.

Submit-to-done minus task run time is the time an attempt waits between the
front door's commit (``created_at``) and the worker's claim (``started_at``):
commit, send, broker delivery, prefetch and claim. Measured on the real
Postgres, Redis and a ``celery worker`` subprocess, one attempt at a time.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import redis
from sqlalchemy import select

from bench.services import REDIS, database
from bench.speech import recitation
from bench.table import Figure
from tests.support.stack import ROOT

ATTEMPTS = 15


def start_worker(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "workers.celery_app:app",
            "worker",
            "-Q",
            "recordings",
            "-c",
            "1",
            "--loglevel",
            "INFO",
        ],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while b" ready." not in log.read_bytes():
        if time.monotonic() > deadline or process.poll() is not None:
            raise RuntimeError(log.read_text()[-2000:])
        time.sleep(0.2)
    return process


def run() -> list[Figure]:
    from shared.db import models
    from shared.db.migrate import upgrade
    from shared.settings import Settings
    from web import create_app

    with tempfile.TemporaryDirectory() as tmp, database("recital_bench_queue") as url:
        folder = Path(tmp)
        audio, text = recitation(folder, 3, "short")
        settings = Settings(home=folder, database_url=url, broker_url=REDIS)
        upgrade(settings)
        env = {"RECITAL_HOME": tmp, "RECITAL_DATABASE_URL": url, "RECITAL_BROKER_URL": REDIS}
        worker = start_worker(env, folder / "worker.log")
        try:
            app = create_app(settings)
            waits, runs = measure(app, audio.read_bytes(), text, models)
        finally:
            worker.terminate()
            worker.wait(30)
            redis.Redis.from_url(REDIS).flushdb()
    figure = Figure("queue overhead: commit → worker claim", "ms", waits, target="median ≤ 100 ms")
    figure.met = figure.median <= 100
    task = Figure("task run time (3 s recording, offline)", "ms", runs)
    return [figure, task]


def measure(app, audio: bytes, text: str, models) -> tuple[list[float], list[float]]:  # type: ignore[no-untyped-def]
    from tests.support.auth import as_learner

    client = as_learner(app.test_client())
    piece = client.post("/api/v1/pieces", json={"title": "bench", "text": text}).get_json()["id"]
    ids = []
    for i in range(ATTEMPTS + 1):  # the first warms the worker (model load), not counted
        unique = audio[:-2] + i.to_bytes(2, "little")  # a new sha256: no cached transcript
        response = client.post(
            f"/api/v1/pieces/{piece}/attempts",
            data={"recording": (io.BytesIO(unique), "a.wav")},
            content_type="multipart/form-data",
        )
        attempt_id = response.get_json()["id"]
        wait_done(client, attempt_id)
        if i:
            ids.append(uuid.UUID(attempt_id))
    container = app.extensions["recital"]
    with container.uow() as uow:
        rows = uow.session.execute(
            select(models.Attempt.created_at, models.Attempt.started_at, models.Attempt.finished_at).where(
                models.Attempt.id.in_(ids)
            )
        ).all()
    waits = [(s - c).total_seconds() * 1000 for c, s, _ in rows]
    runs = [(f - s).total_seconds() * 1000 for _, s, f in rows]
    return waits, runs


def wait_done(client, attempt_id: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        body = client.get(f"/api/v1/attempts/{attempt_id}").get_json()
        if body["status"] in ("done", "failed"):
            return
        time.sleep(0.05)
    raise TimeoutError(attempt_id)
