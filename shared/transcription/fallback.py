"""Circuit breaker and a wrapper engine that falls back when the primary keeps failing.

While the primary (OpenAI) is healthy every attempt uses it. Retryable failures
(outage, rate limits that outlast our retries) are counted; after
``failure_threshold`` in a row the breaker opens and attempts go straight to the
fallback (offline) engine without paying the primary's retry delays. After
``reset_timeout`` one probe is let through (half-open): success closes the
breaker, failure opens it again.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
from collections.abc import Callable
from typing import Literal

from shared.audio.types import DecodedAudio
from shared.domain.transcript import Transcript
from shared.observability.metrics import BREAKER_OPEN, ENGINE_FALLBACKS
from shared.transcription.port import Transcriber, TranscriptionError

log = logging.getLogger(__name__)

State = Literal["closed", "open", "half_open"]


class CircuitBreaker:
    def __init__(
        self,
        failure_threshold: int = 5,
        reset_timeout: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if failure_threshold < 1 or reset_timeout < 0:
            raise ValueError("failure_threshold must be >= 1 and reset_timeout >= 0")
        self.failure_threshold = failure_threshold
        self.reset_timeout = reset_timeout
        self._clock = clock
        self._lock = threading.Lock()
        self._failures = 0
        self._opened_at: float | None = None
        self._probing = False  # a half-open trial call is in flight

    @property
    def state(self) -> State:
        with self._lock:
            return self._state()

    def _state(self) -> State:
        if self._opened_at is None:
            return "closed"
        if self._clock() - self._opened_at >= self.reset_timeout:
            return "half_open"
        return "open"

    def allow_request(self) -> bool:
        """Whether the protected call may run now. In half-open only one caller
        gets through; the others keep using the fallback until it reports."""
        with self._lock:
            state = self._state()
            if state == "closed":
                return True
            if state == "half_open" and not self._probing:
                self._probing = True
                return True
            return False

    def record_success(self) -> None:
        with self._lock:
            self._failures = 0
            self._opened_at = None
            self._probing = False

    def record_failure(self) -> None:
        with self._lock:
            self._failures += 1
            if self._probing or self._failures >= self.failure_threshold:
                if self._opened_at is None or self._probing:
                    log.warning("circuit breaker open after %d failures", self._failures)
                self._opened_at = self._clock()
            self._probing = False

    def release(self) -> None:
        """A call ended without a verdict on the protected service's health."""
        with self._lock:
            self._probing = False


class FallbackTranscriber:
    """A :class:`Transcriber` that prefers ``primary`` and falls back to ``fallback``.

    Non-retryable errors (the primary rejected this recording) are raised, not
    hidden: they say something about the input, not the service's health (a
    refused key is retryable ``engine_unavailable``: the service is down for
    us, and the fallback scores meanwhile). The returned transcript's engine/model name the engine
    that actually produced it.
    """

    def __init__(
        self, primary: Transcriber, fallback: Transcriber, breaker: CircuitBreaker | None = None
    ) -> None:
        self.primary = primary
        self.fallback = fallback
        self.breaker = breaker or CircuitBreaker()
        self.engine = primary.engine
        self.model = primary.model
        self.recognition_version = primary.recognition_version
        self.uses_reference = bool(getattr(primary, "uses_reference", False))

    def transcribe(self, audio: DecodedAudio, reference_text: str | None = None) -> Transcript:
        if not self.breaker.allow_request():
            return self._use_fallback(audio, reference_text, reason="circuit_open")
        try:
            transcript = self.primary.transcribe(audio, reference_text)
        except TranscriptionError as exc:
            if not exc.retryable:
                self.breaker.release()
                raise
            self.breaker.record_failure()
            self._show_breaker()
            log.warning(
                "%s engine failed (%s); using %s",
                self.primary.engine,
                exc.code,
                self.fallback.engine,
            )
            return self._use_fallback(audio, reference_text, reason=exc.code)
        except BaseException:
            self.breaker.release()
            raise
        self.breaker.record_success()
        self._show_breaker()
        return transcript

    def _show_breaker(self) -> None:
        # Set where the breaker changes (a failure, a success): while it stays
        # open with no traffic the gauge keeps 1, "open or waiting for its probe".
        BREAKER_OPEN.labels(self.primary.engine).set(0 if self.breaker.state == "closed" else 1)

    def _use_fallback(self, audio: DecodedAudio, reference_text: str | None, reason: str) -> Transcript:
        ENGINE_FALLBACKS.labels(self.primary.engine, reason).inc()
        transcript = self.fallback.transcribe(audio, reference_text)
        extra = {
            **transcript.extra,
            "fallback_from": self.primary.engine,
            "fallback_reason": reason,
        }
        return dataclasses.replace(transcript, extra=extra)
