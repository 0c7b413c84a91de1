"""Thin consumers: one per queue, each calling one service."""

from __future__ import annotations

import logging
import time
import uuid
from dataclasses import replace
from typing import Any

from celery import Task, shared_task
from celery.exceptions import SoftTimeLimitExceeded

from shared.observability.context import message_headers
from shared.observability.metrics import record_job, record_rescore_batch
from shared.queue import (
    PROCESS_ATTEMPT,
    RESCORE_BATCH,
    RESCORE_PLAN,
    REWRITE_COACHING,
    SWEEP,
    CeleryEnqueuer,
    RescoreEnqueuer,
)
from shared.services.coaching import rewrite_coaching as rewrite_coaching_service
from shared.services.processing import run_attempt_job
from shared.services.rescore_runs import count_stopped_batch, plan_run, run_batch
from shared.services.rescoring import RescoreReport, rescore_attempts
from shared.services.sweeper import sweep as sweep_service
from workers.celery_app import container

# Loaded here, in the worker's main process, so pool children forked after a
# crash or a memory-cap recycle do not each pay seconds of librosa/scipy imports.
import shared.audio.analysis  # noqa: E402,F401  isort: skip
import shared.audio.decode  # noqa: E402,F401  isort: skip
import shared.transcription.factory  # noqa: E402,F401  isort: skip
from librosa import yin as _yin  # noqa: E402,F401  isort: skip - librosa loads lazily on first use

log = logging.getLogger("recital.tasks")

# Back-off before the next delivery after a retryable failure. A countdown
# message waits reserved (unacked) in a worker, so it must stay below the
# broker's visibility timeout or Redis hands it out a second time.
RETRY_BACKOFF_SECONDS = (5, 30, 120)


def retry_countdown(delivery: int, visibility_timeout: float) -> float:
    """Seconds before retrying after ``delivery``: the back-off, capped at half the visibility timeout."""
    backoff = RETRY_BACKOFF_SECONDS[min(max(delivery, 1), len(RETRY_BACKOFF_SECONDS)) - 1]
    return min(float(backoff), visibility_timeout / 2)


@shared_task(bind=True, name=PROCESS_ATTEMPT, max_retries=None)
def process_attempt(self: Task, attempt_id: str) -> str:
    context = replace(container().processing_context(), interrupts=(SoftTimeLimitExceeded,))
    with container().live_work.busy():  # a rescore worker beside it gives way (docs/operations.md)
        outcome = run_attempt_job(uuid.UUID(attempt_id), context)
    record_job(outcome.status, outcome.error_code, outcome.timings)
    visibility = container().settings.visibility_timeout_seconds
    if outcome.status == "retry":
        raise self.retry(countdown=retry_countdown(outcome.delivery, visibility))
    if outcome.status == "busy" and outcome.retry_in is not None:
        # Another worker holds a live lease. If it died, this look-again claims the
        # attempt once the lease runs out, without waiting for the sweeper.
        raise self.retry(countdown=min(outcome.retry_in, visibility / 2))
    if outcome.status == "done" and container().settings.openai_api_key is not None:
        _ask_for_coaching(attempt_id)
    return outcome.status


def _ask_for_coaching(attempt_id: str) -> None:
    """Send the rewrite task; the score is stored already, so a failed send costs only the rewrite.
    Stamped like the enqueuers' messages: its sent time gives the maintenance queue an age
    (``RecitalMaintenanceWaiting``), and the upload's request id follows it into the logs."""
    try:
        rewrite_coaching.apply_async(args=(attempt_id,), headers=message_headers())
    except Exception:  # noqa: BLE001 - the broker's many errors all mean the same here
        log.warning("coaching rewrite not sent attempt=%s", attempt_id, exc_info=True)


@shared_task(name=REWRITE_COACHING)
def rewrite_coaching(attempt_id: str) -> str:
    """A chat model rewords the rule-built note. Its failure leaves the rule note in place."""
    import openai

    from shared.coaching.openai_writer import OpenAICoachWriter

    deps = container()
    try:
        with deps.uow() as uow:
            note = rewrite_coaching_service(uow, OpenAICoachWriter(deps.settings), uuid.UUID(attempt_id))
    except openai.OpenAIError as exc:
        log.warning("coaching rewrite failed attempt=%s error=%s", attempt_id, exc.__class__.__name__)
        return "failed"
    return "rewritten" if note else "kept"


