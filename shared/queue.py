"""Celery configuration from settings, shared by the web (which only sends
tasks, by name) and the workers (which also register them).

The settings here carry the delivery guarantees of docs/architecture.md: acks late,
reject on worker lost, prefetch 1, hard time limit below the visibility
timeout, results ignored (Postgres holds them).
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import redis
from celery import Celery
from kombu import Connection
from kombu.transport import redis as kombu_redis

from shared.observability.context import message_headers
from shared.settings import Settings

log = logging.getLogger(__name__)

PROCESS_ATTEMPT = "recital.process_attempt"
SWEEP = "recital.sweep"
RESCORE_BATCH = "recital.rescore_batch"
RESCORE_PLAN = "recital.rescore_plan"
REWRITE_COACHING = "recital.rewrite_coaching"
QUEUE_RECORDINGS = "recordings"
QUEUE_RESCORE = "rescore"
QUEUE_MAINTENANCE = "maintenance"
QUEUES = (QUEUE_RECORDINGS, QUEUE_RESCORE, QUEUE_MAINTENANCE)  # every queue Recital sends to

# A hung broker (connection open, nothing answering) must not block a
# publish forever: kombu's Redis sockets have no timeout by default.
BROKER_SOCKET_TIMEOUT_SECONDS = 10.0
# The front door publishes with no connection retries and short socket
# timeouts: a dead or hung broker costs an upload about two seconds at most,
# and the sweeper re-sends the attempt later (its row is already committed).
PUBLISH_TIMEOUT_SECONDS = 2.0


def celery_config(settings: Settings) -> dict[str, Any]:
    return {
        "broker_url": settings.broker_url,
        "broker_transport_options": {
            "visibility_timeout": settings.visibility_timeout_seconds,
            "socket_timeout": BROKER_SOCKET_TIMEOUT_SECONDS,
            "socket_connect_timeout": 3,
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
            REWRITE_COACHING: {"queue": QUEUE_MAINTENANCE},  # light: text only, no audio
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


class _KeptClientChannel(kombu_redis.Channel):
    """kombu builds a new redis-py client for every publish (a fifth of the
    cost of sending a task). The front door's channels each belong to one
    thread, so each keeps one client over its connection pool."""

    _kept_client: redis.Redis | None = None

    @contextmanager
    def conn_or_acquire(self, client: redis.Redis | None = None) -> Iterator[redis.Redis]:
        if client is None:
            if self._kept_client is None:
                self._kept_client = self._create_client()
            client = self._kept_client
        yield client


class KeptClientRedisTransport(kombu_redis.Transport):
    Channel = _KeptClientChannel


class CeleryEnqueuer:
    """Sends ``process_attempt`` by name; the web never imports task code.

    A dead or hung broker must not stall the upload: each thread publishes on
    its own connection with no connection retries and short socket timeouts,
    so a send fails within ``PUBLISH_TIMEOUT_SECONDS`` and the caller leaves
    the attempt to the sweeper. A failed connection is dropped and rebuilt on
    the next send.
    """

    def __init__(self, app: Celery, timeout: float = PUBLISH_TIMEOUT_SECONDS) -> None:
        self._app = app
        self._options = {
            "max_retries": 0,
            "socket_timeout": timeout,
            "socket_connect_timeout": timeout,
        }
        self._local = threading.local()

    def __call__(self, attempt_id: uuid.UUID) -> None:
        connection = self._connection()
        try:
            self._app.send_task(
                PROCESS_ATTEMPT,
                args=[str(attempt_id)],
                queue=QUEUE_RECORDINGS,
                retry=False,  # a dead broker must not stall the upload; the sweeper re-sends
                connection=connection,
                headers=message_headers(),  # sent-at time (queue age), request id (logs)
            )
        except Exception:
            self._drop()
            raise

    def _connection(self) -> Connection | None:
        if self._app.conf.broker_url.startswith("memory://"):
            return None  # in-process broker: the app's own producer pool
        connection: Connection | None = getattr(self._local, "connection", None)
        if connection is None:
            redis_broker = self._app.conf.broker_url.startswith(("redis://", "rediss://"))
            connection = self._app.connection_for_write(
                transport=KeptClientRedisTransport if redis_broker else None,
                transport_options=self._options,
            )
            self._local.connection = connection
        return connection

    def _drop(self) -> None:
        connection: Connection | None = getattr(self._local, "connection", None)
        self._local.connection = None
        if connection is not None:
            try:
                connection.close()
            except Exception:  # already broken; nothing to release
                log.debug("closing a failed broker connection", exc_info=True)


class RescoreEnqueuer:
    """Sends ``rescore_batch`` by name to the rescore queue, one message per batch.

    For the admin's command, not the upload path: the send may retry and wait
    for the broker, and a failure is raised to the caller."""

    def __init__(self, app: Celery) -> None:
        self._app = app

    def __call__(self, attempt_ids: Sequence[uuid.UUID]) -> None:
        self._app.send_task(
            RESCORE_BATCH,
            args=[[str(i) for i in attempt_ids]],
            queue=QUEUE_RESCORE,
            headers=message_headers(),
        )

    def batch(self, run_id: uuid.UUID, batch_no: int, attempt_ids: Sequence[uuid.UUID]) -> None:
        """One batch of a run: the worker counts it into the run (once)."""
        args = [[str(i) for i in attempt_ids], str(run_id), batch_no]
        self._app.send_task(RESCORE_BATCH, args=args, queue=QUEUE_RESCORE, headers=message_headers())

    def plan(self, run_id: uuid.UUID, batch_size: int) -> None:
        """A worker pages through the run's attempts and sends its batches (the admin API)."""
        args = [str(run_id), batch_size]
        self._app.send_task(RESCORE_PLAN, args=args, queue=QUEUE_RESCORE, headers=message_headers())
