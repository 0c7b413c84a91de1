"""While GCS hangs, an upload, a playback or a deletion answers 503 within the
web's storage budget (``RECITAL_STORAGE_WEB_DEADLINE_SECONDS``), on the GCS
emulator and a socket that never answers. Each held a gunicorn thread for the
client's default retry (about 120 s) before."""

from __future__ import annotations

import io
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from google.auth.credentials import AnonymousCredentials
from google.cloud import storage as gcs

from shared.settings import Settings
from tests.support.auth import bearer_in
from tests.support.recitations import synthesise
from tests.support.silent_endpoint import silent_endpoint
from web import create_app

ADA = "ada-storage-budget"
BUDGET = 3.0  # seconds; the default is 15, kept short so the test is quick
SLACK = 2.5  # the request's own work, and a loaded 2-core machine


@pytest.fixture
def settings(gcs_emulator: str, pg_url: str, tmp_path: Path) -> Settings:
    bucket = f"budget-{uuid.uuid4().hex[:8]}"
    gcs.Client(project="recital-test", credentials=AnonymousCredentials()).create_bucket(bucket)
    return Settings(
        home=tmp_path,
        database_url=pg_url,
        storage_url=f"gs://{bucket}",
        signing_key="test-signing-key-" + "x" * 16,
        storage_web_deadline_seconds=BUDGET,
    )


@pytest.fixture(scope="module")
def wav(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return synthesise("The Lord is my shepherd", tmp_path_factory.mktemp("w") / "a.wav").read_bytes()


def upload(client: FlaskClient, piece_id: str, wav: bytes) -> Any:
    return client.post(
        f"/api/v1/pieces/{piece_id}/attempts",
        data={"recording": (io.BytesIO(wav), "a.wav")},
        headers=bearer_in(client, ADA),
        content_type="multipart/form-data",
    )


def answered_within(seconds: float, call: Callable[[], Any]) -> Any:
    """The response of ``call``, which must come within ``seconds`` (run on a thread,
    so a hang fails the test instead of holding it for minutes)."""
    answers: list[Any] = []
    began = time.monotonic()
    thread = threading.Thread(target=lambda: answers.append(call()), daemon=True)
    thread.start()
    thread.join(seconds)
    assert answers, f"no answer within {seconds:.1f} s (still waiting on storage)"
    return answers[0], time.monotonic() - began


def assert_unavailable(response: Any) -> None:
    assert response.status_code == 503, response.get_json()
    assert response.get_json()["error"]["code"] == "storage_unavailable"
    assert "Retry-After" in response.headers


def test_web_answers_503_within_its_storage_budget_while_gcs_hangs(
    settings: Settings, wav: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    # First, on the emulator: a piece and a stored attempt with a playback link.
    stored = create_app(settings, enqueue=lambda _: None).test_client()
    piece_id = str(
        stored.post(
            "/api/v1/pieces",
            json={"title": "Psalm", "text": "The Lord is my shepherd."},
            headers=bearer_in(stored, ADA),
        ).get_json()["id"]
    )
    accepted = upload(stored, piece_id, wav)
    assert accepted.status_code == 202
    attempt_id = accepted.get_json()["id"]
    link = stored.get(f"/api/v1/attempts/{attempt_id}/recording", headers=bearer_in(stored, ADA))
    url = link.get_json()["url"]

    # Then a web process whose storage hangs.
    with silent_endpoint() as hung:
        monkeypatch.setenv("STORAGE_EMULATOR_HOST", hung)
        app: Flask = create_app(settings, enqueue=lambda _: None)
        client = app.test_client()
        calls = {
            "upload": lambda: upload(client, piece_id, wav),
            "playback": lambda: client.get(url),
            "delete": lambda: client.delete(f"/api/v1/attempts/{attempt_id}", headers=bearer_in(client, ADA)),
        }
        for name, call in calls.items():
            response, took = answered_within(BUDGET + SLACK, call)
            assert_unavailable(response)
            assert took >= BUDGET / 4, f"{name} gave up after {took:.1f} s, without a timed request"
