"""Celery configuration from settings, shared by the web (which only sends
tasks, by name) and the workers (which also register them).

The settings here carry the delivery guarantees in DESIGN.md: acks late,
reject on worker lost, prefetch 1, hard time limit below the visibility
timeout, results ignored (Postgres holds them).
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from celery import Celery

from shared.settings import Settings

log = logging.getLogger(__name__)

PROCESS_ATTEMPT = "recital.process_attempt"
SWEEP = "recital.sweep"
QUEUE_RECORDINGS = "recordings"
QUEUE_RESCORE = "rescore"
QUEUE_MAINTENANCE = "maintenance"


def celery_config(settings: Settings) -> dict[str, Any]:
    return {
        "broker_url": settings.broker_url,
        "broker_transport_options": {
            "visibility_timeout": settings.visibility_timeout_seconds,
        },
        "broker_connection_retry_on_startup": True,
        "broker_connection_timeout": 3,
        "broker_connection_max_retries": 3,
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        "worker_prefetch_multiplier": 1,
        "worker_cancel_long_running_tasks_on_connection_loss": True,
        "worker_max_memory_per_child": settings.worker_max_memory_per_child_kb,
        "task_time_limit": settings.task_hard_time_limit_seconds,
        "task_soft_time_limit": settings.task_soft_time_limit_seconds,
        "task_ignore_result": True,
        "result_backend": None,
        "task_serializer": "json",
        "accept_content": ["json"],
        "task_default_queue": QUEUE_RECORDINGS,
        "task_routes": {
            PROCESS_ATTEMPT: {"queue": QUEUE_RECORDINGS},
            SWEEP: {"queue": QUEUE_MAINTENANCE},
            "recital.rescore_*": {"queue": QUEUE_RESCORE},
        },
        "worker_send_task_events": True,
        "beat_schedule": {
            "sweep-stuck-attempts": {"task": SWEEP, "schedule": settings.sweep_interval_seconds},
        },
    }


def build_celery(settings: Settings, name: str = "recital") -> Celery:
    app = Celery(name)
    app.conf.update(celery_config(settings))
    return app


class CeleryEnqueuer:
    """Sends ``process_attempt`` by name; the web never imports task code."""

    def __init__(self, app: Celery) -> None:
        self._app = app

    def __call__(self, attempt_id: uuid.UUID) -> None:
        self._app.send_task(
            PROCESS_ATTEMPT,
            args=[str(attempt_id)],
            queue=QUEUE_RECORDINGS,
            retry=False,  # a dead broker must not stall the upload; the sweeper re-sends
        )
