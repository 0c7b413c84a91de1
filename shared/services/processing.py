"""Processing one attempt: claim, decode, analyse, transcribe, score.

One call per delivery. Every outcome ends in Postgres: done, failed with a
code a learner can act on, or released for a retry with its stages kept.

Every commit of a job is written in ``run_attempt_job`` and ``_process``:
the claim; the end of the read of what earlier deliveries stored; the
analysis; the transcript; the score with ``done``; or a failure or release.
No transaction is open while the recording is fetched, decoded, analysed or
transcribed (seconds to minutes), so none holds a connection or row versions.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING

from shared.db.repositories.port import UnitOfWorkPort
from shared.domain.clock import utcnow
from shared.domain.text import NoWordsToRecite
from shared.domain.transcript import Transcript
from shared.services import claimed_job
from shared.services.claimed_job import ClaimedJob
from shared.services.lease import LeaseHeartbeat
from shared.services.messages import TOO_MANY_DELIVERIES, learner_message
from shared.settings import Settings
from shared.storage import RecordingMissing, Storage, StorageError

if TYPE_CHECKING:
    from shared.audio.types import Analysis, DecodedAudio
    from shared.domain.result import ScoredAttempt
    from shared.transcription.port import Transcriber

log = logging.getLogger("recital.processing")


@dataclass
class ProcessingContext:
    uow_factory: Callable[[], UnitOfWorkPort]
    storage: Storage
    transcriber: Callable[[], Transcriber]  # built lazily, once per worker process
    settings: Settings
    worker_id: str
    # Exceptions the task runner raises inside a job to stop it (e.g. Celery's
    # soft time limit): the attempt is released for another delivery.
    interrupts: tuple[type[BaseException], ...] = ()


@dataclass
class Outcome:
    attempt_id: uuid.UUID
    status: str  # done | failed | retry | busy | skipped
    delivery: int = 0
    error_code: str | None = None
    retry_in: float | None = None  # busy: seconds until the other worker's lease ends
    timings: dict[str, float] = field(default_factory=dict)

    def log_fields(self) -> dict[str, object]:
        """The summary line's values, as fields of a JSON log line."""
        fields = {"attempt_id": str(self.attempt_id), "status": self.status, "delivery": self.delivery}
        timings = {k: round(v, 4) for k, v in self.timings.items()}
        return fields | ({"error_code": self.error_code} if self.error_code else {}) | {"timings": timings}

    def summary(self) -> str:
        phases = " ".join(f"{k}={v:.3f}s" for k, v in self.timings.items())
        code = f" code={self.error_code}" if self.error_code else ""
        return f"attempt={self.attempt_id} status={self.status} delivery={self.delivery}{code} {phases}"


def run_attempt_job(attempt_id: uuid.UUID, ctx: ProcessingContext) -> Outcome:
    """One delivery of one attempt, start to end."""
    outcome = Outcome(attempt_id, "skipped")
    settings = ctx.settings
    with ctx.uow_factory() as uow:
        delivery = uow.attempts.claim(attempt_id, ctx.worker_id, settings.lease_seconds, utcnow())
        uow.commit()  # the claim: this worker now holds the lease
        if delivery is None:
            _not_claimed(uow, outcome)
        elif delivery > settings.max_deliveries:
            outcome.delivery = delivery
            _fail(uow, outcome, TOO_MANY_DELIVERIES)
        else:
            outcome.delivery = delivery
            with LeaseHeartbeat(ctx.uow_factory, attempt_id, ctx.worker_id, settings.lease_seconds):
                _process_or_settle(uow, ctx, outcome)
        uow.commit()  # a failure or release recorded above; otherwise it ends a read
    log.info(outcome.summary(), extra=outcome.log_fields())
    return outcome


def _process(uow: UnitOfWorkPort, ctx: ProcessingContext, outcome: Outcome) -> None:
    timed = PhaseTimer(outcome.timings).phase
    transcriber = ctx.transcriber()
    job = claimed_job.load(uow, outcome.attempt_id, outcome.delivery, transcriber)
    uow.commit()  # ends the read: nothing stays open across decoding and transcription
    analysis, audio = job.analysis, None
    if analysis is None or job.cached is None:
        with timed("decode"):
            audio = claimed_job.fetch_and_decode(ctx.storage, job, ctx.settings.max_duration_seconds)
    if analysis is None:
        with timed("analyse"):
            analysis = _analyse(_need(audio), job.reference_text)
        claimed_job.store_analysis(uow, job, analysis)
        uow.commit()  # stage "analysed": a redelivery does not decode for it again
    transcript = _transcript(job, transcriber, audio, timed)
    if job.record.transcript_id is None:
        claimed_job.store_transcript(uow, job, transcript)
        uow.commit()  # stage "transcribed": a redelivery never pays the engine again
    with timed("score"):
        result = _score(job, transcript, analysis, ctx.settings)
        claimed_job.store_score(uow, job, result)
        uow.commit()  # the score row and "done", together
    outcome.status = "done"


