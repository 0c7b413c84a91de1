"""Embedded mode: a real Celery worker running in a thread of this process.

With the ``memory://`` broker the web (or demo) and the worker share one
process, so nothing else needs to run. A small timer thread plays beat.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from celery import Celery
from celery.worker import WorkController

from shared.queue import QUEUE_MAINTENANCE, QUEUES

log = logging.getLogger("recital.embedded")


@contextmanager
def in_process_worker(app: Celery, sweep_every: float | None = None) -> Iterator[WorkController]:
    ready = threading.Event()
    worker = WorkController(
        app=app,
        pool="solo",
        concurrency=1,
        queues=list(QUEUES),
        without_heartbeat=True,
        without_mingle=True,
        without_gossip=True,
        ready_callback=lambda _consumer: ready.set(),
        loglevel="WARNING",
    )
    thread = threading.Thread(target=worker.start, name="celery-worker", daemon=True)
    thread.start()
    if not ready.wait(30):
        raise RuntimeError("the in-process Celery worker did not start")
    stop = threading.Event()
    if sweep_every:
        threading.Thread(target=_sweep_loop, args=(app, sweep_every, stop), daemon=True).start()
    try:
        yield worker
    finally:
        stop.set()
        worker.stop(in_sighandler=False)
        thread.join(10)


def _sweep_loop(app: Celery, every: float, stop: threading.Event) -> None:
    from shared.queue import SWEEP

    while not stop.wait(every):
        try:
            app.send_task(SWEEP, queue=QUEUE_MAINTENANCE)
        except Exception as exc:  # keep sweeping on the next tick
            log.warning("could not schedule a sweep: %s", exc)
