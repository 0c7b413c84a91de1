"""Reading attempts back: what a polling client sees."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from shared.db.repositories.port import AttemptRecord, UnitOfWorkPort
from shared.domain.clock import rfc3339
from shared.services.coaching import shown_note
from shared.services.errors import ErrorKind, ServiceError
from shared.services.users import UserView


def owned_attempt(uow: UnitOfWorkPort, learner: UserView, attempt_id: uuid.UUID) -> AttemptRecord:
    """One attempt of this learner; another learner's attempt is reported exactly as an unknown id."""
    attempt = uow.attempts.owned(attempt_id, learner.id)
    if attempt is None:
        raise ServiceError(ErrorKind.NOT_FOUND, "attempt_not_found", "No attempt with that id.")
    return attempt


def get_attempt(uow: UnitOfWorkPort, learner: UserView, attempt_id: uuid.UUID) -> dict[str, Any]:
    return full_view(uow, owned_attempt(uow, learner, attempt_id))


def full_view(uow: UnitOfWorkPort, attempt: AttemptRecord) -> dict[str, Any]:
    """What polling the attempt returns: its summary, and once done its result and note."""
    view = _summary(attempt)
    if attempt.status == "done":
        result = view["result"] = _latest_result(uow, attempt.id)
        view["coaching_note"] = shown_note(uow, attempt.id, result) if result else None
    return view


def list_attempts(
    uow: UnitOfWorkPort,
    learner: UserView,
    limit: int,
    offset: int,
    status: str | None = None,
    piece_id: uuid.UUID | None = None,
) -> tuple[list[dict[str, Any]], int]:
    statuses = (status,) if status else ()
    records, total = uow.attempts.list_owned(learner.id, limit, offset, statuses, piece_id)
    return [_summary(a) for a in records], total


UNSCORED = ("queued", "processing", "failed")
WAITING = {"queued": "Waiting to be scored.", "processing": "Being scored now."}


@dataclass(frozen=True)
class UnscoredAttempt:
    """An attempt of the learner's with no score to chart: still on its way, or failed (and why)."""

    id: uuid.UUID
    at: datetime
    status: str
    reason: str


def unscored_attempts(
    uow: UnitOfWorkPort, learner: UserView, piece_id: uuid.UUID, limit: int
) -> tuple[list[UnscoredAttempt], int]:
    """The newest ``limit`` of them on this piece, and how many there are in all."""
    records, total = uow.attempts.list_owned(learner.id, limit, 0, UNSCORED, piece_id)
    return [_unscored(a) for a in records], total


def _unscored(attempt: AttemptRecord) -> UnscoredAttempt:
    reason = WAITING.get(attempt.status) or attempt.error_message or "It could not be scored."
    return UnscoredAttempt(attempt.id, attempt.created_at, attempt.status, reason)


def _latest_result(uow: UnitOfWorkPort, attempt_id: uuid.UUID) -> dict[str, Any] | None:
    score = uow.results.latest_score(attempt_id)
    return dict(score.result) if score else None


def _summary(attempt: AttemptRecord) -> dict[str, Any]:
    error = (
        {"code": attempt.error_code, "message": attempt.error_message} if attempt.status == "failed" else None
    )
    return {
        "id": str(attempt.id),
        "piece_id": str(attempt.piece_id),
        "status": attempt.status,
        "stage": attempt.stage,
        "format": attempt.format,
        "size_bytes": attempt.size_bytes,
        "sha256": attempt.sha256,
        "duration_seconds": attempt.duration_seconds,
        "delivery_count": attempt.delivery_count,
        "warnings": list(attempt.warnings or []),
        "error": error,
        "created_at": rfc3339(attempt.created_at),
        "started_at": rfc3339(attempt.started_at),
        "finished_at": rfc3339(attempt.finished_at),
    }
