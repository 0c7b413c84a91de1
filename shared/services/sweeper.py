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

from shared.db.repositories.port import UnitOfWorkPort
from shared.domain.clock import utcnow
from shared.services.messages import TOO_MANY_DELIVERIES, learner_message
from shared.services.submission import Enqueue, send_after_commit

log = logging.getLogger("recital.sweeper")
BATCH = 500


@dataclass(frozen=True)
class SweepReport:
    resent: int
    failed: int
    not_sent: int = 0  # the broker refused them: stuck still, the next sweep tries again


def sweep(uow: UnitOfWorkPort, enqueue: Enqueue, stuck_after: float, max_deliveries: int) -> SweepReport:
    now = utcnow()
    rows = uow.attempts.stuck(now, now - timedelta(seconds=stuck_after), BATCH)
    resend: list[uuid.UUID] = []
    failed = 0
    message = learner_message(TOO_MANY_DELIVERIES)
    for attempt_id, deliveries in rows:
        if deliveries >= max_deliveries:
            failed += uow.attempts.fail(attempt_id, TOO_MANY_DELIVERIES, message, now)
        else:
            resend.append(attempt_id)
    # Back to ``queued`` with the "stuck" clock restarted, so the next sweep does not
    # send them again at once (a dead worker's attempt included).
    uow.attempts.requeue(resend, now)
    uow.commit()
    not_sent = [attempt_id for attempt_id in resend if not send_after_commit(enqueue, attempt_id)]
    if not_sent:  # their clock back, so the next sweep finds them stuck at once (QA: 2 min late)
        uow.attempts.requeue(not_sent, now - timedelta(seconds=stuck_after + 1))
        uow.commit()
    report = SweepReport(resent=len(resend) - len(not_sent), failed=failed, not_sent=len(not_sent))
    log.info("sweep resent=%d failed=%d not_sent=%d", report.resent, report.failed, report.not_sent)
    return report
