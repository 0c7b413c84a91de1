"""Thin consumers: one per queue, each calling one service."""

from __future__ import annotations

import logging
import uuid

from celery import Task, shared_task

from shared.queue import PROCESS_ATTEMPT, SWEEP, CeleryEnqueuer
from shared.services.processing import process_attempt as process_attempt_service
from shared.services.sweeper import sweep as sweep_service
from workers.celery_app import container

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
    outcome = process_attempt_service(uuid.UUID(attempt_id), container().processing_context())
    if outcome.status == "retry":
        visibility = container().settings.visibility_timeout_seconds
        raise self.retry(countdown=retry_countdown(outcome.delivery, visibility))
    return outcome.status


@shared_task(name=SWEEP)
def sweep() -> dict[str, int]:
    deps = container()
    enqueue = CeleryEnqueuer(process_attempt.app)
    with deps.uow() as uow:
        report = sweep_service(uow, enqueue, deps.settings.stuck_queued_seconds, deps.settings.max_deliveries)
    return {"resent": report.resent, "failed": report.failed}
