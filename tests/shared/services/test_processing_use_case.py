"""Processing a delivery, on the in-memory unit of work: the use case alone.

Real decoding and analysis of a short synthesised recording in local storage,
a scripted engine (tests/support/fake_engine.py) and the fake repositories
(which keep the contract tests/shared/db/test_repository_contract.py checks
on Postgres). Each test takes milliseconds once the module has loaded the
audio code; tests/shared/services/test_processing.py runs the same job on
Postgres and the offline engine.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from shared.domain.clock import utcnow
from shared.services import processing
from shared.services.processing import ProcessingContext, run_attempt_job
from shared.settings import Settings
from shared.storage.local import LocalStorage
from shared.transcription.port import TranscriptionError
from tests.support.fake_engine import ScriptedEngine
from tests.support.fake_uow import FakeDatabase, FakeDatabaseError
from tests.support.recitations import synthesise

TEXT = "The Lord is my shepherd; I shall not want."


@pytest.fixture(scope="module")
def reading(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from shared.pipeline import analyse_recording, decode_recording

    path = synthesise(TEXT, tmp_path_factory.mktemp("uc") / "reading.wav")
    analyse_recording(decode_recording(path))  # loads the audio code once, as a worker does at start
    return path


@dataclass
class Worker:
    db: FakeDatabase
    storage: LocalStorage
    engine: ScriptedEngine
    settings: Settings

    def context(self, engine: ScriptedEngine | None = None) -> ProcessingContext:
        chosen = engine or self.engine
        return ProcessingContext(self.db.uow, self.storage, lambda: chosen, self.settings, "w1")

    def submit(self, recording: Path, text: str = TEXT, piece_of: uuid.UUID | None = None) -> uuid.UUID:
        data = recording.read_bytes()
        attempt_id = self.db.add_attempt(text, sha256=hashlib.sha256(data).hexdigest())
        row = self.db.attempt(attempt_id)
        if piece_of is not None:  # another attempt at the same piece
            row["piece_id"] = self.db.attempt(piece_of)["piece_id"]
        with recording.open("rb") as stream:
            self.storage.put(row["storage_key"], stream, "audio/wav")
        return attempt_id


@pytest.fixture
def worker(tmp_path: Path) -> Worker:
    db = FakeDatabase()
    engine = ScriptedEngine(before=lambda: _nothing_open(db))
    return Worker(db, LocalStorage(tmp_path / "store"), engine, Settings(home=tmp_path / "home"))


def _nothing_open(db: FakeDatabase) -> None:
    assert not db.open, "a transaction is open while the engine transcribes"


def test_a_first_delivery_stores_each_stage_and_holds_no_transaction_while_transcribing(
    worker: Worker, reading: Path
) -> None:
    attempt_id = worker.submit(reading)
    outcome = run_attempt_job(attempt_id, worker.context())
    row = worker.db.attempt(attempt_id)
    assert (outcome.status, row["status"], row["stage"], outcome.delivery) == ("done", "done", "done", 1)
    assert worker.engine.calls == 1 and row["transcript_id"] is not None
    assert attempt_id in worker.db.tables.analyses and len(worker.db.tables.scores) == 1
    assert set(outcome.timings) == {"decode", "analyse", "transcribe", "score"}
    assert not worker.db.open


def test_a_second_delivery_of_a_done_attempt_does_nothing(worker: Worker, reading: Path) -> None:
    attempt_id = worker.submit(reading)
    run_attempt_job(attempt_id, worker.context())
    assert run_attempt_job(attempt_id, worker.context()).status == "skipped"
    assert worker.engine.calls == 1 and len(worker.db.tables.scores) == 1


def test_another_workers_live_lease_means_look_again_when_it_ends(worker: Worker, reading: Path) -> None:
    attempt_id = worker.submit(reading)
    worker.db.set(
        attempt_id, status="processing", worker_id="w0", lease_expires_at=utcnow() + timedelta(seconds=30)
    )
    outcome = run_attempt_job(attempt_id, worker.context())
    assert outcome.status == "busy" and outcome.retry_in is not None and 29 < outcome.retry_in <= 31
    assert worker.engine.calls == 0


def test_an_engine_left_unconfigured_tells_the_learner_it_is_ours_not_a_setting_name(
    worker: Worker, reading: Path
) -> None:
    # RECITAL_TRANSCRIBER=openai without a key: the learner read "RECITAL_OPENAI_API_KEY
    # is not set", the engine's words for ops, as the reason their attempt failed.
    def unconfigured() -> ScriptedEngine:
        raise TranscriptionError("engine_not_configured", "RECITAL_OPENAI_API_KEY is not set")

    attempt_id = worker.submit(reading)
    context = ProcessingContext(worker.db.uow, worker.storage, unconfigured, worker.settings, "w1")
    outcome = run_attempt_job(attempt_id, context)
    row = worker.db.attempt(attempt_id)
    assert (outcome.status, row["error_code"]) == ("failed", "engine_not_configured")
    assert "RECITAL_" not in row["error_message"] and "later" in row["error_message"]


def test_a_delivery_past_the_limit_fails_the_attempt(worker: Worker, reading: Path) -> None:
    attempt_id = worker.submit(reading)
    worker.db.set(attempt_id, delivery_count=worker.settings.max_deliveries)
    outcome = run_attempt_job(attempt_id, worker.context())
    assert (outcome.status, outcome.error_code) == ("failed", "too_many_deliveries")
    assert worker.db.attempt(attempt_id)["error_message"]


def test_a_cached_transcript_and_stored_analysis_need_no_audio_and_no_engine(
    worker: Worker, reading: Path
) -> None:
    first = worker.submit(reading)
    run_attempt_job(first, worker.context())
    second = worker.submit(reading, piece_of=first)
    (worker.storage.root / worker.db.attempt(second)["storage_key"]).unlink()
    worker.db.tables.analyses[second] = worker.db.tables.analyses[first]
    outcome = run_attempt_job(second, worker.context())
    assert outcome.status == "done" and worker.engine.calls == 1  # the file is gone: nothing fetched
    assert worker.db.attempt(second)["transcript_id"] == worker.db.attempt(first)["transcript_id"]


def test_a_new_recognition_version_is_never_served_an_old_transcript(worker: Worker, reading: Path) -> None:
    first = worker.submit(reading)
    run_attempt_job(first, worker.context())
    newer = ScriptedEngine(recognition_version="scripted-2026.12.2")
    second = worker.submit(reading, piece_of=first)
    assert run_attempt_job(second, worker.context(newer)).status == "done"
    third = worker.submit(reading, piece_of=first)
    assert run_attempt_job(third, worker.context(newer)).status == "done"
    assert (worker.engine.calls, newer.calls) == (1, 1)  # the new version heard it once, then it was cached
    assert worker.db.attempt(second)["transcript_id"] != worker.db.attempt(first)["transcript_id"]


def test_a_retryable_engine_error_releases_the_attempt_with_its_analysis_kept(
    worker: Worker, reading: Path
) -> None:
    failing = ScriptedEngine(error=TranscriptionError("engine_unavailable", "down", retryable=True),
                             before=lambda: _nothing_open(worker.db))  # fmt: skip
    attempt_id = worker.submit(reading)
    outcome = run_attempt_job(attempt_id, worker.context(failing))
    row = worker.db.attempt(attempt_id)
    assert (outcome.status, outcome.error_code, row["status"], row["stage"]) == (
        "retry", "engine_unavailable", "queued", "analysed")  # fmt: skip
    # The redelivery resumes after the analysis, with no transaction open across the engine.
    assert run_attempt_job(attempt_id, worker.context()).status == "done"
    assert worker.engine.calls == 1


def test_the_last_delivery_of_a_retryable_error_fails_with_its_code(worker: Worker, reading: Path) -> None:
    failing = ScriptedEngine(error=TranscriptionError("engine_unavailable", "down", retryable=True))
    attempt_id = worker.submit(reading)
    worker.db.set(attempt_id, delivery_count=worker.settings.max_deliveries - 1)
    outcome = run_attempt_job(attempt_id, worker.context(failing))
    assert (outcome.status, worker.db.attempt(attempt_id)["error_code"]) == ("failed", "engine_unavailable")


def test_a_missing_recording_is_retried_as_a_storage_failure(worker: Worker, reading: Path) -> None:
    attempt_id = worker.submit(reading)
    (worker.storage.root / worker.db.attempt(attempt_id)["storage_key"]).unlink()
    outcome = run_attempt_job(attempt_id, worker.context())
    assert (outcome.status, outcome.error_code) == ("retry", "storage_unavailable")
    assert worker.db.attempt(attempt_id)["status"] == "queued"


def test_unusable_audio_fails_with_a_sentence_a_learner_can_act_on(worker: Worker, tmp_path: Path) -> None:
    silent = tmp_path / "silent.wav"
    sf.write(silent, np.zeros(16000 * 2, dtype=np.float32), 16000)
    attempt_id = worker.submit(silent)
    outcome = run_attempt_job(attempt_id, worker.context())
    row = worker.db.attempt(attempt_id)
    assert (outcome.status, row["error_code"], worker.engine.calls) == ("failed", "too_quiet", 0)
    assert "microphone" in row["error_message"] and not worker.db.open


def test_a_crash_in_our_code_fails_only_this_attempt(
    worker: Worker, reading: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def bug(*_args: object) -> None:
        raise KeyError("a bug in scoring")

    monkeypatch.setattr(processing, "_score", bug)
    attempt_id = worker.submit(reading)
    outcome = run_attempt_job(attempt_id, worker.context())
    assert (outcome.status, outcome.error_code) == ("failed", "processing_error")
    assert worker.db.attempt(attempt_id)["stage"] == "failed" and not worker.db.tables.scores


@pytest.mark.parametrize("text", ["…", "Отче наш, иже еси на небесех"])
def test_a_piece_with_no_readable_words_fails_saying_so_not_record_again(
    worker: Worker, reading: Path, text: str
) -> None:
    """Stored before texts were checked (QA: every recording of a Russian or Chinese text
    failed "Something went wrong … Please record it again")."""
    attempt_id = worker.submit(reading, text=text)
    outcome = run_attempt_job(attempt_id, worker.context())
    row = worker.db.attempt(attempt_id)
    assert (outcome.status, row["error_code"]) == ("failed", "piece_has_no_words")
    assert "record it again" not in row["error_message"] and "Latin alphabet" in row["error_message"]


def test_a_database_failure_is_not_recorded_as_the_attempts_failure(worker: Worker, reading: Path) -> None:
    def database_down() -> None:
        raise FakeDatabaseError("connection lost")

    attempt_id = worker.submit(reading)
    with pytest.raises(FakeDatabaseError):  # the delivery is retried; the attempt is not failed
        run_attempt_job(attempt_id, worker.context(ScriptedEngine(before=database_down)))
    assert worker.db.attempt(attempt_id)["status"] == "processing"


def _delete(db: FakeDatabase, attempt_id: uuid.UUID) -> None:
    with db.uow() as uow:
        uow.attempts.delete([attempt_id])
        uow.commit()


def test_an_attempt_deleted_while_it_is_transcribed_is_dropped_with_nothing_written(
    worker: Worker, reading: Path
) -> None:
    attempt_id = worker.submit(reading)
    engine = ScriptedEngine(before=lambda: _delete(worker.db, attempt_id))
    outcome = run_attempt_job(attempt_id, worker.context(engine))
    assert (outcome.status, outcome.error_code) == ("skipped", "attempt_deleted")
    tables = worker.db.tables
    assert not tables.transcripts and not tables.scores and attempt_id not in tables.analyses
    assert not worker.db.open


class DeletingStorage(LocalStorage):
    """The learner deletes the attempt (recording first) as the worker fetches it."""

    def __init__(self, root: Path, db: FakeDatabase, attempt_id: uuid.UUID) -> None:
        super().__init__(root)
        self.db, self.attempt_id = db, attempt_id

    def download_to(self, key: str, path: Path) -> None:
        self.delete(key)
        _delete(self.db, self.attempt_id)
        super().download_to(key, path)


def test_an_attempt_deleted_while_its_recording_is_fetched_is_not_retried(
    worker: Worker, reading: Path
) -> None:
    attempt_id = worker.submit(reading)
    worker.storage = DeletingStorage(worker.storage.root, worker.db, attempt_id)
    outcome = run_attempt_job(attempt_id, worker.context())
    assert (outcome.status, outcome.error_code) == ("skipped", "attempt_deleted")
    assert worker.engine.calls == 0 and not worker.db.open
