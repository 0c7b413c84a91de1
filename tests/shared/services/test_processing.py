"""Processing one attempt on real Postgres and the real offline engine."""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from shared.audio.types import DecodedAudio
from shared.container import Container
from shared.db import models
from shared.domain.transcript import Transcript
from shared.services import claimed_job
from shared.services.erasure import delete_attempt
from shared.services.pieces import create_piece
from shared.services.processing import run_attempt_job
from shared.services.submission import Submission, submit_attempt
from shared.transcription.offline import OfflineTranscriber
from shared.transcription.port import TranscriptionError
from tests.support.attempts import learner
from tests.support.fake_engine import ScriptedEngine
from tests.support.recitations import synthesise

TEXT = "The Lord is my shepherd; I shall not want."


@dataclass
class CountingEngine:
    """The real offline engine, counting how often it is asked to transcribe."""

    inner: OfflineTranscriber = field(default_factory=OfflineTranscriber)
    calls: int = 0
    engine: str = "offline"
    model: str = OfflineTranscriber.model
    recognition_version: str = OfflineTranscriber.recognition_version
    uses_reference: bool = True

    def transcribe(self, audio: DecodedAudio, reference_text: str | None = None) -> Transcript:
        self.calls += 1
        return self.inner.transcribe(audio, reference_text)


