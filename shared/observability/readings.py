"""Metrics read at scrape time from what the broker and the database hold.

The web serves these (one place, not once per worker): the depth of each
Celery queue and the age of its oldest message, read from the Redis lists
kombu keeps per queue (and per priority step); attempts by status, one
``GROUP BY`` on the status index; and the progress of the newest re-scoring
runs (``rescore_runs``). A reading that fails is left out of that
scrape and counted in ``recital_scrape_errors_total`` rather than failing
the whole page.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, TypeVar

import redis
from kombu.transport.redis import PRIORITY_STEPS, Channel
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from shared.observability.context import SENT_AT_HEADER

log = logging.getLogger(__name__)
T = TypeVar("T")

# kombu's Redis transport keeps priority N of queue Q in the list "Q\x06\x16N".
PRIORITY_SEPARATOR = Channel.sep
# Messages sent without a stamp (beat, Celery's own retries) have no age; the
# oldest stamped one among the last few at the head of the queue stands in.
OLDEST_LOOKED_AT = 10
REDIS_TIMEOUT_SECONDS = 2.0


class QueueReadings(Collector):
    """``recital_queue_messages`` and ``recital_queue_oldest_message_age_seconds`` per queue."""

    def __init__(
        self, broker_url: str, queues: Sequence[str], clock: Callable[[], float] = time.time
    ) -> None:
        self._client = redis.Redis.from_url(
            broker_url, socket_timeout=REDIS_TIMEOUT_SECONDS, socket_connect_timeout=REDIS_TIMEOUT_SECONDS
        )
        self._queues = tuple(queues)
        self._clock = clock
        self.errors = 0

    def collect(self) -> Iterator[Metric]:
        depth = GaugeMetricFamily(
            "recital_queue_messages", "Messages waiting in a Celery queue (not yet taken).", labels=["queue"]
        )
        age = GaugeMetricFamily(
            "recital_queue_oldest_message_age_seconds",
            "Seconds since the oldest waiting message of a queue was sent (0 when empty).",
            labels=["queue"],
        )
        try:
            readings = [(q, *self._read(q)) for q in self._queues]
        except redis.RedisError:
            log.warning("queue readings failed", exc_info=True)
            self.errors += 1
            readings = []
        for queue, count, oldest in readings:
            depth.add_metric([queue], count)
            age.add_metric([queue], oldest)
        yield depth
        yield age

    def _read(self, queue: str) -> tuple[int, float]:
        lists = [queue] + [f"{queue}{PRIORITY_SEPARATOR}{step}" for step in PRIORITY_STEPS if step]
        pipe = self._client.pipeline(transaction=False)
        for key in lists:
            pipe.llen(key)
            # kombu pushes on the left and takes from the right: the oldest are at the end.
            pipe.lrange(key, -OLDEST_LOOKED_AT, -1)
        replies = pipe.execute()
        count = sum(int(n) for n in replies[0::2])
        now = self._clock()
        ages = [now - sent for tail in replies[1::2] for sent in _sent_times(tail)]
        return count, max([0.0, *ages])


def _sent_times(messages: Iterable[bytes]) -> Iterator[float]:
    for raw in messages:
        try:
            sent = json.loads(raw).get("headers", {}).get(SENT_AT_HEADER)
        except (ValueError, AttributeError):
            continue
        if isinstance(sent, int | float):
            yield float(sent)


class DatabaseReadings(Collector):
    """``recital_attempts`` by status, and the progress of the newest re-scoring runs.
    A scrape that finds the database down counts one error, as the queues do, and
    does not wait on it a second time for the runs."""

    def __init__(
        self, read: Callable[[], Mapping[str, Any]], read_runs: Callable[[], Sequence[Any]] = tuple
    ) -> None:
        self._read = read
        self._read_runs = read_runs
        self.errors = 0

    def collect(self) -> Iterator[Metric]:
        attempts = GaugeMetricFamily(
            "recital_attempts", "Attempts in the database by status.", labels=["status"]
        )
        counts = self._reading("database readings", self._read)
        for status, count in sorted((counts or {}).items()):
            attempts.add_metric([status], count)
        yield attempts
        runs = self._reading("rescore run readings", self._read_runs) if counts is not None else None
        yield from _run_families(runs or ())

    def _reading(self, what: str, read: Callable[[], T]) -> T | None:
        try:
            return read()
        except Exception:  # noqa: BLE001 - a database that is down must not take /metrics with it
            log.warning("%s failed", what, exc_info=True)
            self.errors += 1
            return None


def _run_families(runs: Iterable[Any]) -> Iterator[Metric]:
    counted = GaugeMetricFamily(
        "recital_rescore_run_attempts",
        "Attempts a re-scoring run has counted so far, by outcome (done, failed, skipped).",
        labels=["run", "outcome"],
    )
    total = GaugeMetricFamily(
        "recital_rescore_run_total_attempts",
        "Attempts a re-scoring run covers (once every batch is sent).",
        labels=["run"],
    )
    info = GaugeMetricFamily(
        "recital_rescore_run_info",
        "1 per recent re-scoring run, with its state.",
        labels=["run", "state", "mode"],
    )
    for run in runs:
        name = str(run.id)
        for outcome in ("done", "failed", "skipped"):
            counted.add_metric([name, outcome], getattr(run, outcome))
        if run.total is not None:
            total.add_metric([name], run.total)
        info.add_metric([name, run.state, run.mode], 1)
    yield from (counted, total, info)


class ScrapeErrors(Collector):
    """``recital_scrape_errors_total`` by source, one family for all readings (Prometheus's
    format allows a name once per page). Registered after the readings it counts, so a
    failure in this scrape is in this scrape's count."""

    def __init__(self, sources: Mapping[str, QueueReadings | DatabaseReadings]) -> None:
        self._sources = dict(sources)

    def collect(self) -> Iterator[Metric]:
        family = CounterMetricFamily(
            "recital_scrape_errors",
            "Readings left out of a scrape because their source failed.",
            labels=["source"],
        )
        for source, readings in self._sources.items():
            family.add_metric([source], readings.errors)
        yield family
