"""Queue depth and the oldest message's age, read from a real Redis broker as kombu keeps it."""

from __future__ import annotations

import time
import uuid

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.parser import text_string_to_metric_families

from shared.observability.readings import DatabaseReadings, QueueReadings, ScrapeErrors
from shared.queue import QUEUE_RECORDINGS, QUEUE_RESCORE, CeleryEnqueuer, RescoreEnqueuer, build_celery
from shared.settings import Settings
from tests.support.stack import redis_db_url


def samples(*collectors: object) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    registry = CollectorRegistry(auto_describe=False)
    for collector in collectors:
        registry.register(collector)  # type: ignore[arg-type]
    text = generate_latest(registry).decode()
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def test_depth_counts_every_priority_and_age_is_the_oldest_stamped_message() -> None:
    broker = redis_db_url(10)
    app = build_celery(Settings(broker_url=broker))
    send = CeleryEnqueuer(app)
    first_sent = time.time()
    for _ in range(3):
        send(uuid.uuid4())
    app.send_task("recital.process_attempt", args=["x"], queue=QUEUE_RECORDINGS, priority=6)  # no stamp
    RescoreEnqueuer(app)([uuid.uuid4()])
    later = first_sent + 100.0
    readings = QueueReadings(broker, (QUEUE_RECORDINGS, QUEUE_RESCORE, "maintenance"), clock=lambda: later)
    found = samples(readings, ScrapeErrors({"queues": readings}))
    depth = {q: found[("recital_queue_messages", (("queue", q),))] for q in (QUEUE_RECORDINGS, QUEUE_RESCORE)}
    assert depth == {QUEUE_RECORDINGS: 4, QUEUE_RESCORE: 1}
    assert found[("recital_queue_messages", (("queue", "maintenance"),))] == 0
    age = found[("recital_queue_oldest_message_age_seconds", (("queue", QUEUE_RECORDINGS),))]
    assert 99.0 < age <= 100.0  # the first one sent, not a later one
    assert found[("recital_queue_oldest_message_age_seconds", (("queue", "maintenance"),))] == 0
    assert found[("recital_scrape_errors_total", (("source", "queues"),))] == 0


def test_a_broker_that_is_down_leaves_its_readings_out_and_counts_the_error() -> None:
    readings = QueueReadings("redis://127.0.0.1:1/0", ("recordings",))
    found = samples(readings, ScrapeErrors({"queues": readings}))
    assert ("recital_queue_messages", (("queue", "recordings"),)) not in found
    assert found[("recital_scrape_errors_total", (("source", "queues"),))] == 1


def test_a_database_that_is_down_leaves_its_readings_out_and_counts_the_error() -> None:
    def down() -> dict[str, int]:
        raise ConnectionError("database down")

    readings = DatabaseReadings(down)
    found = samples(readings, ScrapeErrors({"database": readings}))
    assert not [key for key in found if key[0] == "recital_attempts"]
    assert found[("recital_scrape_errors_total", (("source", "database"),))] == 1


def test_a_database_that_is_down_counts_one_error_per_scrape() -> None:
    calls: list[str] = []

    def down() -> dict[str, int]:
        calls.append("attempts")
        raise ConnectionError("database down")

    def runs_down() -> list[object]:
        calls.append("runs")
        raise ConnectionError("database down")

    readings = DatabaseReadings(down, runs_down)
    errors = ScrapeErrors({"database": readings})
    found = samples(readings, errors)
    assert found[("recital_scrape_errors_total", (("source", "database"),))] == 1
    assert calls == ["attempts"]  # not a second wait on a database already found down
    assert samples(readings, errors)[("recital_scrape_errors_total", (("source", "database"),))] == 2


def test_runs_that_fail_alone_are_left_out_and_counted() -> None:
    def runs_down() -> list[object]:
        raise ConnectionError("no rescore_runs table")

    readings = DatabaseReadings(lambda: {"done": 3}, runs_down)
    found = samples(readings, ScrapeErrors({"database": readings}))
    assert found[("recital_attempts", (("status", "done"),))] == 3
    assert found[("recital_scrape_errors_total", (("source", "database"),))] == 1
    assert not [key for key in found if key[0].startswith("recital_rescore_run")]


def test_both_sources_down_are_one_family_with_a_sample_each() -> None:
    """Prometheus's format allows a metric's HELP and TYPE once per page."""

    def down() -> dict[str, int]:
        raise ConnectionError("database down")

    queues, database = QueueReadings("redis://127.0.0.1:1/0", ("recordings",)), DatabaseReadings(down)
    registry = CollectorRegistry(auto_describe=False)
    for collector in (queues, database, ScrapeErrors({"queues": queues, "database": database})):
        registry.register(collector)
    text = generate_latest(registry).decode()
    assert text.count("# HELP recital_scrape_errors_total ") == 1
    assert 'recital_scrape_errors_total{source="queues"} 1.0' in text
    assert 'recital_scrape_errors_total{source="database"} 1.0' in text
