"""The front door's publisher on the real Redis: one client per thread's channel."""

from __future__ import annotations

import json
import uuid

import pytest
import redis

from shared.observability import context
from shared.queue import QUEUE_RECORDINGS, CeleryEnqueuer, build_celery
from shared.settings import Settings
from tests.support.stack import redis_db_url

pytestmark = pytest.mark.integration


def test_sends_reuse_one_redis_client_and_reach_the_queue() -> None:
    redis_url = redis_db_url(11)  # no test worker consumes this database
    broker = redis.Redis.from_url(redis_url)
    broker.delete(QUEUE_RECORDINGS)
    enqueue = CeleryEnqueuer(build_celery(Settings(broker_url=redis_url)))
    ids = [uuid.uuid4() for _ in range(3)]
    context.clear()
    clients = set()
    for attempt_id in ids:
        enqueue(attempt_id)
        clients.add(id(enqueue._local.connection.default_channel._kept_client))
    assert len(clients) == 1
    sent = [json.loads(m) for m in broker.lrange(QUEUE_RECORDINGS, 0, -1)]
    assert sorted(m["headers"]["argsrepr"] for m in sent) == sorted(repr([str(i)]) for i in ids)
    assert {m["headers"]["task"] for m in sent} == {"recital.process_attempt"}
    assert context.ATTEMPT_ID.get() is None  # a sweep's summary line is not tagged with the last one sent
    broker.delete(QUEUE_RECORDINGS)
