"""The Celery app for workers and beat: ``celery -A workers.celery_app worker -Q recordings``.

Built from the same settings as the web. Tasks are thin and live in
``workers.tasks``; the logic is in ``shared.services``.
"""

from __future__ import annotations

from typing import Any

from celery import Celery
from celery.signals import worker_init, worker_process_init

from shared.container import Container
from shared.queue import build_celery
from shared.settings import Settings, get_settings

_container: Container | None = None


def create_celery(settings: Settings | None = None) -> Celery:
    global _container
    settings = settings or get_settings()
    _container = Container(settings)
    app = build_celery(settings)
    app.conf.update(include=["workers.tasks"])
    app.set_default()
    return app


def container() -> Container:
    if _container is None:
        raise RuntimeError("create_celery() has not run in this process")
    return _container


@worker_init.connect
def _before_fork(**_: Any) -> None:
    # The pool's processes inherit the kernels compiled here, so they never
    # compile them at the same moment and spoil numba's cache (shared/kernels.py).
    from shared.kernels import compile_audio_kernels

    compile_audio_kernels()


@worker_process_init.connect
def _after_fork(**_: Any) -> None:
    # Pooled connections must not be shared with the parent after a fork.
    if _container is not None:
        _container.dispose_engine()


app = create_celery()

import workers.observability  # noqa: E402,F401  isort: skip - connects the metrics and log signals
