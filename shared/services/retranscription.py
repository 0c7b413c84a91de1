"""Re-transcription runs: the audio sent to the engine again, within one budget.

For each attempt of a batch whose stored transcript came from other
recognition than the current engine's (engine, model, recognition version):
reserve its audio seconds against the run's spend cap (one conditional
UPDATE on the run's row: every worker shares it), take the shared rate limit
(a Redis token bucket), fetch and decode the recording, recognise it through
``shared.pipeline.recognise``, and store the transcript as a new row (the
old row, which older scores were built from, stays) linked to the attempt.
Each transcript is committed before the next engine call, so a crash or a
redelivery never pays for one twice: the next delivery finds it by its key.
Then the batch is scored and counted as any run's batch.

When the cap is reached the run is ``paused``: this batch scores what it has
re-transcribed and stops; the attempts not re-transcribed stay pending for
``recital rescore resume``.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass

from shared.db.repositories.runs_port import RunsUnitOfWork
from shared.domain.clock import utcnow
from shared.domain.scoring import ScoringOptions
from shared.rate_bucket import SharedRateLimit
from shared.services import claimed_job
from shared.services.rescore_runs import SentBeforeResume, count_into_run
from shared.services.rescoring import Interrupts, RescoreReport, rescore_attempts
from shared.storage import Storage, StorageError
from shared.transcription.port import Transcriber

log = logging.getLogger("recital.retranscription")
UowFactory = Callable[[], AbstractContextManager[RunsUnitOfWork]]
RATE_WAIT_SECONDS = 30.0  # longest wait for the shared rate limit before the attempt waits for a later run


@dataclass(frozen=True)
class Engine:
    transcriber: Transcriber
    storage: Storage
    limit: SharedRateLimit
    max_seconds: float


def retranscribe_batch(
    new_uow: UowFactory,
    engine: Engine,
    run_id: uuid.UUID,
    batch_no: int,
    attempt_ids: Sequence[uuid.UUID],
    options: ScoringOptions,
    interrupts: Interrupts = (),
) -> RescoreReport | None:
    """None when the run is not running; else the scoring report of what was re-transcribed.

    When the cap is reached the run is paused in the same transaction that counts
    this batch, so a paused run's counts already hold what the batch scored."""
    ready: list[uuid.UUID] = []
    failed: list[tuple[uuid.UUID, str]] = []
    outcome, started = "ready", time.perf_counter()
    for attempt_id in attempt_ids:
        outcome = _retranscribe_one(new_uow, engine, run_id, batch_no, attempt_id)
        if outcome in ("stopped", "capped"):
            break
        if outcome == "ready":
            ready.append(attempt_id)
        else:
            failed.append((attempt_id, outcome))
    capped, retranscribing = outcome == "capped", time.perf_counter() - started
    with new_uow() as uow:
        if outcome in ("stopped", "capped") and not ready and not failed:
            if capped:
                _pause(uow, run_id)
                uow.commit()
            return None

        def count(report: RescoreReport) -> None:
            report.failed += failed
            count_into_run(uow, run_id, batch_no, report)
            if capped:
                _pause(uow, run_id)

        try:
            report = rescore_attempts(uow, ready, options, interrupts, before_commit=count, run_id=run_id)
        except SentBeforeResume:  # its transcripts stay stored: the resumed plan links them
            uow.rollback()
            return None
    # The batch's summary line leads with the engine's phase, nearly all of its time (QA).
    report.timings = {"retranscribe": retranscribing, **report.timings}
    return report


def _pause(uow: RunsUnitOfWork, run_id: uuid.UUID) -> None:
    if uow.runs.change_state(run_id, "paused", ("running",), utcnow()):
        log.info("rescore run=%s paused: the spend cap is reached", run_id)


def _retranscribe_one(
    new_uow: UowFactory, engine: Engine, run_id: uuid.UUID, batch_no: int, attempt_id: uuid.UUID
) -> str:
    """``_retranscribe``, with a stored row that does not parse failing its own attempt
    only, as in a plain re-scoring run (QA: one damaged analysis failed its batch of 200)."""
    try:
        return _retranscribe(new_uow, engine, run_id, batch_no, attempt_id)
    except ValueError as exc:  # orjson's and json's decode errors, and input scoring refuses
        log.warning("retranscribe attempt=%s failed: %s", attempt_id, exc)
        return f"{type(exc).__name__}: {exc}"


def _retranscribe(
    new_uow: UowFactory, engine: Engine, run_id: uuid.UUID, batch_no: int, attempt_id: uuid.UUID
) -> str:
    """ "ready" (re-transcribed now or before), "stopped" (run not running, or the batch
    sent before it was resumed), "capped"
    (the cap is reached: the caller pauses the run), or a failure's reason."""
    with new_uow() as uow:
        run = uow.runs.get(run_id)
        if run is None or not run.takes_batch(batch_no):
            return "stopped"
        job = claimed_job.load(uow, attempt_id, 0, engine.transcriber)
        key = claimed_job.lookup_key(engine.transcriber, job.record)
        found = uow.results.find_transcript(key)
        if found is not None:  # current recognition already heard it (an earlier delivery)
            uow.runs.relink_transcript(attempt_id, found.id)
            uow.commit()
            return "ready"
        seconds = job.analysis.duration if job.analysis else 0.0
        if not uow.runs.reserve_audio(run_id, seconds):
            return "capped"
        uow.commit()
    if not engine.limit.take(seconds, RATE_WAIT_SECONDS):
        return "rate_limited: the shared rate limit did not allow it in time"
    return _recognise_and_store(new_uow, engine, job)


def _recognise_and_store(new_uow: UowFactory, engine: Engine, job: claimed_job.ClaimedJob) -> str:
    from shared.audio.types import AudioError
    from shared.pipeline import recognise
    from shared.transcription.port import TranscriptionError

    try:
        audio = claimed_job.fetch_and_decode(engine.storage, job, engine.max_seconds)
        transcript = recognise(audio, job.reference_text, engine.transcriber).transcript
    except (AudioError, TranscriptionError, StorageError) as exc:
        log.warning("retranscribe attempt=%s failed: %s", job.attempt_id, exc)
        return f"{type(exc).__name__}: {exc}"
    with new_uow() as uow:
        key = claimed_job.stored_key(job.record, transcript)
        transcript_id = uow.results.save_transcript(key, transcript.text, transcript.to_stored(), utcnow())
        uow.runs.relink_transcript(job.attempt_id, transcript_id)
        uow.commit()
    return "ready"
