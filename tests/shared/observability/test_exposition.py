"""The worker exporter: a real HTTP server, behind the metrics credentials, serving what was counted."""

from __future__ import annotations

import base64
import urllib.error
import urllib.request

import pytest
from pydantic import SecretStr

from shared.observability.exposition import serve
from shared.observability.metrics import record_job
from tests.support.stack import free_port


def get(port: int, credentials: str | None) -> tuple[int, str]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}/metrics")
    if credentials is not None:
        request.add_header("Authorization", "Basic " + base64.b64encode(credentials.encode()).decode())
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as refused:
        return refused.code, refused.read().decode()


def test_the_exporter_refuses_strangers_and_shows_stage_times() -> None:
    port = free_port()
    server = serve("127.0.0.1", port, SecretStr("ops:pw-for-metrics"))
    try:
        record_job("done", None, {"decode": 0.02, "score": 0.004})
        for credentials in (None, "ops:wrong", "ops:pw-for-metrics "):
            status, body = get(port, credentials)
            assert status == 401 and "recital_" not in body
        status, body = get(port, "ops:pw-for-metrics")
        assert status == 200
        assert 'recital_stage_duration_seconds_count{stage="decode"}' in body
        assert 'recital_jobs_total{status="done"}' in body
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("secret", [None, SecretStr("")])
def test_an_exporter_without_credentials_refuses_everyone(secret: SecretStr | None) -> None:
    port = free_port()
    server = serve("127.0.0.1", port, secret)
    try:
        assert get(port, "ops:")[0] == 401
        assert get(port, None)[0] == 401
    finally:
        server.shutdown()
        server.server_close()
