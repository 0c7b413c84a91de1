"""Engine metrics counted at the adapters' edges, against the local OpenAI-compatible server:
HTTP requests by outcome, retries by reason, fallbacks by reason, the breaker's gauge, and
recordings per engine at the port."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from prometheus_client import REGISTRY

from shared.audio.types import DecodedAudio
from shared.transcription.fallback import CircuitBreaker, FallbackTranscriber
from shared.transcription.metered import MeteredTranscriber
from shared.transcription.openai.engine import OpenAITranscriber
from shared.transcription.openai.retry import RetryPolicy
from tests.shared.transcription.test_fallback import Clock, FixedTranscriber
from tests.support.openai_server import Fault, OpenAITestServer, tone_recording


def value(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def recording() -> DecodedAudio:
    samples, _ = tone_recording([500, 700])
    return DecodedAudio(samples, "wav", 16_000, 1)


def test_requests_and_retries_are_counted_by_outcome_and_reason(
    make_engine: Callable[..., OpenAITranscriber], openai_server: OpenAITestServer
) -> None:
    names = [
        ("recital_engine_requests_total", {"engine": "openai", "outcome": "ok"}),
        ("recital_engine_requests_total", {"engine": "openai", "outcome": "retryable"}),
        ("recital_engine_retries_total", {"engine": "openai", "reason": "HTTP 503"}),
        ("recital_engine_retries_total", {"engine": "openai", "reason": "HTTP 429"}),
    ]
    before = [value(n, **labels) for n, labels in names]
    openai_server.faults.extend([Fault.server_error(503), Fault.rate_limited("0")])
    engine = MeteredTranscriber(make_engine())
    assert [w.text for w in engine.transcribe(recording()).words] == ["tone500", "tone700"]
    after = [value(n, **labels) for n, labels in names]
    assert [a - b for a, b in zip(after, before, strict=True)] == [1, 2, 1, 1]


def test_fallbacks_breaker_and_engines_at_the_port(
    make_engine: Callable[..., OpenAITranscriber], openai_server: OpenAITestServer
) -> None:
    clock = Clock()
    primary = MeteredTranscriber(make_engine(retry=RetryPolicy(max_attempts=1)))
    engine = FallbackTranscriber(
        primary, MeteredTranscriber(FixedTranscriber()), CircuitBreaker(1, 60.0, clock)
    )
    counted = {
        "openai_failed": (
            "recital_transcriptions_total",
            {"engine": "openai", "outcome": "engine_unavailable"},
        ),
        "openai_ok": ("recital_transcriptions_total", {"engine": "openai", "outcome": "ok"}),
        "offline_ok": ("recital_transcriptions_total", {"engine": "offline", "outcome": "ok"}),
        "fell_back": ("recital_engine_fallbacks_total", {"engine": "openai", "reason": "engine_unavailable"}),
        "open": ("recital_engine_fallbacks_total", {"engine": "openai", "reason": "circuit_open"}),
    }
    before = {k: value(n, **labels) for k, (n, labels) in counted.items()}
    openai_server.faults.append(Fault.server_error(500))
    engine.transcribe(recording())  # fails, falls back, the breaker opens
    assert value("recital_engine_breaker_open", engine="openai") == 1
    engine.transcribe(recording())  # open: straight to the fallback
    clock.now += 60.0
    engine.transcribe(recording())  # the probe succeeds: closed
    assert value("recital_engine_breaker_open", engine="openai") == 0
    delta = {k: value(n, **labels) - before[k] for k, (n, labels) in counted.items()}
    assert delta == {"openai_failed": 1, "openai_ok": 1, "offline_ok": 2, "fell_back": 1, "open": 1}


def test_the_metered_engine_reads_through_to_the_engine() -> None:
    inner = FixedTranscriber()
    inner.uses_reference = True  # type: ignore[attr-defined]
    engine = MeteredTranscriber(inner)
    assert (engine.engine, engine.model, engine.recognition_version) == (
        "offline",
        "fixed-test-model",
        "fixed-test-1",
    )
    assert engine.uses_reference is True
    assert engine.transcribe(DecodedAudio(np.zeros(160, np.float32), "wav", 16_000, 1)).words
    assert inner.calls == 1
