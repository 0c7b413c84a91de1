"""Reading attempts back: what a polling client sees."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from shared.db import models
from shared.db.uow import UnitOfWork
from shared.services.errors import ErrorKind, ServiceError
from shared.services.users import UserView

A = models.Attempt


def owned_attempt(uow: UnitOfWork, learner: UserView, attempt_id: uuid.UUID) -> models.Attempt:
    """One attempt of this learner; another learner's attempt is reported exactly as an unknown id."""
    attempt = uow.session.scalar(select(A).where(A.id == attempt_id, A.learner_id == learner.id))
    if attempt is None:
        raise ServiceError(ErrorKind.NOT_FOUND, "attempt_not_found", "No attempt with that id.")
    return attempt


def get_attempt(uow: UnitOfWork, learner: UserView, attempt_id: uuid.UUID) -> dict[str, Any]:
    attempt = owned_attempt(uow, learner, attempt_id)
    view = _summary(attempt)
    if attempt.status == "done":
        view["result"] = _latest_result(uow, attempt.id)
    return view


def list_attempts(
    uow: UnitOfWork, learner: UserView, limit: int, offset: int, status: str | None = None
) -> tuple[list[dict[str, Any]], int]:
    where = [A.learner_id == learner.id] + ([A.status == status] if status else [])
    total = uow.session.scalar(select(func.count()).select_from(A).where(*where)) or 0
    rows = uow.session.scalars(
        select(A).where(*where).order_by(A.created_at.desc(), A.id).limit(limit).offset(offset)
    )
    return [_summary(a) for a in rows], total


def _latest_result(uow: UnitOfWork, attempt_id: uuid.UUID) -> dict[str, Any] | None:
    score = uow.session.scalar(
        select(models.Score)
        .where(models.Score.attempt_id == attempt_id)
        .order_by(models.Score.created_at.desc())
        .limit(1)
    )
    return dict(score.result) if score else None


def _summary(attempt: models.Attempt) -> dict[str, Any]:
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
        "created_at": _iso(attempt.created_at),
        "started_at": _iso(attempt.started_at),
        "finished_at": _iso(attempt.finished_at),
    }


def _iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.isoformat() if moment.tzinfo else moment.isoformat() + "Z"
