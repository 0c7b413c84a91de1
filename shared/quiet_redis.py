"""Redis for what a job can do without: one try per command, then quiet a while.

Live-work marks and the OpenAI chunk memory each help a job but never decide
it. When Redis is down, waiting out a timeout on every command would slow
every job, so a failed command makes the next ones answer None at once for
``QUIET_AFTER_ERROR_SECONDS``, logged once per failure.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TypeVar

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

T = TypeVar("T")
QUIET_AFTER_ERROR_SECONDS = 30.0


def quick_client(url: str, timeout_seconds: float) -> redis.Redis:
    """A client that tries each command once and gives up within ``timeout_seconds``."""
    return redis.Redis.from_url(
        url,
        socket_timeout=timeout_seconds,
        socket_connect_timeout=timeout_seconds,
        retry=Retry(NoBackoff(), 0),
    )


class QuietRedis:
    """Runs Redis commands; after an error, answers None without running them for a while."""

    def __init__(self, log: logging.Logger, what: str, meanwhile: str) -> None:
        self._log = log
        self._what, self._meanwhile = what, meanwhile  # for the log line: what is missing, and so?
        self._quiet_until = 0.0

    def call(self, command: Callable[[], T]) -> T | None:
        if time.monotonic() < self._quiet_until:
            return None
        try:
            return command()
        except redis.RedisError as exc:
            self._quiet_until = time.monotonic() + QUIET_AFTER_ERROR_SECONDS
            self._log.warning("%s unavailable, %s for a while: %s", self._what, self._meanwhile, exc)
            return None