def _process_or_settle(uow: UnitOfWorkPort, ctx: ProcessingContext, outcome: Outcome) -> None:
    """``_process``, with each failure recorded (the caller commits it)."""
    from shared.audio.types import AudioError
    from shared.transcription.port import TranscriptionError

    try:
        _process(uow, ctx, outcome)
    except claimed_job.AttemptDeleted:
        _skip_deleted(uow, outcome)
    except AudioError as exc:
        _fail(uow, outcome, exc.code, exc.message)
    except NoWordsToRecite:  # a piece stored before texts were checked: recording again cannot help
        _fail(uow, outcome, "piece_has_no_words")
    except TranscriptionError as exc:
        _retry_or_fail(uow, outcome, exc.code, exc.message, exc.retryable, ctx.settings)
    except StorageError as exc:
        if isinstance(exc, RecordingMissing) and _deleted(uow, outcome):
            return  # the learner deleted it, recording first: nothing to retry
        _retry_or_fail(uow, outcome, "storage_unavailable", str(exc), True, ctx.settings)
    except ctx.interrupts:
        _retry_or_fail(uow, outcome, "processing_timeout", "", True, ctx.settings)
    except uow.database_errors:
        raise  # the database is the record; let the delivery be retried
    except Exception:
        # A bug or input our code cannot handle: fail this attempt, keep the others flowing.
        log.exception("processing attempt %s crashed", outcome.attempt_id)
        _fail(uow, outcome, "processing_error")


def _skip_deleted(uow: UnitOfWorkPort, outcome: Outcome) -> None:
    """The learner deleted the attempt mid-way: drop what this delivery wrote."""
    uow.rollback()
    outcome.status, outcome.error_code = "skipped", "attempt_deleted"


def _deleted(uow: UnitOfWorkPort, outcome: Outcome) -> bool:
    uow.rollback()
    if uow.attempts.hold(outcome.attempt_id):
        return False
    _skip_deleted(uow, outcome)
    return True


def _not_claimed(uow: UnitOfWorkPort, outcome: Outcome) -> None:
    """Done or failed: nothing to do. Held by a live lease: look again when it ends,
    in case its worker died (the message would otherwise be dropped)."""
    expires = uow.attempts.lease_expiry(outcome.attempt_id)
    if expires is not None:
        remaining = max(timedelta(0), expires - utcnow()).total_seconds()
        outcome.status, outcome.retry_in = "busy", remaining + 1.0


def _analyse(audio: DecodedAudio, reference_text: str) -> Analysis:
    from shared.pipeline import analyse_recording

    return analyse_recording(audio, reference_text)  # raises AudioError for unusable audio


def _transcript(
    job: ClaimedJob,
    transcriber: Transcriber,
    audio: DecodedAudio | None,
    timed: Callable[[str], AbstractContextManager[None]],
) -> Transcript:
    if job.cached is not None:
        return Transcript.from_dict(job.cached.data)
    with timed("transcribe"):
        return transcriber.transcribe(_need(audio), job.reference_text)


def _score(job: ClaimedJob, transcript: Transcript, analysis: Analysis, settings: Settings) -> ScoredAttempt:
    from shared.pipeline import score

    return score(job.reference_text, transcript, analysis, settings.scoring_options())


def _need(audio: DecodedAudio | None) -> DecodedAudio:
    if audio is None:
        raise RuntimeError("audio was not decoded")
    return audio


def _fail(uow: UnitOfWorkPort, outcome: Outcome, code: str, message: str | None = None) -> None:
    uow.rollback()
    uow.attempts.fail(outcome.attempt_id, code, message or learner_message(code), utcnow())
    outcome.status, outcome.error_code = "failed", code


def _retry_or_fail(
    uow: UnitOfWorkPort, outcome: Outcome, code: str, message: str, retryable: bool, settings: Settings
) -> None:
    if retryable and outcome.delivery < settings.max_deliveries:
        uow.rollback()
        uow.attempts.release(outcome.attempt_id, utcnow())
        outcome.status, outcome.error_code = "retry", code
    else:
        _fail(uow, outcome, code, learner_message(code, default=message))


class PhaseTimer:
    """Collects seconds per phase for the one summary log line per job."""

    def __init__(self, timings: dict[str, float]) -> None:
        self.timings = timings

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.timings[name] = time.perf_counter() - started
