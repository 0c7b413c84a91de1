"""The web's storage gives up within its budget on GCS that hangs; a worker's keeps
the client's own long retry (background jobs ride out an outage)."""

from __future__ import annotations

import io
import os
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from google.auth.credentials import AnonymousCredentials
from google.cloud import storage as gcs

from shared.container import Container
from shared.settings import Settings
from shared.storage import Storage, StorageError, build_storage
from tests.support.silent_endpoint import silent_endpoint
from web import create_app

BUDGET = 2.0  # seconds; the default is 15, kept short so the test is quick


@pytest.fixture
def hung(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    with silent_endpoint() as endpoint:
        monkeypatch.setenv("STORAGE_EMULATOR_HOST", endpoint)
        yield


def outcome_within(seconds: float, call: Callable[[], object]) -> tuple[BaseException | None, float]:
    """What ``call`` raised (None if nothing), and how long it took; it must end
    within ``seconds`` (run on a thread, so a hang fails rather than holding the test)."""
    raised: list[BaseException | None] = []
    began = time.monotonic()

    def run() -> None:
        try:
            call()
            raised.append(None)
        except BaseException as exc:  # noqa: BLE001 - reported to the test
            raised.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert raised, f"still waiting on storage after {seconds:.1f} s"
    return raised[0], time.monotonic() - began


def test_each_call_of_a_bounded_storage_gives_up_within_its_budget(hung: None, tmp_path: Path) -> None:
    storage: Storage = build_storage("gs://recital-hung/recordings", deadline_seconds=BUDGET)
    staged = tmp_path / "staged.wav"
    staged.write_bytes(b"RIFF staged")
    calls: dict[str, Callable[[], object]] = {
        "put": lambda: storage.put("a.wav", io.BytesIO(b"RIFF put"), "audio/wav"),
        "adopt": lambda: storage.adopt("b.wav", staged, "audio/wav"),
        "download_to": lambda: storage.download_to("a.wav", tmp_path / "down.wav"),
        "exists": lambda: storage.exists("a.wav"),
        "open_read": lambda: storage.open_read("a.wav"),
        "delete": lambda: storage.delete("a.wav"),
    }
    for name, call in calls.items():
        raised, took = outcome_within(BUDGET + 3.0, call)
        assert isinstance(raised, StorageError), (name, raised)
        assert BUDGET / 4 <= took <= BUDGET + 2.0, (name, took)  # slack for a loaded machine


def recorded_options(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Replace Blob.delete with one that records the options it was given."""
    seen: list[dict[str, Any]] = []
    monkeypatch.setattr(gcs.Blob, "delete", lambda self, **options: seen.append(options))
    return seen


def test_the_web_gets_the_budget_and_workers_keep_the_clients_retry(
    hung: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = Settings(home=tmp_path, storage_url="gs://recital-budget")
    assert settings.storage_web_deadline_seconds == 15.0
    seen = recorded_options(monkeypatch)

    create_app(settings, enqueue=lambda _: None).extensions["recital"].storage.delete("a.wav")
    [web] = seen
    # 5 s per request, retried for 10 s: a retry starts before 10 s and ends by 15 s.
    assert web["timeout"] == 5.0 and web["retry"].timeout == 10.0

    seen.clear()
    Container(settings).storage.delete("a.wav")  # how workers/celery_app.py builds it
    assert seen == [{}]  # the client's defaults: 60 s per request, retried for 120 s


def test_the_budget_is_a_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RECITAL_STORAGE_WEB_DEADLINE_SECONDS", "6")
    assert Settings().storage_web_deadline_seconds == 6.0
    monkeypatch.setenv("RECITAL_STORAGE_WEB_DEADLINE_SECONDS", "0")
    with pytest.raises(ValueError, match="storage_web_deadline_seconds"):
        Settings()


def test_a_bounded_storage_still_stores_and_reads_a_large_recording(
    gcs_emulator: str, tmp_path: Path
) -> None:
    # Over 8 MB the client uploads in a resumable session, whose requests get the budget too.
    bucket = f"recital-budget-{uuid.uuid4().hex[:8]}"
    gcs.Client(project="recital-test", credentials=AnonymousCredentials()).create_bucket(bucket)
    storage = build_storage(f"gs://{bucket}/recordings", deadline_seconds=BUDGET)
    body = os.urandom(10 * 1024 * 1024)
    storage.put("large.wav", io.BytesIO(body), "audio/wav")
    storage.download_to("large.wav", tmp_path / "back.wav")
    assert (tmp_path / "back.wav").read_bytes() == body
    stream = storage.open_read("large.wav")
    stream.seek(len(body) - 4)
    assert stream.read() == body[-4:]
    storage.delete("large.wav")
    assert not storage.exists("large.wav")
