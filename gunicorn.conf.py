"""gunicorn settings for Recital's web processes (read from the working directory).

Workers, threads and the bind address stay on the command line (Dockerfile.web,
README); this file holds the hostile-input limits and hooks (issue 19).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from prometheus_client import multiprocess
from pydantic import ValidationError

from cli.main import settings_problem
from shared.observability.exposition import multiprocess_dir
from shared.settings import Settings, get_settings
from web import gunicorn_errors, slow_bodies

# Request line and headers: gunicorn's defaults, stated so they are visible.
# A larger header is refused with 431 header_too_large (JSON, web/gunicorn_errors.py).
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190
# An idle keep-alive connection is closed after this long.
keepalive = 5
# gunicorn's warnings about unparseable requests, without the client's bytes (secrets).
logger_class = "web.gunicorn_log.ClientBytesKeptOut"


def _settings_or_exit() -> Settings:
    """The settings, or the CLI's few lines naming each bad variable and exit 2.

    gunicorn reports an exception here as "Failed to read config file" with a
    traceback; SystemExit passes through its handler, so the master stops
    before any worker starts.
    """
    try:
        return get_settings()
    except ValidationError as exc:
        print(settings_problem(exc), file=sys.stderr)
        raise SystemExit(2) from None


gunicorn_errors.install()
slow_bodies.install(_settings_or_exit().request_header_seconds)


def on_starting(server: Any) -> None:
    # Under PROMETHEUS_MULTIPROC_DIR (Dockerfile.web sets it) /metrics sums the
    # files every web process counts in. Files left by an earlier run (a
    # restarted container keeps its /tmp) belong to processes that are gone:
    # they would add to this run's counters, so the folder starts empty. Only
    # the web's own *.db files go: `recital worker` counts in folders of its own
    # inside the same one (shared/observability/exposition.py).
    path = multiprocess_dir()
    if path is not None:
        os.makedirs(path, exist_ok=True)
        for stale in Path(path).glob("*.db"):
            stale.unlink(missing_ok=True)


def pre_request(worker: Any, req: Any) -> None:
    settings = get_settings()
    slow_bodies.watch(
        req,
        settings.request_body_seconds,
        settings.request_body_min_bytes_per_second,
        settings.max_upload_bytes,
    )


def post_request(worker: Any, req: Any, environ: Any, resp: Any) -> None:
    slow_bodies.unwatch(req)


def child_exit(server: Any, worker: Any) -> None:
    # Under PROMETHEUS_MULTIPROC_DIR each web process counts into its own file;
    # a dead one's live gauges must stop counting (docs/operations.md). The
    # imports sit at the top: this hook runs inside gunicorn's SIGCHLD handler,
    # and an import there can re-enter a half-finished import and fail.
    if multiprocess_dir() is not None:
        multiprocess.mark_process_dead(worker.pid)
