"""One JSON line per request: method, route template, status, duration, request id, attempt id;
the request id goes back in ``X-Request-ID``; nothing secret reaches the log."""

from __future__ import annotations

import io
import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from shared.db.migrate import upgrade
from shared.observability.logs import configure_logging
from shared.settings import Settings
from tests.support.auth import as_learner
from tests.support.recitations import synthesise
from web import create_app


@pytest.fixture
def log() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    configure_logging("json", stream)
    yield stream
    configure_logging("text")


@pytest.fixture
def app(tmp_path: Path) -> Flask:
    settings = Settings(home=tmp_path, rate_limits_enabled=False, openai_api_key="sk-test-secret-key-123456")
    upgrade(settings)
    return create_app(settings, enqueue=lambda _id: None)


def request_lines(log: io.StringIO) -> list[dict[str, Any]]:
    lines = [json.loads(line) for line in log.getvalue().splitlines()]
    return [line for line in lines if line["logger"] == "recital.http"]


def test_each_request_logs_one_line_and_echoes_its_id(app: Flask, log: io.StringIO) -> None:
    client = app.test_client()
    given = client.get("/health/", headers={"X-Request-ID": "lb-1234.abc"})
    made = client.get("/health/", headers={"X-Request-ID": "not ok; <script>"})
    missing = client.get("/nowhere")
    first, second, third = request_lines(log)
    assert given.headers["X-Request-ID"] == first["request_id"] == "lb-1234.abc"
    assert made.headers["X-Request-ID"] == second["request_id"] and len(second["request_id"]) == 32
    assert (first["method"], first["route"], first["status"]) == ("GET", "/health/", 200)
    assert first["duration_ms"] >= 0 and "attempt_id" not in first
    assert (third["route"], third["status"]) == ("unmatched", 404)
    assert missing.headers["X-Request-ID"] == third["request_id"] != second["request_id"]


def test_an_upload_line_names_the_attempt_and_a_read_names_its_attempt(
    app: Flask, log: io.StringIO, tmp_path: Path
) -> None:
    client = as_learner(app.test_client())
    piece = client.post("/api/v1/pieces", json={"title": "t", "text": "one two three"}).get_json()["id"]
    recording = synthesise("one two three", tmp_path / "r.wav")
    with recording.open("rb") as handle:
        upload = client.post(
            f"/api/v1/pieces/{piece}/attempts",
            data={"recording": (handle, "r.wav")},
            content_type="multipart/form-data",
        )
    attempt = upload.get_json()["id"]
    client.get(f"/api/v1/attempts/{attempt}")
    client.get(f"/api/v1/attempts/{uuid.uuid4()}")  # someone else's or nobody's: still its id
    client.get("/api/v1/attempts/not-an-id")
    *_, posted, read, unknown, garbled = request_lines(log)
    assert (posted["method"], posted["route"], posted["status"]) == (
        "POST",
        "/api/v1/pieces/<piece_id>/attempts",
        202,
    )
    assert posted["attempt_id"] == attempt == read["attempt_id"]
    assert read["route"] == "/api/v1/attempts/<attempt_id>" and read["status"] == 200
    assert unknown["status"] == 404 and unknown["attempt_id"] != attempt
    assert "attempt_id" not in garbled


def test_no_secret_reaches_the_log(app: Flask, log: io.StringIO) -> None:
    client = as_learner(app.test_client())
    token = client.environ_base["HTTP_AUTHORIZATION"].split()[1]
    client.get("/api/v1/pieces?q=private-search-words", headers={"Cookie": "recital_session=cookie-secret"})
    client.post("/api/v1/auth/sign-in", json={"handle": "someone", "password": "password-secret-1"})
    text = log.getvalue()
    for secret in (
        token,
        "cookie-secret",
        "private-search-words",
        "password-secret-1",
        "sk-test-secret-key-123456",
    ):
        assert secret not in text
    assert len(request_lines(log)) >= 2


def test_a_made_up_method_is_logged_and_counted_as_other(app: Flask, log: io.StringIO) -> None:
    """QA: every made-up method an anonymous caller sent became a metric series of its own."""
    from prometheus_client import REGISTRY

    def counted(method: str) -> float:
        labels = {"method": method, "route": "unmatched", "status": "405"}
        return REGISTRY.get_sample_value("recital_http_request_duration_seconds_count", labels) or 0.0

    before = counted("other")
    client = app.test_client()
    for method in ("QAAAA1", "QAAAA2"):
        assert client.open("/", method=method).status_code == 405
    assert [line["method"] for line in request_lines(log)] == ["other", "other"]
    assert counted("other") == before + 2 and counted("QAAAA1") == 0.0
