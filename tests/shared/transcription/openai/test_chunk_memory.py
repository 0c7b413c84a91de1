"""A redelivered long recording sends OpenAI only the chunks that failed, on the
local OpenAI-compatible server and Redis (the broker every worker reaches).

Each run below is a new engine built from settings, as a new worker process
builds it: they share nothing but Redis.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys

import numpy as np
import pytest
import redis

from shared.audio.types import DecodedAudio
from shared.domain.transcript import Transcript
from shared.settings import Settings
from shared.transcription.openai import engine as engine_module
from shared.transcription.openai.chunk_memory import KEEP_SECONDS, PREFIX
from shared.transcription.openai.engine import OpenAITranscriber
from shared.transcription.port import TranscriptionError
from tests.support.openai_server import API_KEY, Fault, OpenAITestServer, tone_recording
from tests.support.stack import ROOT

PITCHES = [400 + 50 * i for i in range(24)]  # 24 words, about 15 s


def audio() -> DecodedAudio:
    samples, _ = tone_recording(PITCHES)
    return DecodedAudio(samples.astype(np.float32), "wav", 16_000, 1)


def worker_engine(server: OpenAITestServer, broker_url: str, chunk_seconds: float = 4.0) -> OpenAITranscriber:
    """A worker's engine: one chunk at a time, so the server sees them in order."""
    settings = Settings(
        openai_api_key=API_KEY,
        openai_base_url=server.base_url,
        broker_url=broker_url,
        openai_concurrency=1,
        openai_chunk_seconds=chunk_seconds,
        openai_min_chunk_seconds=1.0,
        openai_max_attempts=2,
    )
    return OpenAITranscriber.from_settings(settings)


def kept_chunks(broker_url: str) -> list[bytes]:
    return list(redis.Redis.from_url(broker_url).scan_iter(f"{PREFIX}*"))


def fail_the_last_chunk(server: OpenAITestServer, engine: OpenAITranscriber) -> int:
    """Run once with every try of the last chunk refused; the number of chunks."""
    chunks = len(engine.plan(audio().samples))
    server.faults.extend([Fault.slow(0)] * (chunks - 1) + [Fault.server_error(503)] * 2)
    with pytest.raises(TranscriptionError) as failed:
        engine.transcribe(audio())
    assert failed.value.retryable and not server.faults
    assert len(server.requests) == chunks + 1  # each chunk once, the last one twice
    return chunks


@pytest.fixture
def clean(openai_server: OpenAITestServer, redis_url: str) -> Transcript:
    transcript = worker_engine(openai_server, redis_url).transcribe(audio())
    openai_server.requests.clear()
    assert kept_chunks(redis_url) == []  # a finished recording leaves nothing behind
    return transcript


def test_a_redelivery_sends_only_the_chunk_that_failed(
    clean: Transcript, openai_server: OpenAITestServer, redis_url: str
) -> None:
    chunks = fail_the_last_chunk(openai_server, worker_engine(openai_server, redis_url))
    assert chunks >= 4
    last_sent = openai_server.requests[-1].duration

    openai_server.requests.clear()
    again = worker_engine(openai_server, redis_url).transcribe(audio())
    assert [r.duration for r in openai_server.requests] == [last_sent]
    assert again == clean  # every word, time and extra as a clean run's


def test_a_failed_run_keeps_its_chunks_for_a_day_and_a_finished_one_none(
    clean: Transcript, openai_server: OpenAITestServer, redis_url: str
) -> None:
    chunks = fail_the_last_chunk(openai_server, worker_engine(openai_server, redis_url))
    kept = kept_chunks(redis_url)
    assert len(kept) == chunks - 1
    assert all(0 < redis.Redis.from_url(redis_url).ttl(key) <= KEEP_SECONDS for key in kept)
    worker_engine(openai_server, redis_url).transcribe(audio())
    assert kept_chunks(redis_url) == []  # the transcript is the attempt's now


def test_a_changed_chunking_or_engine_version_asks_again(
    clean: Transcript, openai_server: OpenAITestServer, redis_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = worker_engine(openai_server, redis_url)
    chunks = fail_the_last_chunk(openai_server, first)
    spans = first.plan(audio().samples)

    openai_server.requests.clear()
    rechunked = worker_engine(openai_server, redis_url, chunk_seconds=5.0)
    new_spans = rechunked.plan(audio().samples)
    assert not set(new_spans) & set(spans)  # no chunk of the new plan was heard before
    heard = rechunked.transcribe(audio()).words  # times differ a little: cut elsewhere
    assert [w.text for w in heard] == [w.text for w in clean.words]
    assert len(openai_server.requests) == len(new_spans)

    openai_server.requests.clear()
    assert len(kept_chunks(redis_url)) == chunks - 1  # the first plan's, still there
    monkeypatch.setattr(engine_module, "RECOGNITION_VERSION", "openai-changed")
    assert worker_engine(openai_server, redis_url).transcribe(audio()).words == clean.words
    assert len(openai_server.requests) == len(spans)


def test_redis_down_sends_every_chunk_and_never_fails(
    openai_server: OpenAITestServer, caplog: pytest.LogCaptureFixture
) -> None:
    engine = worker_engine(openai_server, "redis://127.0.0.1:1/0")
    with caplog.at_level(logging.WARNING):
        transcript = engine.transcribe(audio())
    assert [w.text for w in transcript.words] == [f"tone{p}" for p in PITCHES]
    assert len(openai_server.requests) == len(engine.plan(audio().samples))
    assert "chunk memory unavailable" in caplog.text


CHILD = """
import json, sys
import numpy as np
from shared.audio.types import DecodedAudio
from shared.settings import Settings
from shared.transcription.openai.engine import OpenAITranscriber
from tests.support.openai_server import tone_recording
samples, _ = tone_recording(json.loads(sys.argv[1]))
engine = OpenAITranscriber.from_settings(Settings())
transcript = engine.transcribe(DecodedAudio(samples.astype(np.float32), "wav", 16_000, 1))
print(json.dumps(transcript.to_dict()))
"""


def test_another_worker_process_sends_only_what_is_missing(
    clean: Transcript, openai_server: OpenAITestServer, redis_url: str
) -> None:
    fail_the_last_chunk(openai_server, worker_engine(openai_server, redis_url))
    openai_server.requests.clear()
    env = {
        **os.environ,
        "RECITAL_OPENAI_API_KEY": API_KEY,
        "RECITAL_OPENAI_BASE_URL": openai_server.base_url,
        "RECITAL_BROKER_URL": redis_url,
        "RECITAL_OPENAI_CONCURRENCY": "1",
        "RECITAL_OPENAI_CHUNK_SECONDS": "4",
        "RECITAL_OPENAI_MIN_CHUNK_SECONDS": "1",
    }
    child = subprocess.run(
        [sys.executable, "-c", CHILD, json.dumps(PITCHES)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert len(openai_server.requests) == 1
    assert Transcript.from_dict(json.loads(child.stdout)) == clean
