"""A restarted worker whose metrics port is still held by the process before it
(still exiting) serves its metrics once the port is free, instead of running
without an exporter."""

from __future__ import annotations

import base64
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any
from wsgiref.simple_server import WSGIServer

import pytest
from celery.signals import worker_ready
from pydantic import SecretStr

import workers.observability as observability
from shared.observability import exposition
from shared.settings import Settings
from tests.support.stack import free_port

CREDENTIALS = "ops:pw-for-metrics"


@pytest.fixture
def servers(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[WSGIServer]]:
    """Every exporter started in the test, stopped after it."""
    started: list[WSGIServer] = []
    real = exposition.serve

    def serve(*args: Any) -> WSGIServer:
        started.append(real(*args))
        return started[-1]

    monkeypatch.setattr(exposition, "serve", serve)
    yield started
    for server in started:
        server.shutdown()
        server.server_close()


class Consumer:
    """What ``worker_ready`` is sent with (hashable, as Celery's consumer is)."""

    app = SimpleNamespace(amqp=SimpleNamespace(queues=SimpleNamespace(consume_from=None)))


def a_worker_on(port: int, monkeypatch: pytest.MonkeyPatch) -> Consumer:
    settings = Settings(worker_metrics_port=port, metrics_basic_auth=SecretStr(CREDENTIALS))
    monkeypatch.setattr(observability, "get_settings", lambda: settings)
    return Consumer()


def scraped(port: int, within: float) -> int | None:
    """The exporter's status once it answers, polling for ``within`` seconds."""
    request = urllib.request.Request(f"http://127.0.0.1:{port}/metrics")
    request.add_header("Authorization", "Basic " + base64.b64encode(CREDENTIALS.encode()).decode())
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(request, timeout=2) as response:
                return int(response.status)
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.1)
    return None


def held(port: int) -> socket.socket:
    holder = socket.socket()
    holder.bind(("127.0.0.1", port))
    holder.listen(1)
    return holder


def test_the_exporter_binds_once_the_old_process_lets_the_port_go(
    servers: list[WSGIServer], monkeypatch: pytest.MonkeyPatch
) -> None:
    port = free_port()
    holder = held(port)
    # Sent as Celery sends it: a receiver's exception is logged, never raised.
    worker_ready.send(sender=a_worker_on(port, monkeypatch))
    time.sleep(1.0)
    holder.close()  # the old worker has exited
    assert scraped(port, within=10) == 200
    assert len(servers) == 1


def test_a_port_never_freed_is_logged_and_the_worker_goes_on(
    servers: list[WSGIServer], caplog: pytest.LogCaptureFixture
) -> None:
    port = free_port()
    with held(port), caplog.at_level("WARNING", logger="recital.metrics"):
        bound = exposition.serve_when_free("127.0.0.1", port, SecretStr(CREDENTIALS), wait_seconds=1.0)
        assert bound.result(timeout=10) is None
    assert servers == []
    assert f"127.0.0.1:{port}" in caplog.text and "not served" in caplog.text
