"""Live attempts in progress on a machine, so re-scoring there can give way to them.

A rescore worker runs at the lowest CPU priority, but the Postgres backend
that serves it does not: on a machine where the two share cores, a batch
being written slows the live attempt being scored beside it. So each live
job is marked in a sorted set in Redis for its machine (its CPU group: the
host name unless ``RECITAL_CPU_GROUP`` names one; containers sharing a host
set the same name), and the rescore worker of that group pauses between a
few attempts while any mark is there, at most ``rescore_give_way_seconds``
each time so a run keeps moving under steady live load. A mark's score is
its expiry, 30 s ahead, pushed on every 10 s by a thread while the job
runs: a worker killed mid-job leaves a mark that lapses within 30 s (it
held re-scoring back for 5 minutes when the mark was set once, long enough
for any job).
Redis trouble never fails a job: the mark is skipped, the pause not taken.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import redis

from shared.quiet_redis import QuietRedis, quick_client
from shared.settings import Settings

log = logging.getLogger(__name__)

MARK_SECONDS = 30.0  # how long a killed worker's mark outlives it
POLL_SECONDS = 0.02


class LiveWork:
    def __init__(
        self, client: redis.Redis, group: str, give_way_seconds: float, mark_seconds: float = MARK_SECONDS
    ) -> None:
        self._client = client
        self._key = f"recital:live-work:{group}"
        self._give_way_seconds = give_way_seconds
        self._mark_seconds = mark_seconds
        # Redis down: no mark, no look, rather than a timeout every look.
        self._call = QuietRedis(log, "live-work marks", "going on without them").call

    @contextmanager
    def busy(self) -> Iterator[None]:
        """Mark one live job in progress for as long as the block runs."""
        mark = f"{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._call(lambda: self._client.zremrangebyscore(self._key, "-inf", time.time()))  # lapsed marks
        marked = self._call(lambda: self._client.zadd(self._key, {mark: self._expiry()}))
        done = threading.Event()
        if marked is not None:
            threading.Thread(target=self._keep, args=(mark, done), name="live-work-mark", daemon=True).start()
        try:
            yield
        finally:
            done.set()
            if marked is not None:
                self._call(lambda: self._client.zrem(self._key, mark))

    def _keep(self, mark: str, done: threading.Event) -> None:
        """Push the mark's expiry on until the job ends; ``xx``: never bring back a removed mark."""
        while not done.wait(self._mark_seconds / 3):
            self._call(lambda: self._client.zadd(self._key, {mark: self._expiry()}, xx=True))

    def _expiry(self) -> float:
        return time.time() + self._mark_seconds

    def give_way(self) -> float:
        """Wait while live work is marked, at most ``give_way_seconds``; the seconds waited."""
        started = time.monotonic()
        deadline = started + self._give_way_seconds
        while time.monotonic() < deadline and self._live():
            time.sleep(POLL_SECONDS)
        return time.monotonic() - started

    def _live(self) -> bool:
        return bool(self._call(lambda: self._client.zcount(self._key, time.time(), "+inf")))


class NoLiveWork:
    """The embedded default (no Redis) and giving way turned off: nothing marked, no pause."""

    @contextmanager
    def busy(self) -> Iterator[None]:
        yield

    def give_way(self) -> float:
        return 0.0


def live_work(settings: Settings) -> LiveWork | NoLiveWork:
    if settings.rescore_give_way_seconds <= 0 or not settings.redis_broker:
        return NoLiveWork()
    client = quick_client(settings.broker_url, timeout_seconds=1.0)
    return LiveWork(client, settings.cpu_group or socket.gethostname(), settings.rescore_give_way_seconds)
