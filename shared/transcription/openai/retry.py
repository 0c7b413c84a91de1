"""Retry policy for remote engines: bounded attempts, exponential back-off with
full jitter, and the server's ``Retry-After`` honoured (capped)."""

from __future__ import annotations

import email.utils
import logging
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC
from typing import TypeVar

from shared.observability.metrics import ENGINE_RETRIES

T = TypeVar("T")
log = logging.getLogger(__name__)


class RetryableError(Exception):
    """A failure worth trying again (rate limit, 5xx, timeout, dropped connection)."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


class RetriesExhausted(Exception):
    def __init__(self, attempts: int, last: RetryableError) -> None:
        super().__init__(f"gave up after {attempts} attempts: {last.reason}")
        self.attempts = attempts
        self.last = last


def parse_retry_after(headers: Mapping[str, str], now: float | None = None) -> float | None:
    """Seconds to wait from ``retry-after-ms``, ``Retry-After: <seconds>`` or an HTTP date."""
    millis = headers.get("retry-after-ms")
    if millis is not None:
        try:
            return max(0.0, float(millis) / 1000)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    current = time.time() if now is None else now
    return max(0.0, when.timestamp() - current)


def retry_reason(reason: str) -> str:
    """A bounded label: "HTTP 503", "timeout", "malformed response" (its detail dropped)."""
    return reason.split(" (", 1)[0]


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 5
    base_delay: float = 0.5
    max_delay: float = 20.0
    # A server asking for minutes would hold a worker (and its lease) idle;
    # past this cap we wait the cap and let the bounded attempts decide.
    max_retry_after: float = 30.0
    sleep: Callable[[float], None] = field(default=time.sleep, compare=False)
    rng: Callable[[], float] = field(default=random.random, compare=False)

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")

    def delay(self, attempt: int, retry_after: float | None) -> float:
        """Wait before retry number ``attempt`` (0-based)."""
        if retry_after is not None:
            return min(retry_after, self.max_retry_after)
        # Full jitter: uniform in [0, cap] spreads synchronized clients apart.
        return self.rng() * min(self.max_delay, self.base_delay * (2**attempt))

    def run(self, operation: Callable[[], T], label: str = "request") -> T:
        """Call ``operation`` until it succeeds, raises a non-retryable error, or
        attempts run out (then :class:`RetriesExhausted`)."""
        last: RetryableError | None = None
        for attempt in range(self.max_attempts):
            try:
                return operation()
            except RetryableError as exc:
                last = exc
                if attempt + 1 >= self.max_attempts:
                    break
                wait = self.delay(attempt, exc.retry_after)
                ENGINE_RETRIES.labels(label, retry_reason(exc.reason)).inc()
                log.warning(
                    "%s failed (%s), attempt %d/%d; retrying in %.2fs",
                    label,
                    exc.reason,
                    attempt + 1,
                    self.max_attempts,
                    wait,
                )
                self.sleep(wait)
        assert last is not None  # max_attempts >= 1 guarantees one try
        raise RetriesExhausted(self.max_attempts, last)
