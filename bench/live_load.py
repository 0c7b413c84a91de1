"""The live bench's parts: the workers, the copied past attempts, the live submissions."""

from __future__ import annotations

import io
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, text

from tests.support.stack import spawn_logged


def start_worker(env: dict[str, str], log: Path, queue: str, *extra: str) -> subprocess.Popen[bytes]:
    """``recital worker -Q queue …`` as deploy runs it, in its own process group."""
    argv = [sys.executable, "-m", "cli.main", "worker", "-Q", queue, "-n", f"{queue}@%h", *extra]
    out = log.open("wb")
    process = spawn_logged(argv, env, out)
    deadline = time.monotonic() + 90
    while b" ready." not in log.read_bytes():
        if time.monotonic() > deadline or process.poll() is not None:
            raise RuntimeError(log.read_text()[-3000:])
        time.sleep(0.2)
    return process


def copies(deps: Any, audio: Path, piece_text: str, count: int) -> None:
    """``count`` done attempts sharing one processed recording's transcript and
    analysis, with no score at the current version: a past term to re-score.
    Copied inside Postgres (generate_series), since 50,000 rows sent from here
    would take longer than the run."""
    from bench.rescore import _processed
    from shared.db import models

    source = _processed(deps, audio, piece_text)
    columns = [c.name for c in models.Attempt.__table__.columns]
    chosen = [{"id": "gen_random_uuid()", "idempotency_key": "NULL"}.get(c, f"a.{c}") for c in columns]
    with deps.uow() as uow:
        uow.session.execute(
            text(
                f"INSERT INTO attempts ({', '.join(columns)}) SELECT {', '.join(chosen)} "
                "FROM attempts a, generate_series(1, :count) WHERE a.id = :source"
            ),
            {"count": count, "source": source},
        )
        uow.session.execute(
            text(
                "INSERT INTO analyses (attempt_id, data, created_at) SELECT a.id, s.data, s.created_at "
                "FROM attempts a, analyses s "
                "WHERE s.attempt_id = :source AND a.id <> :source"
            ),
            {"source": source},
        )
        uow.commit()


def rescored_since(deps: Any) -> int:
    """Score rows at the current version (the copies' new rows; the live ones are few)."""
    from shared.db import models
    from shared.domain.scoring import SCORING_VERSION

    with deps.uow() as uow:
        return int(
            uow.session.scalar(
                select(func.count())
                .select_from(models.Score)
                .where(models.Score.scoring_version == SCORING_VERSION)
            )
        )


class LiveLoad:
    """Live attempts through the API (Flask test client), polled in the database."""

    def __init__(self, deps: Any, settings: Any, audio: bytes, piece_text: str) -> None:
        from tests.support.auth import as_learner
        from web import create_app

        self._deps, self._settings, self._audio = deps, settings, audio
        self._client = as_learner(create_app(settings).test_client())
        created = self._client.post("/api/v1/pieces", json={"title": "live", "text": piece_text})
        self._piece = created.get_json()["id"]
        self._sent = 0

    def send_rescore_run(self, batch: int) -> int:
        """Every pending attempt, in batches on the rescore queue, as ``recital rescore`` sends them."""
        from shared.domain.scoring import SCORING_VERSION
        from shared.queue import RescoreEnqueuer, build_celery
        from shared.services.rescoring import pending_attempts

        with self._deps.uow() as uow:
            pending = pending_attempts(uow, SCORING_VERSION)
        send = RescoreEnqueuer(build_celery(self._settings))
        for start in range(0, len(pending), batch):
            send(pending[start : start + batch])
        return len(pending)

    def window(self, count: int, interval: float) -> list[float]:
        """``count`` attempts submitted ``interval`` apart; their submit-to-done times in ms."""
        ids, next_at = [], time.monotonic()
        for _ in range(count):
            time.sleep(max(0.0, next_at - time.monotonic()))
            next_at += interval
            ids.append(self._submit())
        return self._wait_done(ids)

    def _submit(self) -> uuid.UUID:
        self._sent += 1
        unique = self._audio[:-4] + self._sent.to_bytes(4, "little")  # new bytes: no cached transcript
        response = self._client.post(
            f"/api/v1/pieces/{self._piece}/attempts",
            data={"recording": (io.BytesIO(unique), "live.wav")},
            content_type="multipart/form-data",
        )
        if response.status_code != 202:
            raise RuntimeError(f"submit: {response.status_code} {response.get_data(as_text=True)[:300]}")
        return uuid.UUID(response.get_json()["id"])

    def _wait_done(self, ids: list[uuid.UUID]) -> list[float]:
        from shared.db import models

        a = models.Attempt
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            with self._deps.uow() as uow:
                rows = uow.session.execute(
                    select(a.status, a.created_at, a.finished_at).where(a.id.in_(ids))
                ).all()
            if all(status in ("done", "failed") for status, _, _ in rows):
                if any(status == "failed" for status, _, _ in rows):
                    raise RuntimeError("a live attempt failed")
                return [(finished - created).total_seconds() * 1000 for _, created, finished in rows]
            time.sleep(0.1)
        raise TimeoutError("live attempts not done in 300 s")
