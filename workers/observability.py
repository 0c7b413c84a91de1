"""The worker's side of operations: its metrics exporter, its counters and its log context.

Connected to Celery's signals when ``workers.celery_app`` is imported:

- ``worker_ready`` (main process): marks the queues this worker consumes
  (``recital_worker_consuming``) and, with ``RECITAL_WORKER_METRICS_PORT``,
  starts the exporter, which sums every pool process's counters from
  ``PROMETHEUS_MULTIPROC_DIR`` (``recital worker`` prepares that folder).
- ``worker_process_shutdown`` (a pool child): its live gauges stop counting.
- ``task_postrun`` of a re-scoring batch: counted once per batch.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from celery.signals import task_postrun, worker_process_shutdown, worker_ready

from shared.observability import exposition
from shared.observability.metrics import WORKER_QUEUES, record_rescore_batch
from shared.queue import RESCORE_BATCH
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
    exposition.serve(
        settings.worker_metrics_address, settings.worker_metrics_port, settings.metrics_basic_auth
    )
    log.info("worker metrics on %s:%d", settings.worker_metrics_address, settings.worker_metrics_port)


@worker_process_shutdown.connect
def _child_gone(pid: int | None = None, **_: Any) -> None:
    if exposition.multiprocess_dir() is not None:
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(pid or os.getpid())


@task_postrun.connect
def _task_done(sender: Any = None, retval: Any = None, **_: Any) -> None:
    if getattr(sender, "name", None) == RESCORE_BATCH and isinstance(retval, dict):
        counts = {k: retval.get(k) for k in ("scored", "skipped", "failed")}
        if all(isinstance(v, int) for v in counts.values()):
            record_rescore_batch(**counts)  # type: ignore[arg-type]
