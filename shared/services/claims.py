"""Attempt state transitions as conditional updates: Postgres decides who works.

queued ──claim──> processing (lease, worker, delivery+1) ──> done | failed
processing with an expired lease can be claimed again (the worker died).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import and_, func, or_, select, update

from shared.db import models
from shared.db.uow import UnitOfWork
from shared.domain.clock import utcnow

A = models.Attempt


def claim(uow: UnitOfWork, attempt_id: uuid.UUID, worker_id: str, lease_seconds: float) -> int | None:
    """Take the attempt for this worker; the new delivery count, or None if not claimable."""
    now = utcnow()
    claimable = or_(A.status == "queued", and_(A.status == "processing", A.lease_expires_at < now))
    delivery = uow.session.scalar(
        update(A)
        .where(A.id == attempt_id, claimable)
        .values(
            status="processing",
            delivery_count=A.delivery_count + 1,
            worker_id=worker_id,
            lease_expires_at=now + timedelta(seconds=lease_seconds),
            started_at=func.coalesce(A.started_at, now),
        )
        .returning(A.delivery_count)
        .execution_options(synchronize_session=False)
    )
    uow.commit()
    return delivery


def renew(uow: UnitOfWork, attempt_id: uuid.UUID, worker_id: str, lease_seconds: float) -> bool:
    """Extend this worker's lease (its heartbeat); False when the attempt is no longer ours."""
    changed = uow.session.execute(
        update(A)
        .where(A.id == attempt_id, A.worker_id == worker_id, A.status == "processing")
        .values(lease_expires_at=utcnow() + timedelta(seconds=lease_seconds))
        .execution_options(synchronize_session=False)
    )
    uow.commit()
    return bool(changed.rowcount)  # type: ignore[attr-defined]


def lease_remaining(uow: UnitOfWork, attempt_id: uuid.UUID) -> float | None:
    """Seconds left on another worker's live lease; None when the attempt is not being worked on."""
    row = uow.session.execute(select(A.status, A.lease_expires_at).where(A.id == attempt_id)).one_or_none()
    if row is None or row.status != "processing" or row.lease_expires_at is None:
        return None
    expires = row.lease_expires_at
    if expires.tzinfo is None:  # SQLite returns naive UTC
        expires = expires.replace(tzinfo=UTC)
    return max(0.0, (expires - utcnow()).total_seconds())


def set_stage(uow: UnitOfWork, attempt_id: uuid.UUID, stage: str) -> None:
    uow.session.execute(
        update(A).where(A.id == attempt_id).values(stage=stage).execution_options(synchronize_session=False)
    )


def release(uow: UnitOfWork, attempt_id: uuid.UUID) -> None:
    """Give the attempt back to the queue (a retryable failure); its stages are kept."""
    uow.session.execute(
        update(A)
        .where(A.id == attempt_id, A.status == "processing")
        .values(status="queued", lease_expires_at=None, worker_id=None, queued_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    uow.commit()


def fail(uow: UnitOfWork, attempt_id: uuid.UUID, code: str, message: str) -> bool:
    changed = uow.session.execute(
        update(A)
        .where(A.id == attempt_id, A.status.in_(("queued", "processing")))
        .values(
            status="failed",
            stage="failed",
            error_code=code,
            error_message=message,
            lease_expires_at=None,
            finished_at=utcnow(),
        )
        .execution_options(synchronize_session=False)
    )
    uow.commit()
    return bool(changed.rowcount)  # type: ignore[attr-defined]


def mark_done(uow: UnitOfWork, attempt_id: uuid.UUID, now: datetime) -> None:
    """Part of the scoring transaction: the caller commits with the score row."""
    uow.session.execute(
        update(A)
        .where(A.id == attempt_id, A.status == "processing")
        .values(status="done", stage="done", lease_expires_at=None, finished_at=now)
        .execution_options(synchronize_session=False)
    )