@shared_task(name=SWEEP)
def sweep() -> dict[str, int]:
    deps = container()
    enqueue = CeleryEnqueuer(process_attempt.app)
    with deps.uow() as uow:
        report = sweep_service(uow, enqueue, deps.settings.stuck_queued_seconds, deps.settings.max_deliveries)
    return {"resent": report.resent, "failed": report.failed}


@shared_task(name=RESCORE_BATCH)
def rescore_batch(attempt_ids: list[str], run_id: str | None = None, batch_no: int = 0) -> dict[str, int]:
    """Stored transcripts and analyses, scored again: no audio, no engine. A redelivered
    batch (acks late) adds nothing, since score rows are unique per version, and a
    run's batch is counted into its run once, even when it raises."""
    ids = [uuid.UUID(i) for i in attempt_ids]
    try:
        report = _rescore_batch(ids, run_id, batch_no)
    except Exception as exc:
        if run_id is not None:  # else the run would wait for this batch for ever
            _count_stopped(uuid.UUID(run_id), batch_no, ids, _first_cause(exc))
        raise
    if report is None:
        log.info(
            "rescore run=%s batch=%d stopped: the run is not running, or was resumed since", run_id, batch_no
        )
        return {"scored": 0, "skipped": 0, "failed": 0, "stopped": 1}  # not counted as a batch done
    log.info("rescore run=%s batch=%d size=%d %s", run_id or "-", batch_no, len(ids), report.summary())
    return {"scored": report.scored, "skipped": report.skipped, "failed": len(report.failed)}


def _rescore_batch(ids: list[uuid.UUID], run_id: str | None, batch_no: int) -> RescoreReport | None:
    deps = container()
    options = deps.settings.scoring_options()
    # Past the soft time limit the batch fails whole, so the hard limit never
    # kills it to be redelivered; its attempts stay pending for the next run.
    interrupts = (SoftTimeLimitExceeded,)
    give_way = deps.live_work.give_way  # live attempts on this machine come first
    with deps.uow() as uow:
        if run_id is None:
            return rescore_attempts(uow, ids, options, interrupts=interrupts, give_way=give_way)
        if _mode(uow, run_id) == "retranscribe":
            return _retranscribe(uuid.UUID(run_id), batch_no, ids, options, interrupts)
        return run_batch(uow, uuid.UUID(run_id), batch_no, ids, options, interrupts, give_way)


def _count_stopped(run_id: uuid.UUID, batch_no: int, ids: list[uuid.UUID], exc: BaseException) -> None:
    try:
        with container().uow() as uow:
            counted = count_stopped_batch(uow, run_id, batch_no, ids, exc)
    except Exception:  # noqa: BLE001 - the database is down too: the batch's own error is what matters
        log.exception("rescore run=%s batch=%d could not be counted as stopped", run_id, batch_no)
        return
    if counted:  # as the run counts it (the task's signal sees only the exception)
        record_rescore_batch(scored=0, skipped=0, failed=len(ids))


def _first_cause(exc: BaseException) -> BaseException:
    """The time limit behind a cleanup's error: cut short inside psycopg's pipeline, the
    connection raises its own error ("cannot exit pipeline mode") as it unwinds."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, SoftTimeLimitExceeded):
            return seen
        seen = seen.__context__
    return exc


def _mode(uow: Any, run_id: str) -> str:
    run = uow.runs.get(uuid.UUID(run_id))
    uow.rollback()
    return str(run.mode) if run else "rescore"


def _retranscribe(
    run_id: uuid.UUID, batch_no: int, ids: list[uuid.UUID], options: Any, interrupts: Any
) -> RescoreReport | None:
    from shared.rate_bucket import retranscribe_limit
    from shared.services.retranscription import Engine, retranscribe_batch

    deps = container()
    limit = retranscribe_limit(deps.settings)
    engine = Engine(deps.transcriber(), deps.storage, limit, deps.settings.max_duration_seconds)
    return retranscribe_batch(deps.uow, engine, run_id, batch_no, ids, options, interrupts)


@shared_task(name=RESCORE_PLAN)
def rescore_plan(run_id: str, batch_size: int) -> int:
    """Page through a run's attempts and send its batches (a run the admin API started)."""
    send, started = RescoreEnqueuer(rescore_plan.app), time.perf_counter()
    sent = plan_run(container().uow, uuid.UUID(run_id), batch_size, send.batch)
    # The job's summary line, as each batch has one (Celery's own says only "succeeded").
    log.info("rescore run=%s plan sent=%d plan=%.3fs", run_id, sent, time.perf_counter() - started)
    return sent
