"""Redis failing: killed without persistence mid-run, down or hung at upload, and a
task that outlives the visibility timeout (so Redis delivers it twice)."""

from __future__ import annotations

import re
import time

import pytest

from tests.faults.harness import Cluster, MakeCluster, Report, engine_latency, wait_done, wait_until

pytestmark = [pytest.mark.faults, pytest.mark.integration]

# shared.queue.PUBLISH_TIMEOUT_SECONDS plus room for a loaded 2-core machine.
UPLOAD_BUDGET_SECONDS = 4.0


def _resent(logs: str) -> int:
    return sum(int(n) for n in re.findall(r"sweep resent=(\d+)", logs))


@pytest.mark.timeout(120)
def test_redis_sigkill_mid_run_then_one_sweep(make_cluster: MakeCluster, report: Report) -> None:
    """Redis (no persistence) is SIGKILLed mid-run and restarted on the same port:
    every queued message is gone, the worker reconnects, and one sweep re-sends
    exactly the unfinished attempts, which then all finish."""
    cluster = make_cluster(stuck_queued_seconds=5, lease_seconds=10)
    engine_latency(cluster, 0.2)
    worker = cluster.add_worker(beat=False)
    cluster.submit(60)
    wait_done(cluster, 15, timeout=30)
    cluster.redis.kill()
    time.sleep(1.0)
    cluster.redis.start()
    # Let the worker finish what it can, until leases expire and queued rows count as stuck.
    time.sleep(cluster.knobs["lease_seconds"] + 2)
    before = cluster.counts()
    assert worker.process.poll() is None, "the worker died with the broker"
    sweep = cluster.sweep_once()
    counts = cluster.wait_final(timeout=40)
    report(counts, f"unfinished_before_sweep={before.lost} resent={sweep.resent}")
    assert before.lost > 0, "the Redis kill lost nothing: the scenario did not bite"
    assert sweep.resent == before.lost, (sweep, before)
    assert counts.submitted == 60 and counts.done == 60 and counts.lost == 0, counts
    assert counts.duplicate_scores == 0, counts


@pytest.mark.timeout(90)
def test_redis_down_at_upload(make_cluster: MakeCluster, report: Report) -> None:
    """Redis dead (refusing) or hung (SIGSTOP) at upload: the recording and row are
    saved, the learner gets 202 within a few seconds, and once Redis is back
    the sweeper (beat) sends the attempts and they are scored."""
    cluster = make_cluster(stuck_queued_seconds=3, sweep_interval_seconds=1)
    cluster.redis.kill()
    refused = [_timed_upload(cluster) for _ in range(5)]
    cluster.redis.start()
    cluster.redis.pause()
    hung = [_timed_upload(cluster) for _ in range(2)]
    cluster.redis.resume()
    statuses = cluster.statuses()
    assert all(statuses[a] == "queued" for a in cluster.attempts), statuses
    stored = list((cluster.root / "storage").rglob("*.wav"))
    assert len(stored) == 7, stored
    poll = cluster.poll(next(iter(cluster.attempts)))
    assert poll.status_code == 200 and poll.get_json()["status"] == "queued"
    cluster.add_worker(beat=True)
    counts = cluster.wait_final(timeout=40)
    slowest = max(refused + hung)
    report(counts, f"upload_refused_max={max(refused):.2f}s upload_hung_max={max(hung):.2f}s")
    assert slowest < UPLOAD_BUDGET_SECONDS, (refused, hung)
    assert counts.submitted == 7 and counts.done == 7 and counts.lost == 0, counts
    assert _resent(cluster.worker_logs()) >= 5, "the sweeper did not send the saved attempts"
    assert counts.duplicate_scores == 0, counts


def _timed_upload(cluster: Cluster) -> float:
    started = time.monotonic()
    response = cluster.upload()
    elapsed = time.monotonic() - started
    assert response.status_code == 202, response.get_json()
    return elapsed


@pytest.mark.timeout(90)
def test_task_outliving_visibility_timeout(make_cluster: MakeCluster, report: Report) -> None:
    """One engine call takes 12 s against a 4 s visibility timeout, so Redis
    hands the same message to the second pool child while the first still runs.
    The redelivery sees the live lease and does nothing: exactly one score and
    exactly one transcription call. (The test's worker app raises the task time
    limit past the visibility timeout, the misconfiguration settings refuse,
    to force the duplicate delivery.)"""
    cluster = make_cluster(
        visibility_timeout_seconds=4,
        task_hard_time_limit_seconds=3,
        task_soft_time_limit_seconds=2,
        lease_seconds=45,
        stuck_queued_seconds=60,
    )
    cluster.engine.stall(0, seconds=12)
    cluster.add_worker(beat=False, FAULTS_TIME_LIMIT="30")
    (slow,) = cluster.submit(1)
    wait_until(lambda: cluster.processing_ids() == [slow], 10, "the slow attempt to start")
    others = cluster.submit(5)
    counts = cluster.wait_final(timeout=40)
    logs = cluster.worker_logs()
    # The second delivery found the first worker's live lease: it deferred
    # (busy) to look again when the lease ends, when it finds the attempt done.
    redelivered = f"attempt={slow} status=busy" in logs or f"attempt={slow} status=skipped" in logs
    calls = cluster.calls_per_attempt()
    (scores,) = cluster.query("SELECT count(*) FROM scores WHERE attempt_id = %s", slow)[0]
    report(counts, f"slow_calls={calls[slow]} slow_scores={scores} redelivered={redelivered}")
    assert redelivered, "Redis never redelivered the slow task: the scenario did not bite"
    assert cluster.statuses()[slow] == "done"
    assert scores == 1 and calls[slow] == 1, (scores, calls)
    assert counts.done == 1 + len(others) and counts.duplicated == 0, counts
