"""PostgreSQL restarting under load: workers and the front door recover without
a restart of their own, and nothing is lost."""

from __future__ import annotations

import time

import pytest

from tests.faults.harness import Cluster, MakeCluster, Report, engine_latency, wait_done

pytestmark = [pytest.mark.faults, pytest.mark.integration]


@pytest.mark.timeout(120)
def test_postgres_restart_mid_run(make_cluster: MakeCluster, report: Report) -> None:
    """PostgreSQL is stopped (fast shutdown) for a few seconds mid-run and started
    again. While it is down the same Flask app object answers 503 with
    ``Retry-After`` quickly; afterwards it answers 200/202 again with no
    restart; workers and the sweeper (beat) finish every attempt once."""
    cluster = make_cluster(stuck_queued_seconds=6, lease_seconds=10, sweep_interval_seconds=1)
    engine_latency(cluster, 0.2)
    cluster.add_worker(beat=True)
    first = cluster.submit(60)
    wait_done(cluster, 15, timeout=30)
    cluster.postgres.stop("fast")
    down = _while_down(cluster, first[0])
    time.sleep(2.0)
    cluster.postgres.start()
    back = cluster.poll(first[0])
    assert back.status_code == 200, back.get_json()
    cluster.submit(5)
    counts = cluster.wait_final(timeout=60)
    report(counts, f"503_in={max(down):.2f}s")
    assert max(down) < 6.0, down
    assert counts.submitted == 65 and counts.done == 65 and counts.lost == 0, counts
    assert counts.duplicate_scores == 0, counts


def _while_down(cluster: Cluster, attempt_id: str) -> list[float]:
    """Upload and poll while the database is down: 503 + Retry-After, quickly."""
    seconds: list[float] = []
    for call in (cluster.upload, lambda: cluster.poll(attempt_id)):
        started = time.monotonic()
        response = call()
        seconds.append(time.monotonic() - started)
        assert response.status_code == 503, (response.status_code, response.get_json())
        assert response.headers.get("Retry-After"), response.headers
        assert response.get_json()["error"]["code"] == "database_unavailable"
    return seconds
