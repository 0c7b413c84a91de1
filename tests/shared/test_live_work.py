"""Live work marked in real Redis, and a rescore worker giving way to it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import uuid

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from shared.live_work import LiveWork, NoLiveWork, live_work
from shared.settings import Settings
from tests.support.stack import REDIS_URL, ROOT

URL = f"{REDIS_URL}/10"  # groups named per test: nothing to flush, nothing shared


def group() -> str:
    return f"t-{uuid.uuid4().hex}"


def marks(name: str, seconds: float = 2.0, mark_seconds: float = 30.0) -> LiveWork:
    return LiveWork(redis.Redis.from_url(URL), name, seconds, mark_seconds)


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


def test_a_job_longer_than_its_mark_keeps_it_until_it_ends() -> None:
    name = group()
    with marks(name, mark_seconds=0.3).busy():
        time.sleep(1.0)  # three lifetimes of the mark: only the refresh keeps it
        assert 0.2 <= marks(name, seconds=0.2).give_way() < 0.4
    time.sleep(0.15)  # a refresh racing the end must not bring the mark back
    assert marks(name).give_way() < 0.05


KILLED_JOB = """
import sys, time, redis
from shared.live_work import LiveWork
with LiveWork(redis.Redis.from_url(sys.argv[1]), sys.argv[2], 2.0, mark_seconds=1.0).busy():
    print("busy", flush=True)
    time.sleep(60)
"""


def test_a_worker_killed_mid_job_holds_rescoring_back_only_briefly() -> None:
    name = group()
    job = subprocess.Popen(
        [sys.executable, "-c", KILLED_JOB, URL, name], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    assert job.stdout is not None and job.stdout.readline().strip() == "busy"
    os.kill(job.pid, signal.SIGKILL)
    job.wait()
    assert marks(name, seconds=0.1).give_way() >= 0.1  # its mark is still there for now
    assert marks(name, seconds=5.0).give_way() < 1.2  # and lapses within its lifetime, not minutes


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
