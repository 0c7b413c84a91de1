"""What ``/metrics`` and the worker exporter serve, and the exporter's server.

One process or many: under ``PROMETHEUS_MULTIPROC_DIR`` (gunicorn's workers,
Celery's prefork children) every process writes its counters to files there
and the page sums them (prometheus-client's multiprocess mode); otherwise it
is this process's own registry. The web adds the scrape-time readings of
the broker and the database (:mod:`.readings`); workers serve only what they
counted.
"""

from __future__ import annotations

import errno
import logging
import os
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from prometheus_client import REGISTRY, CollectorRegistry, make_wsgi_app
from prometheus_client.core import Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector
from pydantic import SecretStr

from shared.observability.access import CHALLENGE, allowed

log = logging.getLogger("recital.metrics")

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
# A restarted worker may start while the process it replaces still holds the
# port (finishing its last task); the exporter waits this long for it.
BIND_WAIT_SECONDS = 60.0
BIND_POLL_SECONDS = 0.5
# The web's 401 body, word for word (web/errors.py's shape and code).
REFUSAL = (
    b'{"error": {"code": "authentication_required", "message": "Metrics need the metrics credentials."}}'
)


def multiprocess_dir() -> str | None:
    return os.environ.get(MULTIPROC_ENV) or None


def prepare_multiprocess_dir() -> str:
    """A new folder of this worker's own for its pool processes to count in (a counter left
    by a dead worker would add to this one's). Inside ``PROMETHEUS_MULTIPROC_DIR`` when it
    is set, never that folder itself: a shell that started gunicorn with the same folder
    would have the web serve the worker's counters, and an emptied folder lose the web's
    (QA). Set in the environment before Celery starts: prometheus-client picks its storage
    when it is first imported."""
    parent = multiprocess_dir()
    if parent:
        os.makedirs(parent, exist_ok=True)
    path = tempfile.mkdtemp(prefix="recital-worker-metrics-", dir=parent)
    os.environ[MULTIPROC_ENV] = path
    return path


class _ThisProcess(Collector):
    """The default registry (this process's counters, process_* and python_* series)."""

    def collect(self) -> Iterator[Metric]:
        return iter(REGISTRY.collect())


def registry(extra: Iterable[Collector] = ()) -> CollectorRegistry:
    """A registry of what this process (or its siblings, in multiprocess mode) counted, plus ``extra``."""
    served = CollectorRegistry(auto_describe=False)
    path = multiprocess_dir()
    if path:
        MultiProcessCollector(served, path=path)
    else:
        served.register(_ThisProcess())
    for collector in extra:
        served.register(collector)
    return served


WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def protected(app: WsgiApp, secret: SecretStr | None) -> WsgiApp:
    """``app`` behind the metrics credentials: anything else gets 401 and a basic-auth challenge."""

    def guarded(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if allowed(environ.get("HTTP_AUTHORIZATION"), secret):
            return app(environ, start_response)
        body = REFUSAL
        start_response(
            "401 Unauthorized",
            [
                ("Content-Type", "application/json"),
                ("WWW-Authenticate", CHALLENGE),
                ("Content-Length", str(len(body))),
            ],
        )
        return [body]

    return guarded


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        """One line per scrape every few seconds is noise; failures show in Prometheus's ``up``."""


def serve(address: str, port: int, secret: SecretStr | None) -> WSGIServer:
    """Start the exporter on a daemon thread; the server is returned so tests can stop it."""
    app = protected(make_wsgi_app(registry()), secret)
    server = make_server(address, port, app, server_class=_Server, handler_class=_QuietHandler)
    threading.Thread(target=server.serve_forever, name="metrics-exporter", daemon=True).start()
    return server


def serve_when_free(
    address: str, port: int, secret: SecretStr | None, wait_seconds: float = BIND_WAIT_SECONDS
) -> Future[WSGIServer | None]:
    """Start the exporter from a thread that retries a port in use for ``wait_seconds``
    (the worker goes on meanwhile); the server, or None when it never bound (logged)."""
    bound: Future[WSGIServer | None] = Future()
    threading.Thread(
        target=_bind, args=(address, port, secret, wait_seconds, bound), name="metrics-bind", daemon=True
    ).start()
    return bound


def _bind(
    address: str, port: int, secret: SecretStr | None, wait_seconds: float, bound: Future[WSGIServer | None]
) -> None:
    deadline, warned = time.monotonic() + wait_seconds, False
    while True:
        try:
            server = serve(address, port, secret)
        except OSError as exc:
            if exc.errno != errno.EADDRINUSE or time.monotonic() >= deadline:
                log.error("worker metrics not served on %s:%d: %s", address, port, exc)
                bound.set_result(None)
                return
            if not warned:
                log.warning("port %s:%d in use; retrying for %.0f s", address, port, wait_seconds)
                warned = True
            time.sleep(BIND_POLL_SECONDS)
            continue
        log.info("worker metrics on %s:%d", address, port)
        bound.set_result(server)
        return
