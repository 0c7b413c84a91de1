"""Worker processes dying: children killed mid-task, the whole worker killed,
a warm shutdown under load, and a recording that kills its worker every time."""

from __future__ import annotations

import time

import pytest

from tests.faults.harness import (
    MakeCluster,
    Report,
    child_pid,
    engine_latency,
    kill_children_mid_task,
    wait_done,
    wait_until,
)

pytestmark = [pytest.mark.faults, pytest.mark.integration]


@pytest.mark.timeout(150)
def test_kill_children_mid_task(make_cluster: MakeCluster, report: Report) -> None:
    """200 attempts, 20 pool children ``kill -9``-ed while holding an attempt:
    every attempt ends done, with exactly one score each. Calls repeated to
    the engine are bounded by the kills (a call cut off by a kill must be
    made again; a finished one never is)."""
    cluster = make_cluster(stuck_queued_seconds=60)
    engine_latency(cluster, 0.15)
    worker = cluster.add_worker(beat=True)
    cluster.submit(200)
    victims = kill_children_mid_task(cluster, worker, kills=20, timeout=60)
    counts = cluster.wait_final(timeout=60)
    report(counts, f"kills={len(victims)}")
    assert len(victims) == 20
    assert counts.submitted == 200 and counts.done == 200 and counts.lost == 0, counts
    assert counts.duplicate_scores == 0, counts
    assert counts.duplicate_calls <= len(victims), counts


@pytest.mark.timeout(90)
def test_negative_control_detects_loss(make_cluster: MakeCluster, report: Report) -> None:
    """The same kills with ``task_reject_on_worker_lost`` off and no sweeper:
    each interrupted attempt is lost. This proves the counts above would show a
    loss if delivery were not made whole."""
    cluster = make_cluster(stuck_queued_seconds=60)
    engine_latency(cluster, 0.15)
    worker = cluster.add_worker(beat=False, FAULTS_REJECT_ON_WORKER_LOST="false")
    cluster.submit(40)
    victims = kill_children_mid_task(cluster, worker, kills=5, timeout=30)
    lease = cluster.knobs["lease_seconds"]
    counts = cluster.wait_final(timeout=lease + 5)
    report(counts, f"kills={len(victims)}")
    assert victims, "no kill landed mid-task"
    assert counts.lost == len(victims), counts
    assert set(cluster.processing_ids()) == set(victims)


@pytest.mark.timeout(90)
def test_reject_on_worker_lost_alone_recovers_without_sweeper(
    make_cluster: MakeCluster, report: Report
) -> None:
    """The same kills with reject-on-worker-lost on and still no sweeper: the
    redelivered message finds the dead child's lease live, waits for it to run
    out (no heartbeat renews it) and then claims the attempt. Nothing is lost."""
    cluster = make_cluster(stuck_queued_seconds=60)
    engine_latency(cluster, 0.15)
    worker = cluster.add_worker(beat=False)
    cluster.submit(40)
    victims = kill_children_mid_task(cluster, worker, kills=5, timeout=30)
    lease = cluster.knobs["lease_seconds"]
    counts = cluster.wait_final(timeout=lease + 30)
    report(counts, f"kills={len(victims)}")
    assert victims, "no kill landed mid-task"
    assert counts.done == 40 and counts.lost == 0 and counts.duplicate_scores == 0, counts


