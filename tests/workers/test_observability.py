"""The worker's metrics from its task signals."""

from __future__ import annotations

from types import SimpleNamespace

from prometheus_client import REGISTRY

from shared.queue import RESCORE_BATCH
from workers import observability

BATCHES = "recital_rescore_batches_total"


def test_a_batch_a_cancelled_run_stopped_is_not_a_batch_finished() -> None:
    sender = SimpleNamespace(name=RESCORE_BATCH)
    before = REGISTRY.get_sample_value(BATCHES) or 0.0
    observability._task_done(sender=sender, retval={"scored": 0, "skipped": 0, "failed": 0, "stopped": 1})
    assert (REGISTRY.get_sample_value(BATCHES) or 0.0) == before
    observability._task_done(sender=sender, retval={"scored": 2, "skipped": 1, "failed": 0})
    assert REGISTRY.get_sample_value(BATCHES) == before + 1
