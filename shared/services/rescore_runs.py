"""Re-scoring runs as records: start one, send its batches, count them, cancel it.

A run's row holds its filter, target version and counts. ``plan_run`` pages
through the matching attempts by keyset (never all in memory), sending one
batch per page; each batch, in its own transaction, writes its score rows
and adds what it did to the run's counters once (``RunRepository.count_batch``),
so a redelivered batch counts nothing twice. A cancelled run's batches not
yet started stop without scoring.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager

from shared.db.repositories.runs_port import (
    RUN_MODES,
    BatchCount,
    Cursor,
    NewRun,
    RunFilter,
    RunRecord,
    RunsUnitOfWork,
)
from shared.domain.clock import utcnow
from shared.domain.scoring import SCORING_VERSION, ScoringOptions
from shared.services.errors import ErrorKind, ServiceError
from shared.services.pieces import require_piece
from shared.services.rescoring import GiveWay, Interrupts, RescoreReport, rescore_attempts

log = logging.getLogger("recital.rescore_runs")
ATTEMPT_STATUSES = ("done",)  # only done attempts have a score to replace
FAILURES_LISTED = 20
SendBatch = Callable[[uuid.UUID, int, list[uuid.UUID]], None]
UowFactory = Callable[[], AbstractContextManager[RunsUnitOfWork]]


class SentBeforeResume(Exception):
    """Raised in a batch's transaction, at its count, to write nothing of it."""


def check_filter(uow: RunsUnitOfWork, where: RunFilter, mode: str = "rescore") -> None:
    """Refuse a filter that cannot match as meant: a clear 400/404 rather than an empty run."""
    if mode not in RUN_MODES:
        raise ServiceError(ErrorKind.INVALID, "invalid_mode", f"mode is one of {', '.join(RUN_MODES)}.")
    if where.status not in ATTEMPT_STATUSES:
        raise ServiceError(ErrorKind.INVALID, "invalid_status", "Only done attempts can be re-scored.")
    if where.since and where.until and where.since >= where.until:
        raise ServiceError(ErrorKind.INVALID, "invalid_range", "since must be before until.")
    if where.piece_id is not None:
        require_piece(uow, where.piece_id)


def find_learner(uow: RunsUnitOfWork, learner: str) -> uuid.UUID:
    """A learner by id or handle."""
    found = uow.runs.find_user(learner.strip())
    if found is None:
        raise ServiceError(ErrorKind.NOT_FOUND, "learner_not_found", "No learner with that id or handle.")
    return found


def start_run(
    uow: RunsUnitOfWork,
    where: RunFilter,
    started_by: str,
    mode: str = "rescore",
    cap_audio_seconds: float | None = None,
    batch_size: int | None = None,
    limit: int | None = None,
) -> RunRecord:
    check_filter(uow, where, mode)
    started = NewRun(
        SCORING_VERSION, mode, where, started_by[:200], utcnow(), cap_audio_seconds, batch_size, limit
    )
    run = uow.runs.add(started)
    uow.commit()
    log.info("rescore run=%s started by=%s mode=%s", run.id, run.started_by, mode)
    return run


def plan_run(
    new_uow: UowFactory, run_id: uuid.UUID, batch_size: int, send: SendBatch, limit: int | None = None
) -> int:
    """Send the run's batches, one keyset page each (at most ``limit`` attempts in all),
    then its total. Stops early when the run is cancelled, paused or resumed since."""
    with new_uow() as uow:  # a resumed run continues its numbering and its counts
        run = require_run(uow, run_id)
        base, live_from = run.counted, run.first_live_batch
    sent, after = 0, None
    while limit is None or sent < limit:
        size = batch_size if limit is None else min(batch_size, limit - sent)
        with new_uow() as uow:
            run = require_run(uow, run_id)
            if run.state != "running" or run.first_live_batch != live_from:
                return sent  # stopped, or resumed since: the resumed plan sends the rest
            page = uow.runs.pending_page(run.filter, run.scoring_version, after, size)
            batch_no = uow.runs.take_batch_no(run_id) if page else -1  # before it is sent
            uow.commit()
        if not page:
            break
        send(run_id, batch_no, [attempt_id for _, attempt_id in page])
        sent, after = sent + len(page), _last(page)
    with new_uow() as uow:
        if require_run(uow, run_id).first_live_batch == live_from:  # not resumed since
            uow.runs.set_total(run_id, base + sent, utcnow())
            uow.commit()
    return sent


def _last(page: Sequence[Cursor]) -> Cursor:
    return page[-1]


