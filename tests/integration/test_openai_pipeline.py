"""The OpenAI engine inside the real pipeline: Flask → storage → Redis → a Celery
worker subprocess with ``RECITAL_TRANSCRIBER=openai`` → the local
OpenAI-compatible server running in this test process → Postgres.

The server "transcribes" each recording with the words its test registered
for that audio (matched by duration), so the scores mean something: a clean
reading scores 100, a reading that skips the middle loses those words. The
module has its own Redis db (15) so no other test's worker takes these tasks.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest
import soundfile
from flask.testing import FlaskClient

from shared.settings import Settings
from tests.conftest import settings_env
from tests.integration.flow import create_piece, poll, statuses, upload
from tests.support.openai_server import (
    API_KEY,
    OPENAPI_PATH,
    Fault,
    OpenAITestServer,
    OpenAPISchemas,
    Word,
)
from tests.support.recitations import PSALM_23, skip_middle, synthesise
from tests.support.stack import CeleryWorker, redis_db_url, require, require_tool
from web import create_app

pytestmark = pytest.mark.integration

TEXT = " ".join(PSALM_23.split()[:32])
MAX_ATTEMPTS = 3  # per chunk, then the engine gives up and the fallback scores


@dataclass
class Scripts:
    """What the test server says was spoken in each recording, by duration."""

    by_duration: dict[float, list[str]] = field(default_factory=dict)

    def register(self, recording: Path, spoken: str) -> None:
        self.by_duration[soundfile.info(str(recording)).duration] = spoken.split()

    def __call__(self, samples: npt.NDArray[np.float32], rate: int) -> list[Word]:
        duration = len(samples) / rate
        known = min(self.by_duration, key=lambda d: abs(d - duration), default=None)
        if known is None or abs(known - duration) > 0.05:
            return []
        words = self.by_duration[known]
        step = (duration - 0.4) / max(1, len(words))  # spread over the speech
        return [(w, 0.2 + i * step, 0.2 + (i + 0.8) * step) for i, w in enumerate(words)]


@dataclass
class OpenAIStack:
    client: FlaskClient
    server: OpenAITestServer
    scripts: Scripts
    clean: Path
    skipped: Path
    worker_log: Path


@pytest.fixture(scope="module")
def openai_stack(stack_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[OpenAIStack]:
    require(OPENAPI_PATH.exists(), f"{OPENAPI_PATH} is required to validate the test server")
    folder = tmp_path_factory.mktemp("openai-pipeline")
    clean = synthesise(TEXT, folder / "clean.wav")
    skipped = synthesise(skip_middle(TEXT), folder / "skipped.wav")
    scripts = Scripts()
    scripts.register(clean, TEXT)
    scripts.register(skipped, skip_middle(TEXT))
    server = OpenAITestServer(OpenAPISchemas(OPENAPI_PATH), api_key=API_KEY).start()
    settings = stack_settings.model_copy(update={"broker_url": redis_db_url(15)})
    env = {
        **settings_env(settings),
        "RECITAL_TRANSCRIBER": "openai",
        "RECITAL_FALLBACK_TRANSCRIBER": "offline",
        "RECITAL_OPENAI_API_KEY": API_KEY,
        "RECITAL_OPENAI_BASE_URL": server.base_url,
        "RECITAL_OPENAI_MAX_ATTEMPTS": str(MAX_ATTEMPTS),
        "RECITAL_OPENAI_BREAKER_FAILURES": "2",
        "RECITAL_OPENAI_TIMEOUT_SECONDS": "20",
    }
    log = folder / "worker.log"
    worker = CeleryWorker(env, log, queues="recordings,maintenance")  # maintenance: coaching rewrites
    try:
        worker.wait_ready()
        stack = OpenAIStack(create_app(settings).test_client(), server, scripts, clean, skipped, log)
        yield stack
    finally:
        worker.stop()
        server.stop()
    assert server.violations == [], server.violations


@pytest.fixture
def stack(openai_stack: OpenAIStack) -> OpenAIStack:
    openai_stack.server.reset()
    openai_stack.server.recogniser = openai_stack.scripts
    return openai_stack


def test_openai_engine_scores_through_the_pipeline(stack: OpenAIStack) -> None:
    piece_id = create_piece(stack.client, "Psalm 23 (OpenAI)", TEXT)
    clean = poll(stack.client, upload(stack.client, piece_id, stack.clean), timeout=120)
    assert clean["status"] == "done", clean
    assert len(stack.server.requests) == 1  # ~11 s: one request, no retries
    skipped = poll(stack.client, upload(stack.client, piece_id, stack.skipped), timeout=120)
    assert skipped["status"] == "done", skipped
    assert len(stack.server.requests) == 2

    for body in (clean, skipped):
        assert (body["result"]["engine"], body["result"]["model"]) == ("openai", "whisper-1")
    sent = stack.server.requests[0]
    assert sent.fields["model"] == "whisper-1" and sent.fields["response_format"] == "verbose_json"
    assert "prompt" not in sent.fields  # the piece never primes the transcription
    assert clean["result"]["scores"]["accuracy"] == 100
    assert skipped["result"]["scores"]["accuracy"] <= clean["result"]["scores"]["accuracy"] - 30
    words = TEXT.split()
    middle = range(len(words) // 4, 3 * (len(words) // 4))
    by_index = statuses(skipped["result"])
    assert all(by_index[str(i)] == "omitted" for i in middle), by_index
    assert API_KEY not in stack.worker_log.read_text()


def test_second_attempt_with_same_audio_reuses_the_transcript(stack: OpenAIStack) -> None:
    piece_id = create_piece(stack.client, "Psalm 23 (cache)", TEXT)
    first = poll(stack.client, upload(stack.client, piece_id, stack.clean), timeout=120)
    assert first["status"] == "done", first
    paid = len(stack.server.requests)  # 0 when an earlier test already paid for this audio
    assert paid <= 1
    again = poll(stack.client, upload(stack.client, piece_id, stack.clean), timeout=120)
    assert again["status"] == "done", again
    assert len(stack.server.requests) == paid  # same audio, engine and model: no new request
    assert again["result"]["engine"] == "openai"
    assert again["result"]["transcript"] == first["result"]["transcript"]
    assert again["result"]["scores"] == first["result"]["scores"]


def test_outage_falls_back_to_offline_then_breaker_skips_openai(stack: OpenAIStack, tmp_path: Path) -> None:
    stack.server.faults.extend(Fault.server_error() for _ in range(100))  # 500 forever
    piece_id = create_piece(stack.client, "Psalm 23 (outage)", TEXT)

    recordings = []
    for i, speed in enumerate(("1.03", "1.06", "0.97")):  # new audio: no cached transcript
        path = tmp_path / f"outage-{i}.wav"
        _tempo(stack.clean, path, speed)
        recordings.append(path)

    counts = []
    results = []
    for path in recordings:
        body = poll(stack.client, upload(stack.client, piece_id, path), timeout=180)
        assert body["status"] == "done", body
        results.append(body["result"])
        counts.append(len(stack.server.requests))
    # Each of the first two attempts tried OpenAI MAX_ATTEMPTS times, then the
    # breaker (2 failures) opened: the third never called OpenAI.
    assert counts == [MAX_ATTEMPTS, 2 * MAX_ATTEMPTS, 2 * MAX_ATTEMPTS]
    assert all(r.status == 500 for r in stack.server.requests)
    for result in results:
        assert result["engine"] == "offline" and result["model"].startswith("pocketsphinx")
        assert result["scores"]["accuracy"] >= 80, result["scores"]


def test_a_chat_model_rewrites_the_coaching_note_after_the_score(stack: OpenAIStack) -> None:
    piece_id = create_piece(stack.client, "Psalm 23 (coaching)", TEXT)
    attempt_id = upload(stack.client, piece_id, stack.skipped)
    body = poll(stack.client, attempt_id, timeout=120)
    assert body["status"] == "done" and body["coaching_note"]  # the score never waits for the rewrite
    deadline = time.monotonic() + 30
    while not body["coaching_note"].startswith("Nice work.") and time.monotonic() < deadline:
        time.sleep(0.3)
        body = poll(stack.client, attempt_id)
    assert body["coaching_note"].startswith("Nice work. You skipped"), body["coaching_note"]
    sent = stack.server.chat_requests[-1]
    assert [type(m["content"]) for m in sent["messages"]] == [str, str]  # the note's text, no audio


def _tempo(source: Path, out: Path, factor: str) -> None:
    subprocess.run([require_tool("sox"), str(source), str(out), "tempo", factor], check=True, timeout=60)