@pytest.mark.timeout(120)
def test_whole_worker_sigkill_then_new_worker(make_cluster: MakeCluster, report: Report) -> None:
    """``kill -9`` the whole worker (main process, pool children and beat) while
    it holds attempts and has messages reserved; a new worker (with beat)
    finishes everything: nothing lost, one score each."""
    cluster = make_cluster(stuck_queued_seconds=8, visibility_timeout_seconds=30)
    engine_latency(cluster, 0.2)
    first = cluster.add_worker(beat=True)
    cluster.submit(60)
    wait_done(cluster, 10, timeout=30)
    wait_until(lambda: len(cluster.processing()) >= 1, 10, "an attempt in flight")
    first.kill()
    interrupted = cluster.processing_ids()
    cluster.add_worker(beat=True)
    counts = cluster.wait_final(timeout=60)
    report(counts, f"interrupted={len(interrupted)}")
    assert interrupted, "the kill interrupted nothing"
    assert counts.submitted == 60 and counts.done == 60 and counts.lost == 0, counts
    assert counts.duplicate_scores == 0, counts
    assert counts.duplicate_calls <= len(interrupted), counts


@pytest.mark.timeout(120)
def test_warm_shutdown_under_load(make_cluster: MakeCluster, report: Report) -> None:
    """SIGTERM (warm shutdown) while busy: running tasks finish, reserved
    messages go back to Redis, and a new worker *without* beat (no sweeper)
    finishes the rest: nothing lost, nothing processed twice."""
    cluster = make_cluster(stuck_queued_seconds=60)
    engine_latency(cluster, 0.2)
    first = cluster.add_worker(beat=False)
    cluster.submit(60)
    wait_done(cluster, 15, timeout=30)
    seconds = first.terminate(timeout=30)
    left_processing = cluster.processing_ids()
    done_at_shutdown = cluster.counts().done
    cluster.add_worker(beat=False)
    counts = cluster.wait_final(timeout=60)
    report(counts, f"shutdown={seconds:.1f}s done_at_shutdown={done_at_shutdown}")
    assert left_processing == [], "warm shutdown abandoned running attempts"
    assert done_at_shutdown < 60, "the shutdown did not happen under load"
    assert counts.submitted == 60 and counts.done == 60 and counts.lost == 0, counts
    assert counts.duplicated == 0, counts


@pytest.mark.timeout(120)
def test_poison_recording_fails_after_three_deliveries(make_cluster: MakeCluster, report: Report) -> None:
    """A recording whose engine call never returns, so the hard time limit kills
    the pool child on every delivery: it fails ``too_many_deliveries`` after at
    most three deliveries (three engine calls), while attempts submitted during
    its whole life keep being scored."""
    cluster = make_cluster(
        task_hard_time_limit_seconds=4,
        task_soft_time_limit_seconds=3,
        lease_seconds=5,
        visibility_timeout_seconds=30,
        sweep_interval_seconds=1,
        stuck_queued_seconds=30,
    )
    cluster.engine.stall(0, seconds=300)
    engine_latency(cluster, 0.1)
    cluster.add_worker(beat=True)
    (poison,) = cluster.submit(1)
    others: list[str] = []
    deadline = time.monotonic() + 60
    while cluster.statuses()[poison] not in ("done", "failed") and time.monotonic() < deadline:
        others += cluster.submit(5)
        time.sleep(1.0)
    counts = cluster.wait_final(timeout=30)
    report(counts, f"poison_calls={cluster.calls_per_attempt()[poison]}")
    (row,) = cluster.query(
        "SELECT status, error_code, delivery_count, finished_at FROM attempts WHERE id = %s", poison
    )
    status, code, deliveries, poison_finished = row
    assert (status, code) == ("failed", "too_many_deliveries"), row
    assert deliveries <= 3 and cluster.calls_per_attempt()[poison] <= 3, row
    assert "Hard time limit" in cluster.worker_logs() or "TimeLimitExceeded" in cluster.worker_logs()
    assert counts.done == len(others) and counts.failed == 1 and counts.lost == 0, counts
    flowed = cluster.query(
        "SELECT count(*) FROM attempts WHERE status = 'done' AND finished_at < %s", poison_finished
    )
    assert flowed[0][0] >= 10, "other attempts did not flow while the poison was retried"
    assert counts.duplicate_scores == 0, counts


def test_child_pid_parses_worker_ids() -> None:
    assert child_pid("host:with:colons:1234") == 1234