def run_batch(
    uow: RunsUnitOfWork,
    run_id: uuid.UUID,
    batch_no: int,
    attempt_ids: Sequence[uuid.UUID],
    options: ScoringOptions,
    interrupts: Interrupts = (),
    give_way: GiveWay | None = None,
) -> RescoreReport | None:
    """Score one batch of a run and count it, in one transaction; None when the run
    is no longer running (cancelled or paused: the batch stops without scoring)."""
    run = uow.runs.get(run_id)
    if run is None or not run.takes_batch(batch_no):
        return None
    uow.rollback()  # the state read must not hold the transaction open while scoring

    def count(report: RescoreReport) -> None:
        count_into_run(uow, run_id, batch_no, report)

    try:
        return rescore_attempts(
            uow, attempt_ids, options, interrupts, before_commit=count, give_way=give_way, run_id=run_id
        )
    except SentBeforeResume:
        uow.rollback()
        return None


def count_into_run(uow: RunsUnitOfWork, run_id: uuid.UUID, batch_no: int, report: RescoreReport) -> None:
    """Add a scored batch's report to its run, once, in the batch's transaction (re-scoring
    and re-transcription batches alike)."""
    done = BatchCount(run_id, batch_no, report.scored, len(report.failed), report.skipped, report.failed)
    if uow.runs.count_batch(done, utcnow()):
        return
    if batch_no < require_run(uow, run_id).first_live_batch:
        # Resumed while it scored: its rows, committed before the resumed plan reached
        # them, would take its attempts out of the plan uncounted (QA: `done` fell short).
        # Written by nobody, they stay pending: the resumed plan scores and counts them.
        raise SentBeforeResume
    log.info("rescore run=%s batch=%d not counted: counted before", run_id, batch_no)


def count_stopped_batch(
    uow: RunsUnitOfWork,
    run_id: uuid.UUID,
    batch_no: int,
    attempt_ids: Sequence[uuid.UUID],
    exc: BaseException,
) -> bool:
    """A batch that raised (its time limit, a lost connection, a bug) wrote nothing: its
    attempts count as failed, with the reason, so the run still finishes and says why;
    they stay pending for the next run. False when the batch was counted already, or
    was sent before the run was resumed (the resumed plan sent its attempts again)."""
    reason = f"{type(exc).__name__}: the batch stopped and wrote nothing ({exc}); a new run scores it"
    failed = [(attempt_id, reason[:500]) for attempt_id in attempt_ids]
    counted = uow.runs.count_batch(BatchCount(run_id, batch_no, 0, len(failed), 0, failed), utcnow())
    uow.commit()
    if counted:  # else it had committed before it raised: its own counts stand
        log.warning("rescore run=%s batch=%d stopped: %s", run_id, batch_no, reason)
    return counted


def require_run(uow: RunsUnitOfWork, run_id: uuid.UUID) -> RunRecord:
    run = uow.runs.get(run_id)
    if run is None:
        raise ServiceError(ErrorKind.NOT_FOUND, "rescore_not_found", "No re-scoring run with that id.")
    return run


def latest_run(uow: RunsUnitOfWork) -> RunRecord:
    run = uow.runs.latest()
    if run is None:
        raise ServiceError(ErrorKind.NOT_FOUND, "rescore_not_found", "No re-scoring run has been started.")
    return run


def cancel_run(uow: RunsUnitOfWork, run_id: uuid.UUID) -> RunRecord:
    """Running or paused → cancelled; batches already scoring finish, the rest stop."""
    run = require_run(uow, run_id)
    if not uow.runs.change_state(run_id, "cancelled", ("running", "paused"), utcnow()):
        raise ServiceError(ErrorKind.CONFLICT, "rescore_not_running", f"The run is {run.state} already.")
    uow.commit()
    return require_run(uow, run_id)


def resume_run(uow: RunsUnitOfWork, run_id: uuid.UUID, cap_audio_seconds: float | None) -> RunRecord:
    """paused → running under the cap now configured; the caller sends what is still pending
    (``left_to_send``) in the run's own batch size."""
    run = require_run(uow, run_id)
    if not uow.runs.resume(run_id, cap_audio_seconds):
        raise ServiceError(ErrorKind.CONFLICT, "rescore_not_paused", f"The run is {run.state}, not paused.")
    uow.commit()
    return require_run(uow, run_id)


def left_to_send(run: RunRecord) -> int | None:
    """How many more attempts a resumed run may send: its limit less what it has counted
    (the oldest pending are the ones it had not finished); None without a limit."""
    return None if run.limit is None else max(run.limit - run.counted, 0)


def failures(uow: RunsUnitOfWork, run_id: uuid.UUID) -> list[tuple[uuid.UUID, str]]:
    return uow.runs.failures(run_id, FAILURES_LISTED)
