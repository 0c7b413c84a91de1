"""A re-scoring run whose worker is SIGKILLed right after a batch committed (before
its acknowledgement): a new worker gets the batch again, and the run still counts
every attempt once, with one new score row each.

The new worker pauses a second after each batch too, so the run is still going
when the killed batch comes back (after the visibility timeout; Redis hands a
restored message out next): it reaches the run's once-only count, not merely
a run that has finished."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime

import pytest

from shared.container import Container
from shared.db.repositories.runs_port import RunFilter
from shared.domain.scoring import SCORING_VERSION
from shared.queue import RescoreEnqueuer, build_celery
from shared.services.rescore_runs import plan_run, require_run, start_run
from tests.faults.harness import MakeCluster, Report, wait_until
from tests.support.attempts import OLD_VERSION
from tests.support.runs import copy_attempts, score_rows

pytestmark = [pytest.mark.faults, pytest.mark.integration]
ATTEMPTS, BATCH = 300, 10
RESCORE_ONLY = ("-Q", "rescore")


@pytest.mark.timeout(120)
def test_whole_worker_sigkill_mid_run_then_a_new_worker(make_cluster: MakeCluster, report: Report) -> None:
    cluster = make_cluster(visibility_timeout_seconds=15)
    processor = cluster.add_worker(beat=False, concurrency=1)
    source = cluster.submit(1)[0]
    cluster.wait_final(timeout=60)
    processor.stop()
    deps = Container(cluster.settings())
    made = copy_attempts(deps, uuid.UUID(source), ATTEMPTS, datetime(2026, 5, 1, tzinfo=UTC))
    with deps.uow() as uow:
        run = start_run(uow, RunFilter(learner_id=made.learner_id), "faults")
    plan_run(deps.uow, run.id, BATCH, RescoreEnqueuer(build_celery(deps.settings)).batch)

    def counted() -> int:
        with deps.uow() as uow:
            return require_run(uow, run.id).counted

    victim = cluster.add_worker(beat=False, concurrency=1, extra=RESCORE_ONLY, FAULTS_RESCORE_PAUSE="0.5")
    wait_until(lambda: counted() >= 5 * BATCH, 60, "five batches counted", every=0.01)
    victim.kill()  # inside a counted batch's pause: committed, not acknowledged
    at_kill = counted()
    assert at_kill < ATTEMPTS

    rescuer = cluster.add_worker(beat=False, concurrency=1, extra=RESCORE_ONLY, FAULTS_RESCORE_PAUSE="1.0")
    wait_until(lambda: counted() >= ATTEMPTS, 70, "the run counted to its total")
    time.sleep(1)  # anything more would show now
    with deps.uow() as uow:
        final = require_run(uow, run.id)
    rows = score_rows(deps, made.ids)
    print(f"\n[faults] rescore run killed at {at_kill}/{ATTEMPTS}: {final.done} done, rows {rows}")
    assert (final.state, final.total, final.done, final.failed, final.skipped) == (
        "finished", ATTEMPTS, ATTEMPTS, 0, 0,
    )  # fmt: skip
    assert rows == {OLD_VERSION: ATTEMPTS, SCORING_VERSION: ATTEMPTS}
    assert "not counted: counted before" in rescuer.text(), rescuer.text()[-3000:]
    deps.engine.dispose()
