"""Fixtures: one local OpenAI-compatible server per module, reset per test."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from shared.transcription.openai.engine import OpenAITranscriber
from shared.transcription.openai.retry import RetryPolicy
from tests.support.openai_server import (
    API_KEY,
    OPENAPI_PATH,
    OpenAITestServer,
    OpenAPISchemas,
)


@pytest.fixture(scope="session")
def openapi_schemas() -> OpenAPISchemas:
    if not OPENAPI_PATH.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{OPENAPI_PATH} is required under CI=true")
        pytest.skip(f"{OPENAPI_PATH} not present")
    return OpenAPISchemas(OPENAPI_PATH)


@pytest.fixture(scope="module")
def _running_server(openapi_schemas: OpenAPISchemas) -> Iterator[OpenAITestServer]:
    server = OpenAITestServer(openapi_schemas, api_key=API_KEY).start()
    yield server
    server.stop()


@pytest.fixture
def openai_server(_running_server: OpenAITestServer) -> Iterator[OpenAITestServer]:
    _running_server.reset()
    yield _running_server
    # The server must never drift from OpenAI's published schemas.
    assert _running_server.violations == [], _running_server.violations


@pytest.fixture
def fast_retry() -> RetryPolicy:
    return RetryPolicy(max_attempts=4, base_delay=0.01, max_delay=0.05, max_retry_after=5.0)


@pytest.fixture
def make_engine(openai_server: OpenAITestServer, fast_retry: RetryPolicy):  # type: ignore[no-untyped-def]
    def make(**overrides: object) -> OpenAITranscriber:
        options: dict[str, object] = {
            "base_url": openai_server.base_url,
            "retry": fast_retry,
            "timeout": 5.0,
        }
        options.update(overrides)
        return OpenAITranscriber(API_KEY, **options)  # type: ignore[arg-type]

    return make
