"""Live work marked in real Redis, and a rescore worker giving way to it."""

from __future__ import annotations

import threading
import time
import uuid

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from shared.live_work import LiveWork, NoLiveWork, live_work
from shared.settings import Settings
from tests.support.stack import REDIS_URL

URL = f"{REDIS_URL}/10"  # groups named per test: nothing to flush, nothing shared


def group() -> str:
    return f"t-{uuid.uuid4().hex}"


def marks(name: str, seconds: float = 2.0) -> LiveWork:
    return LiveWork(redis.Redis.from_url(URL), name, seconds)


def test_nothing_live_means_no_wait() -> None:
    assert marks(group()).give_way() < 0.05


def test_a_rescore_waits_while_a_live_job_runs_then_goes_on() -> None:
    name, started = group(), threading.Event()

    def live_job() -> None:
        with marks(name).busy():
            started.set()
            time.sleep(0.4)

    job = threading.Thread(target=live_job)
    job.start()
    started.wait(5)
    waited = marks(name).give_way()
    job.join()
    assert 0.25 < waited < 1.0
    assert marks(name).give_way() < 0.05  # the mark went with the job


def test_giving_way_is_bounded_and_only_to_the_same_group() -> None:
    name = group()
    with marks(name).busy():
        assert 0.3 <= marks(name, seconds=0.3).give_way() < 0.6  # steady live load: the run still moves
        assert marks(group()).give_way() < 0.05  # another machine's live work


def test_a_mark_left_by_a_killed_worker_lapses() -> None:
    name = group()
    redis.Redis.from_url(URL).zadd(f"recital:live-work:{name}", {"dead-worker": time.time() - 1})
    assert marks(name).give_way() < 0.05


def test_redis_gone_fails_no_job_and_holds_no_run() -> None:
    client = redis.Redis(port=1, socket_connect_timeout=0.2, retry=Retry(NoBackoff(), 0))
    gone = LiveWork(client, group(), 2.0)
    started = time.monotonic()
    with gone.busy():
        pass
    assert gone.give_way() < 0.01  # after the first error it stops asking for a while
    assert time.monotonic() - started < 0.5


def test_embedded_or_turned_off_never_waits(tmp_path: object) -> None:
    assert isinstance(live_work(Settings(broker_url="memory://")), NoLiveWork)
    assert isinstance(live_work(Settings(broker_url=URL, rescore_give_way_seconds=0)), NoLiveWork)
    assert isinstance(live_work(Settings(broker_url=URL)), LiveWork)
