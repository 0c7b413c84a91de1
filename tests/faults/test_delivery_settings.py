"""The timing invariants the fault scenarios rely on, checked without processes."""

from __future__ import annotations

import pytest

from shared.settings import Settings
from workers.tasks import RETRY_BACKOFF_SECONDS, retry_countdown

pytestmark = pytest.mark.faults


@pytest.mark.parametrize("visibility", [4, 60, 3600])
def test_retry_backoff_stays_below_visibility_timeout(visibility: int) -> None:
    """A retry's countdown message sits unacked in a worker: it must come back
    from the countdown before Redis's visibility timeout would redeliver it."""
    for delivery in range(1, len(RETRY_BACKOFF_SECONDS) + 3):
        assert 0 < retry_countdown(delivery, visibility) < visibility


def test_production_backoff_is_unchanged() -> None:
    assert [retry_countdown(d, 3600) for d in (1, 2, 3, 4)] == [5, 30, 120, 120]


def test_settings_refuse_a_hard_limit_past_the_visibility_timeout() -> None:
    with pytest.raises(ValueError, match="must be below RECITAL_VISIBILITY_TIMEOUT_SECONDS"):
        Settings(
            visibility_timeout_seconds=10, task_hard_time_limit_seconds=10, task_soft_time_limit_seconds=5
        )


def test_publisher_fails_fast_without_a_broker() -> None:
    """The front door's enqueuer gives up at once on a refused connection."""
    import time
    import uuid

    from shared.queue import CeleryEnqueuer, build_celery
    from tests.faults.harness import free_port

    enqueue = CeleryEnqueuer(build_celery(Settings(broker_url=f"redis://127.0.0.1:{free_port()}/0")))
    started = time.monotonic()
    with pytest.raises(Exception):  # noqa: B017 - kombu's OperationalError
        enqueue(uuid.uuid4())
    assert time.monotonic() - started < 1.0
