"""Circuit breaker states and falling back from OpenAI to another engine."""

from __future__ import annotations

import threading
from collections.abc import Callable

import numpy as np
import pytest

from shared.audio.types import DecodedAudio
from shared.domain.transcript import SpokenWord, Transcript
from shared.transcription.fallback import CircuitBreaker, FallbackTranscriber
from shared.transcription.openai.engine import OpenAITranscriber
from shared.transcription.openai.retry import RetryPolicy
from shared.transcription.port import TranscriptionError
from tests.support.openai_server import Fault, OpenAITestServer, tone_recording


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class FixedTranscriber:
    """The fallback target: a real, tiny Transcriber returning one fixed word."""

    engine = "offline"
    model = "fixed-test-model"
    recognition_version = "fixed-test-1"

    def __init__(self) -> None:
        self.calls = 0

    def transcribe(self, audio: DecodedAudio, reference_text: str | None = None) -> Transcript:
        self.calls += 1
        return Transcript.of([SpokenWord("fallback", 0.0, 0.5)], self.engine, self.model)


@pytest.fixture
def audio() -> DecodedAudio:
    samples, _ = tone_recording([500, 700])
    return DecodedAudio(samples, "wav", 16_000, 1)


@pytest.fixture
def primary(make_engine: Callable[..., OpenAITranscriber]) -> OpenAITranscriber:
    # One attempt per call keeps each failure cheap; retries are tested elsewhere.
    return make_engine(retry=RetryPolicy(max_attempts=1))


def test_breaker_opens_after_threshold_and_half_opens_after_timeout() -> None:
    clock = Clock()
    breaker = CircuitBreaker(failure_threshold=3, reset_timeout=30.0, clock=clock)
    for _ in range(2):
        breaker.record_failure()
    assert breaker.state == "closed" and breaker.allow_request()
    breaker.record_failure()
    assert breaker.state == "open" and not breaker.allow_request()
    clock.now += 30.0
    assert breaker.state == "half_open"
    assert breaker.allow_request() and not breaker.allow_request()  # one probe only
    breaker.record_failure()  # the probe failed: open again, timer restarted
    assert breaker.state == "open"
    clock.now += 30.0
    assert breaker.allow_request()
    breaker.record_success()
    assert breaker.state == "closed"


def test_success_resets_the_failure_count() -> None:
    breaker = CircuitBreaker(failure_threshold=2, clock=Clock())
    breaker.record_failure()
    breaker.record_success()
    breaker.record_failure()
    assert breaker.state == "closed"


def test_breaker_counts_failures_from_many_threads() -> None:
    breaker = CircuitBreaker(failure_threshold=400, clock=Clock())
    threads = [
        threading.Thread(target=lambda: [breaker.record_failure() for _ in range(100)]) for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert breaker.state == "open"


def test_falls_back_then_recovers_after_reset_timeout(
    primary: OpenAITranscriber, openai_server: OpenAITestServer, audio: DecodedAudio
) -> None:
    clock, fallback = Clock(), FixedTranscriber()
    breaker = CircuitBreaker(failure_threshold=2, reset_timeout=60.0, clock=clock)
    engine = FallbackTranscriber(primary, fallback, breaker)
    openai_server.faults.extend([Fault.server_error(503), Fault.server_error(500)])

    for _ in range(2):  # each failure is retryable: the attempt is rescued by the fallback
        transcript = engine.transcribe(audio)
        assert (transcript.engine, transcript.model) == ("offline", "fixed-test-model")
        assert transcript.extra["fallback_from"] == "openai"
    assert breaker.state == "open" and len(openai_server.requests) == 2

    transcript = engine.transcribe(audio)  # open: straight to the fallback
    assert transcript.extra["fallback_reason"] == "circuit_open"
    assert len(openai_server.requests) == 2 and fallback.calls == 3

    clock.now += 60.0  # half-open: one probe reaches the (now healthy) server
    transcript = engine.transcribe(audio)
    assert (transcript.engine, transcript.model) == ("openai", "whisper-1")
    assert [w.text for w in transcript.words] == ["tone500", "tone700"]
    assert breaker.state == "closed" and len(openai_server.requests) == 3


def test_non_retryable_errors_are_raised_not_hidden(
    primary: OpenAITranscriber, openai_server: OpenAITestServer, audio: DecodedAudio
) -> None:
    fallback = FixedTranscriber()
    breaker = CircuitBreaker(failure_threshold=1, clock=Clock())
    openai_server.faults.append(Fault.bad_request())
    with pytest.raises(TranscriptionError) as caught:
        FallbackTranscriber(primary, fallback, breaker).transcribe(audio)
    assert caught.value.code == "engine_rejected"
    assert fallback.calls == 0 and breaker.state == "closed"


def test_a_refused_api_key_falls_back_and_opens_the_breaker(
    make_engine: Callable[..., OpenAITranscriber], openai_server: OpenAITestServer, audio: DecodedAudio
) -> None:
    # A revoked key or a project without access says nothing about the recording:
    # it failed every learner's attempt for good ("record it again") with the
    # fallback idle and the breaker, whose alert names the key, never opening.
    revoked = make_engine(retry=RetryPolicy(max_attempts=1))
    revoked.__init__("sk-revoked-0123456789abcdef", base_url=openai_server.base_url)  # type: ignore[misc]
    fallback, breaker = FixedTranscriber(), CircuitBreaker(failure_threshold=2, clock=Clock())
    engine = FallbackTranscriber(revoked, fallback, breaker)
    for _ in range(2):
        transcript = engine.transcribe(audio)
        assert transcript.extra["fallback_reason"] == "engine_unavailable"
    assert breaker.state == "open" and fallback.calls == 2


def test_wrapper_reports_the_primary_engine_until_it_answers() -> None:
    engine = FallbackTranscriber(FixedTranscriber(), FixedTranscriber())
    assert (engine.engine, engine.model) == ("offline", "fixed-test-model")
    assert engine.transcribe(DecodedAudio(np.zeros(160, np.float32), "wav", 16_000, 1)).words
