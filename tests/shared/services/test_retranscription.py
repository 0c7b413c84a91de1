"""A re-transcription batch on real Postgres with the offline engine: one damaged stored
row fails its own attempt, as in a plain re-scoring run (QA: it failed the whole batch)."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text, update

from shared.container import Container
from shared.db import models
from shared.db.repositories.runs_port import RunFilter
from shared.domain.clock import utcnow
from shared.domain.scoring import SCORING_VERSION
from shared.services.rescore_runs import resume_run, start_run
from shared.services.retranscription import Engine, retranscribe_batch
from tests.support.attempts import TEXT, new_piece, scored_long_ago
from tests.support.recitations import synthesise


class Unlimited:
    """The shared rate limit (Redis) is not what this test is about."""

    def take(self, audio_seconds: float, wait_seconds: float) -> bool:
        return True


@pytest.fixture(scope="module")
def reading(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return synthesise(TEXT, tmp_path_factory.mktemp("r") / "reading.wav")


def test_a_damaged_analysis_fails_its_attempt_and_the_rest_of_the_batch_is_heard(
    pg: Container, reading: Path
) -> None:
    handle = f"retranscribed-{uuid.uuid4().hex[:8]}"
    # Texts of their own: transcripts are shared per recording and text, and other tests
    # in this database damage theirs.
    good = scored_long_ago(pg, new_piece(pg, f"{TEXT} Amen, {handle}."), reading)
    damaged = scored_long_ago(pg, new_piece(pg, f"{TEXT} Selah, {handle}."), reading)
    with pg.uow() as uow:
        ids = [good, damaged]
        transcripts = select(models.Attempt.transcript_id).where(models.Attempt.id.in_(ids))
        stale = update(models.Transcript).where(models.Transcript.id.in_(transcripts))
        uow.session.execute(stale.values(recognition_version="old"))  # both to be heard again
        damage = text("UPDATE analyses SET data = decode('00ff00ff', 'hex') WHERE attempt_id = :id")
        uow.session.execute(damage, {"id": damaged})
        uow.commit()
    with pg.uow() as uow:
        run = start_run(uow, RunFilter(), f"test:{handle}", "retranscribe")
    engine = Engine(pg.transcriber(), pg.storage, Unlimited(), pg.settings.max_duration_seconds)  # type: ignore[arg-type]
    report = retranscribe_batch(pg.uow, engine, run.id, 0, [damaged, good], pg.settings.scoring_options())
    assert report is not None and report.scored == 1
    assert report.summary().split()[3].startswith("retranscribe=")  # the engine's phase leads the line
    assert report.timings["retranscribe"] > report.timings["score"]
    assert [attempt for attempt, _ in report.failed] == [damaged] and "UTF-8" in report.failed[0][1]
    with pg.uow() as uow:
        counted = uow.runs.get(run.id)
        assert counted is not None and (counted.done, counted.failed) == (1, 1)
        relinked = uow.session.get_one(models.Attempt, good).transcript_id
        assert uow.session.get_one(models.Transcript, relinked).recognition_version != "old"


class ResumedWhileHearing:
    """The engine, and while it hears a recording another worker's batch pauses the run
    at its cap and an admin resumes it."""

    def __init__(self, inner: Any, pg: Container, run_id: uuid.UUID) -> None:
        self._inner, self._pg, self._run_id, self.calls = inner, pg, run_id, 0
        self.engine, self.model = inner.engine, inner.model
        self.recognition_version = inner.recognition_version
        self.uses_reference = getattr(inner, "uses_reference", False)  # part of the transcript's key

    def transcribe(self, audio: Any, reference_text: str | None = None) -> Any:
        self.calls += 1
        with self._pg.uow() as uow:
            if uow.runs.change_state(self._run_id, "paused", ("running",), utcnow()):
                uow.commit()
                resume_run(uow, self._run_id, None)
        return self._inner.transcribe(audio, reference_text)


def test_a_batch_resumed_under_keeps_its_transcript_writes_no_score_and_the_resumed_batch_counts_it(
    pg: Container, reading: Path
) -> None:
    """QA: a re-transcription batch in flight across a resume wrote its score uncounted."""
    handle = f"resumed-{uuid.uuid4().hex[:8]}"
    attempt = scored_long_ago(pg, new_piece(pg, f"{TEXT} Amen, {handle}."), reading)
    with pg.uow() as uow:
        transcripts = select(models.Attempt.transcript_id).where(models.Attempt.id == attempt)
        old = update(models.Transcript).where(models.Transcript.id.in_(transcripts))
        uow.session.execute(old.values(recognition_version="old"))
        uow.commit()
        run = start_run(uow, RunFilter(), f"test:{handle}", "retranscribe")
        assert uow.runs.take_batch_no(run.id) == 0  # as plan_run numbers a batch before sending it
        uow.commit()
    hearing = ResumedWhileHearing(pg.transcriber(), pg, run.id)
    engine = Engine(hearing, pg.storage, Unlimited(), pg.settings.max_duration_seconds)  # type: ignore[arg-type]
    options = pg.settings.scoring_options()
    assert retranscribe_batch(pg.uow, engine, run.id, 0, [attempt], options) is None
    assert rows_at_current_version(pg, attempt) == 0
    with pg.uow() as uow:
        resumed = uow.runs.get(run.id)
        assert resumed is not None and resumed.first_live_batch == 1
    report = retranscribe_batch(pg.uow, engine, run.id, 1, [attempt], options)  # the resumed plan's
    assert report is not None and report.scored == 1
    assert hearing.calls == 1  # its transcript was kept: not heard again
    with pg.uow() as uow:
        counted = uow.runs.get(run.id)
        assert counted is not None and (counted.done, counted.skipped) == (1, 0)


def rows_at_current_version(pg: Container, attempt: uuid.UUID) -> int:
    with pg.uow() as uow:
        query = select(models.Score).filter_by(attempt_id=attempt, scoring_version=SCORING_VERSION)
        return len(list(uow.session.scalars(query)))
