"""Processing one attempt: claim, decode, analyse, transcribe, score.

One call per delivery. Every outcome ends in Postgres: done, failed with a
code a learner can act on, or released for a retry with its stages kept.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy.exc import DBAPIError

from shared.db.uow import UnitOfWork
from shared.domain.transcript import Transcript
from shared.services import claims, stages
from shared.services.lease import LeaseHeartbeat
from shared.services.messages import TOO_MANY_DELIVERIES, learner_message
from shared.services.recording_scores import score_recording
from shared.settings import Settings
from shared.storage import Storage, StorageError

if TYPE_CHECKING:
    from shared.audio.types import DecodedAudio
    from shared.transcription.port import Transcriber

log = logging.getLogger("recital.processing")


@dataclass
class ProcessingContext:
    uow_factory: Callable[[], UnitOfWork]
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

    def summary(self) -> str:
        phases = " ".join(f"{k}={v:.3f}s" for k, v in self.timings.items())
        code = f" code={self.error_code}" if self.error_code else ""
        return f"attempt={self.attempt_id} status={self.status} delivery={self.delivery}{code} {phases}"


def process_attempt(attempt_id: uuid.UUID, ctx: ProcessingContext) -> Outcome:
    outcome = Outcome(attempt_id, "skipped")
    with ctx.uow_factory() as uow:
        delivery = claims.claim(uow, attempt_id, ctx.worker_id, ctx.settings.lease_seconds)
        if delivery is None:
            _not_claimed(uow, outcome)
        elif delivery > ctx.settings.max_deliveries:
            outcome.delivery = delivery
            _fail(uow, outcome, TOO_MANY_DELIVERIES)
        else:
            outcome.delivery = delivery
            heartbeat = LeaseHeartbeat(ctx.uow_factory, attempt_id, ctx.worker_id, ctx.settings.lease_seconds)
            with heartbeat:
                _run_stages(uow, stages.load_job(uow, attempt_id, delivery), ctx, outcome)
    log.info(outcome.summary())
    return outcome


def _not_claimed(uow: UnitOfWork, outcome: Outcome) -> None:
    """Done or failed: nothing to do. Held by a live lease: look again when it ends,
    in case its worker died (the message would otherwise be dropped)."""
    remaining = claims.lease_remaining(uow, outcome.attempt_id)
    if remaining is not None:
        outcome.status, outcome.retry_in = "busy", remaining + 1.0


def _run_stages(uow: UnitOfWork, job: stages.Job, ctx: ProcessingContext, outcome: Outcome) -> None:
    from shared.audio.types import AudioError
    from shared.transcription.port import TranscriptionError

    try:
        _score(uow, job, ctx, outcome)
        outcome.status = "done"
    except AudioError as exc:
        _fail(uow, outcome, exc.code, exc.message)
    except TranscriptionError as exc:
        _retry_or_fail(uow, outcome, exc.code, exc.message, exc.retryable, ctx.settings)
    except StorageError as exc:
        _retry_or_fail(uow, outcome, "storage_unavailable", str(exc), True, ctx.settings)
    except ctx.interrupts:
        _retry_or_fail(uow, outcome, "processing_timeout", "", True, ctx.settings)
    except DBAPIError:
        raise  # the database is the record; let the delivery be retried
    except Exception:
        # A bug or input our code cannot handle: fail this attempt, keep the others flowing.
        log.exception("processing attempt %s crashed", job.attempt_id)
        _fail(uow, outcome, "processing_error")


def _score(uow: UnitOfWork, job: stages.Job, ctx: ProcessingContext, outcome: Outcome) -> None:
    timed = PhaseTimer(outcome.timings).phase
    analysis = stages.stored_analysis(uow, job.attempt_id)
    transcriber = ctx.transcriber()
    cached = stages.cached_transcript(uow, job, transcriber)
    audio: DecodedAudio | None = None
    if analysis is None or cached is None:
        with timed("decode"):
            audio = stages.fetch_and_decode(ctx.storage, job, ctx.settings.max_duration_seconds)
    if analysis is None:
        with timed("analyse"):
            analysis = stages.analyse_and_store(uow, job, _need(audio))
    transcript = _transcript(uow, job, transcriber, cached, audio, timed)
    with timed("score"):
        result = score_recording(job.reference_text, transcript, analysis, ctx.settings.scoring_options())
        stages.write_score(uow, job, result)


def _transcript(
    uow: UnitOfWork,
    job: stages.Job,
    transcriber: Transcriber,
    cached: object,
    audio: DecodedAudio | None,
    timed: Callable[[str], AbstractContextManager[None]],
) -> Transcript:
    from shared.db import models

    if isinstance(cached, models.Transcript):
        if job.transcript_id is None:
            stages.store_transcript(uow, job, Transcript.from_dict(cached.data), cached.context_key)
        return Transcript.from_dict(cached.data)
    with timed("transcribe"):
        transcript = transcriber.transcribe(_need(audio), job.reference_text)
    stages.store_transcript(uow, job, transcript, stages.stored_key(transcript, job.reference_text))
    return transcript


def _need(audio: DecodedAudio | None) -> DecodedAudio:
    if audio is None:
        raise RuntimeError("audio was not decoded")
    return audio


def _fail(uow: UnitOfWork, outcome: Outcome, code: str, message: str | None = None) -> None:
    uow.rollback()
    claims.fail(uow, outcome.attempt_id, code, message or learner_message(code))
    outcome.status, outcome.error_code = "failed", code


def _retry_or_fail(
    uow: UnitOfWork, outcome: Outcome, code: str, message: str, retryable: bool, settings: Settings
) -> None:
    if retryable and outcome.delivery < settings.max_deliveries:
        uow.rollback()
        claims.release(uow, outcome.attempt_id)
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