@pytest.fixture(scope="module")
def reading(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return synthesise(TEXT, tmp_path_factory.mktemp("r") / "reading.wav")


def submit(pg: Container, piece_id: uuid.UUID, audio: Path) -> uuid.UUID:
    with pg.uow() as uow, audio.open("rb") as recording:
        submission = Submission(learner=learner(pg).id, piece_id=piece_id, recording=recording)
        return submit_attempt(uow, pg.storage, lambda _id: None, submission, 10**8).attempt_id


def new_piece(pg: Container, text: str = TEXT) -> uuid.UUID:
    with pg.uow() as uow:
        return create_piece(uow, learner(pg), "Psalm", text).id


def count(pg: Container, table: type[models.Base], **where: object) -> int:
    with pg.uow() as uow:
        query = select(func.count()).select_from(table).filter_by(**where)
        return int(uow.session.scalar(query) or 0)


def test_an_attempt_is_scored_once_and_redelivery_does_nothing(pg: Container, reading: Path) -> None:
    engine = CountingEngine()
    ctx = pg.processing_context()
    ctx.transcriber = lambda: engine
    attempt_id = submit(pg, new_piece(pg), reading)
    assert run_attempt_job(attempt_id, ctx).status == "done"
    assert run_attempt_job(attempt_id, ctx).status == "skipped"
    assert engine.calls == 1 and count(pg, models.Score, attempt_id=attempt_id) == 1


def test_transcripts_are_cached_per_audio_and_piece(pg: Container, reading: Path) -> None:
    engine = CountingEngine()
    ctx = pg.processing_context()
    ctx.transcriber = lambda: engine
    # Texts no other test uses: the cache is shared by every attempt in the database.
    first_piece = new_piece(pg, TEXT + " Amen.")
    other_piece = new_piece(pg, TEXT + " He maketh me to lie down.")
    for piece in (first_piece, first_piece, other_piece):
        assert run_attempt_job(submit(pg, piece, reading), ctx).status == "done"
    # The same recording for the same piece reuses the transcript; for another
    # piece the piece-biased engine must listen again.
    assert engine.calls == 2


def test_unusable_audio_fails_with_a_code_a_learner_can_act_on(pg: Container, tmp_path: Path) -> None:
    import numpy as np
    import soundfile as sf

    silent = tmp_path / "silent.wav"
    sf.write(silent, np.zeros(16000 * 3, dtype=np.float32), 16000)
    attempt_id = submit(pg, new_piece(pg), silent)
    outcome = run_attempt_job(attempt_id, pg.processing_context())
    assert (outcome.status, outcome.error_code) == ("failed", "too_quiet")
    with pg.uow() as uow:
        attempt = uow.session.get_one(models.Attempt, attempt_id)
        assert attempt.status == "failed" and "microphone" in (attempt.error_message or "")


def open_transactions(pg: Container) -> int:
    """Sessions of this database idling inside a transaction, as Postgres sees them."""
    query = text(
        "SELECT count(*) FROM pg_stat_activity"
        " WHERE datname = current_database() AND state LIKE 'idle in transaction%'"
    )
    with pg.engine.connect() as connection:
        return int(connection.execute(query).scalar_one())


@dataclass
class WatchingEngine(CountingEngine):
    """Looks at Postgres from the moment transcription starts."""

    pg: Container | None = None
    seen_open: list[int] = field(default_factory=list)
    fail_with: TranscriptionError | None = None

    def transcribe(self, audio: DecodedAudio, reference_text: str | None = None) -> Transcript:
        assert self.pg is not None
        self.seen_open.append(open_transactions(self.pg))
        if self.fail_with is not None:
            raise self.fail_with
        return super().transcribe(audio, reference_text)


def test_no_transaction_is_open_while_a_redelivery_transcribes(pg: Container, reading: Path) -> None:
    """The case that used to hold one: the analysis stored, the transcript not yet."""
    down = TranscriptionError("engine_unavailable", "down", retryable=True)
    failing, engine = WatchingEngine(pg=pg, fail_with=down), WatchingEngine(pg=pg)
    attempt_id = submit(pg, new_piece(pg, TEXT + " Surely goodness."), reading)
    ctx = pg.processing_context()
    ctx.transcriber = lambda: failing
    assert run_attempt_job(attempt_id, ctx).status == "retry"
    ctx.transcriber = lambda: engine
    assert run_attempt_job(attempt_id, ctx).status == "done"
    assert failing.seen_open == [0] and engine.seen_open == [0] and engine.calls == 1


@dataclass
class DeletingEngine(CountingEngine):
    """The learner deletes the attempt while the engine listens to it."""

    pg: Container | None = None
    attempt_id: uuid.UUID | None = None

    def transcribe(self, audio: DecodedAudio, reference_text: str | None = None) -> Transcript:
        assert self.pg is not None and self.attempt_id is not None
        with self.pg.uow() as uow:
            delete_attempt(uow, self.pg.storage, learner(self.pg), self.attempt_id)
        return super().transcribe(audio, reference_text)


def test_an_attempt_deleted_while_it_is_transcribed_leaves_nothing_of_what_was_said(
    pg: Container, reading: Path
) -> None:
    piece = new_piece(pg, TEXT + " Thy rod and thy staff.")
    attempt_id = submit(pg, piece, reading)
    ctx = pg.processing_context()
    ctx.transcriber = lambda: DeletingEngine(pg=pg, attempt_id=attempt_id)
    outcome = run_attempt_job(attempt_id, ctx)
    assert (outcome.status, outcome.error_code) == ("skipped", "attempt_deleted")
    assert count(pg, models.Attempt, id=attempt_id) == 0
    assert count(pg, models.Score, attempt_id=attempt_id) == 0
    assert count(pg, models.Analysis, attempt_id=attempt_id) == 0
    piece_key = claimed_job.context_key(True, TEXT + " Thy rod and thy staff.")
    assert count(pg, models.Transcript, context_key=piece_key) == 0


def test_a_delete_waits_for_a_stage_being_written_and_removes_it_too(pg: Container, reading: Path) -> None:
    """The worker's transaction holds the attempt while it writes the transcript;
    the learner's delete, arriving then, waits and removes that transcript too."""
    attempt_id = submit(pg, new_piece(pg, TEXT + " Goodness and mercy."), reading)
    heard = Transcript.from_dict({"words": [{"text": "the", "start": 0.1, "end": 0.3}],
                                  "engine": "scripted", "model": "scripted-1"})  # fmt: skip
    errors: list[BaseException] = []

    def learner_deletes() -> None:
        try:
            with pg.uow() as uow:
                delete_attempt(uow, pg.storage, learner(pg), attempt_id)
        except BaseException as exc:  # reported by the assertion below
            errors.append(exc)

    with pg.uow() as uow:
        job = claimed_job.load(uow, attempt_id, 1, ScriptedEngine())
        claimed_job.store_transcript(uow, job, heard)
        deleting = threading.Thread(target=learner_deletes)
        deleting.start()
        deleting.join(1.0)
        assert deleting.is_alive(), "the delete did not wait for the worker's transaction"
        transcript_id = uow.attempts.job(attempt_id).transcript_id
        uow.commit()
    deleting.join(30)
    assert not deleting.is_alive() and not errors, errors
    assert count(pg, models.Attempt, id=attempt_id) == count(pg, models.Transcript, id=transcript_id) == 0
