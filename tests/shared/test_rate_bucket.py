"""The shared rate limit on real Redis: both buckets, their refill, and one limit across processes."""

from __future__ import annotations

import multiprocessing
import uuid

import redis

from shared.rate_bucket import Limits, SharedRateLimit
from tests.support.stack import REDIS_URL

URL = f"{REDIS_URL}/10"  # keys named per test: nothing to flush, nothing shared


def bucket(name: str, rpm: float, minutes_per_hour: float) -> SharedRateLimit:
    return SharedRateLimit(redis.Redis.from_url(URL), Limits(rpm, minutes_per_hour), name)


def test_requests_per_minute_then_a_wait_of_one_refill() -> None:
    limit = bucket(f"t-{uuid.uuid4().hex}", rpm=6, minutes_per_hour=600)
    assert [limit.try_take(1.0) for _ in range(6)] == [0.0] * 6
    wait = limit.try_take(1.0)
    assert 9.0 < wait <= 10.0  # one request comes back every 10 s


def test_audio_minutes_per_hour_and_nothing_taken_on_a_refusal() -> None:
    limit = bucket(f"t-{uuid.uuid4().hex}", rpm=600, minutes_per_hour=1)  # 60 s of audio an hour
    assert limit.try_take(50.0) == 0.0
    wait = limit.try_take(20.0)  # 10 s short, refilled at 1 s a minute
    assert 590.0 < wait <= 600.0
    assert limit.try_take(10.0) == 0.0  # the refused take took nothing, from either bucket
    assert limit.take(5.0, timeout=1.0) is False  # would have to wait ~5 minutes


def _take_many(name: str, tries: int, out: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    limit = bucket(name, rpm=10, minutes_per_hour=600)
    out.put(sum(limit.try_take(1.0) == 0.0 for _ in range(tries)))


def test_four_processes_share_one_limit() -> None:
    name, results = f"t-{uuid.uuid4().hex}", multiprocessing.Queue()
    workers = [multiprocessing.Process(target=_take_many, args=(name, 25, results)) for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(30)
    taken = [results.get(timeout=5) for _ in workers]
    assert sum(taken) == 10, taken  # 100 tries, 10 tokens, refill 1 every 6 s
