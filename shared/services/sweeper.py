"""The sweeper: Postgres, not Redis, decides what still has to be done.

Re-sends attempts queued for too long (the send failed or the broker forgot
the message) and attempts whose worker lease expired (the worker died).
Attempts past the delivery limit fail instead of looping.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import and_, or_, select, update

from shared.db import models
from shared.db.uow import UnitOfWork
from shared.domain.clock import utcnow
from shared.services import claims
from shared.services.messages import TOO_MANY_DELIVERIES, learner_message
from shared.services.submission import Enqueue, send_after_commit

log = logging.getLogger("recital.sweeper")
A = models.Attempt
BATCH = 500


@dataclass(frozen=True)
class SweepReport:
    resent: int
    failed: int


def sweep(uow: UnitOfWork, enqueue: Enqueue, stuck_after: float, max_deliveries: int) -> SweepReport:
    now = utcnow()
    stuck = or_(
        and_(A.status == "queued", A.queued_at < now - timedelta(seconds=stuck_after)),
        and_(A.status == "processing", A.lease_expires_at < now),
    )
    rows = uow.session.execute(
        select(A.id, A.delivery_count).where(stuck).order_by(A.queued_at).limit(BATCH)
    ).all()
    resend: list[uuid.UUID] = []
    failed = 0
    for attempt_id, deliveries in rows:
        if deliveries >= max_deliveries:
            failed += claims.fail(uow, attempt_id, TOO_MANY_DELIVERIES, learner_message(TOO_MANY_DELIVERIES))
        else:
            resend.append(attempt_id)
    _requeue(uow, resend)
    for attempt_id in resend:
        send_after_commit(enqueue, attempt_id)
    report = SweepReport(resent=len(resend), failed=failed)
    log.info("sweep resent=%d failed=%d", report.resent, report.failed)
    return report


def _requeue(uow: UnitOfWork, ids: list[uuid.UUID]) -> None:
    """Back to ``queued`` with the "stuck" clock restarted, so the next sweep does not
    send them again at once (a dead worker's attempt included)."""
    if ids:
        now = utcnow()
        abandoned = or_(A.status == "queued", and_(A.status == "processing", A.lease_expires_at < now))
        uow.session.execute(
            update(A)
            .where(A.id.in_(ids), abandoned)
            .values(status="queued", queued_at=now, lease_expires_at=None, worker_id=None)
            .execution_options(synchronize_session=False)
        )
    uow.commit()
