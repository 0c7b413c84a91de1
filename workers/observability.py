"""The worker's side of operations: its metrics exporter, its counters and its log context.

Connected to Celery's signals when ``workers.celery_app`` is imported:

- ``worker_ready`` (main process): marks the queues this worker consumes
  (``recital_worker_consuming``) and, with ``RECITAL_WORKER_METRICS_PORT``,
  starts the exporter, which sums every pool process's counters from
  ``PROMETHEUS_MULTIPROC_DIR`` (``recital worker`` prepares that folder); a
  port still in use is retried for a minute.
- ``worker_process_shutdown`` (a pool child): its live gauges stop counting.
- ``task_postrun`` of a re-scoring batch: counted once per batch.
- ``setup_logging``: Recital's log format (JSON lines, or text in development)
  instead of Celery's; ``task_prerun`` binds each job's request id (from the
  task's headers, as the web sent it) and attempt id to its log lines.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from celery.signals import setup_logging, task_postrun, task_prerun, worker_process_shutdown, worker_ready

from shared.observability import context, exposition
from shared.observability.logs import configure_logging
from shared.observability.metrics import WORKER_QUEUES, record_rescore_batch
from shared.queue import PROCESS_ATTEMPT, RESCORE_BATCH, REWRITE_COACHING
from shared.settings import get_settings

log = logging.getLogger("recital.metrics")


@worker_ready.connect
def _ready(sender: Any = None, **_: Any) -> None:
    for queue in sorted(sender.app.amqp.queues.consume_from or ()):
        WORKER_QUEUES.labels(queue).set(1)
    settings = get_settings()
    if not settings.worker_metrics_port:
        return
    if exposition.multiprocess_dir() is None:
        log.warning("no %s: the exporter shows the main process only", exposition.MULTIPROC_ENV)
    # On a thread: a port the previous worker still holds is retried while this one works.
    exposition.serve_when_free(
        settings.worker_metrics_address, settings.worker_metrics_port, settings.metrics_basic_auth
    )


@worker_process_shutdown.connect
def _child_gone(pid: int | None = None, **_: Any) -> None:
    if exposition.multiprocess_dir() is not None:
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(pid or os.getpid())


# Tasks whose first argument is an attempt id.
ABOUT_AN_ATTEMPT = (PROCESS_ATTEMPT, REWRITE_COACHING)


@setup_logging.connect
def _logging(**_: Any) -> None:
    # Connected, so Celery leaves the root logger to us. Celery's own INFO lines
    # stay: "celery@host ready." is how tests and people see a worker start.
    configure_logging(get_settings().resolved_log_format)


@task_prerun.connect
def _task_starts(sender: Any = None, task_id: str | None = None, args: Any = None, **_: Any) -> None:
    context.clear()
    request = getattr(sender, "request", None)
    sent_by = getattr(request, context.REQUEST_ID_HEADER, None) or (
        getattr(request, "headers", None) or {}
    ).get(context.REQUEST_ID_HEADER)
    about = getattr(sender, "name", None) in ABOUT_AN_ATTEMPT and args
    context.bind(request_id=sent_by or task_id, attempt_id=str(args[0]) if about else None)


@task_postrun.connect
def _task_done(sender: Any = None, retval: Any = None, **_: Any) -> None:
    context.clear()
    if getattr(sender, "name", None) != RESCORE_BATCH or not isinstance(retval, dict):
        return
    if retval.get("stopped"):  # a cancelled or paused run's batch: nothing was done
        return
    counts = {k: retval.get(k) for k in ("scored", "skipped", "failed")}
    if all(isinstance(v, int) for v in counts.values()):
        record_rescore_batch(**counts)  # type: ignore[arg-type]
