"""Live latency beside a re-scoring run: p50/p95 submit-to-done, idle and during the run.

Two real workers run as deploy runs them (``recital worker -Q recordings -c 1``
and ``recital worker -Q rescore -c 1 --nice 19``; ``RECITAL_BENCH_LIVE_RESCORE``
sets the latter's options) on a throwaway Postgres
database and a Redis db. A 60 s recitation is processed and copied into
``RUN`` done attempts with no score at the current version (as
``bench/rescore.py`` does), and ``recital rescore``'s batches of 200 are sent
to the ``rescore`` queue. Live attempts (3 s flite recitations, offline
engine, each with new bytes so none hits the transcript cache) are submitted
through the API at a steady rate in windows that alternate idle and busy:
during an idle window the rescore worker's processes are stopped (SIGSTOP),
during a busy one they run. Alternating windows, rather than one idle run
before one busy run, keeps the other load on a shared machine from landing
on one side only. Submit-to-done is the attempt's ``finished_at`` minus its
``created_at`` (the front door's commit). The rest of the run is dropped
after the last window, so the suite stays within a few minutes.
"""

from __future__ import annotations

import os
import signal
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.live_load import LiveLoad, copies, rescored_since, start_worker
from bench.services import REDIS, database
from bench.speech import recitation
from bench.table import Figure

RUN = 50_000
BATCH = 200
WINDOWS = 6  # idle, busy, idle, busy, …
PER_WINDOW = 8
INTERVAL = 2.0  # seconds between live submissions
TARGET = 1.2
# The rescore worker's options, as deploy runs it; another value (e.g. "-c 2", the
# deployment before this suite) measures what the sharing buys.
RESCORE_WORKER = os.environ.get("RECITAL_BENCH_LIVE_RESCORE", "-c 1 --nice 19").split()


def run() -> list[Figure]:
    from shared.container import Container
    from shared.db.migrate import upgrade
    from shared.settings import Settings

    with tempfile.TemporaryDirectory() as tmp, database("recital_bench_live") as url:
        folder = Path(tmp)
        settings = Settings(home=folder, database_url=url, broker_url=REDIS, rate_limits_enabled=False)
        upgrade(settings)
        deps = Container(settings)
        copies(deps, *recitation(folder, 60, "minute"), RUN)
        env = {"RECITAL_HOME": tmp, "RECITAL_DATABASE_URL": url, "RECITAL_BROKER_URL": REDIS}
        live = start_worker(env, folder / "recordings.log", "recordings", "-c", "1")
        rescore = start_worker(env, folder / "rescore.log", "rescore", *RESCORE_WORKER)
        try:
            latencies, rate = _measure(deps, settings, rescore.pid, *recitation(folder, 3, "short"))
        finally:
            for worker in (live, rescore):
                _stop(worker.pid)
                worker.wait(60)
            _flush(REDIS)
            deps.engine.dispose()
    return _figures(latencies, rate)


def _measure(
    deps: Any, settings: Any, rescore_pid: int, audio: Path, text: str
) -> tuple[dict[str, list[float]], float]:
    load = LiveLoad(deps, settings, audio.read_bytes(), text)
    load.window(1, INTERVAL)  # warms the recordings worker (engine load); not counted
    os.killpg(rescore_pid, signal.SIGSTOP)
    sent = load.send_rescore_run(BATCH)
    if sent < RUN:
        raise RuntimeError(f"only {sent} of {RUN} attempts pending")
    latencies: dict[str, list[float]] = {"idle": [], "busy": []}
    busy_seconds, rescored = 0.0, 0
    for window in range(WINDOWS):
        busy = window % 2 == 1
        os.killpg(rescore_pid, signal.SIGCONT if busy else signal.SIGSTOP)
        started, before = time.monotonic(), rescored_since(deps)
        latencies["busy" if busy else "idle"] += load.window(PER_WINDOW, INTERVAL)
        if busy:
            busy_seconds += time.monotonic() - started
            rescored += rescored_since(deps) - before
    if rescored_since(deps) >= RUN:
        raise RuntimeError("the re-scoring run ended before the last busy window: raise RUN")
    return latencies, rescored / busy_seconds


def _figures(latencies: dict[str, list[float]], rate: float) -> list[Figure]:
    idle, busy = latencies["idle"], latencies["busy"]
    count = f"{len(busy)} live attempts during, {len(idle)} between"
    p95 = Figure(
        f"live p95 submit-to-done during a {RUN:,}-attempt re-scoring run ({count})",
        "ms",
        [_percentile(busy, 95)],
        baseline_name="idle p95, windows alternating with the run's",
        baseline_runs=[_percentile(idle, 95)],
        target=f"≤ {TARGET}× idle",
        ratio_note="× idle",
    )
    p95.met = p95.ratio is not None and p95.ratio <= TARGET
    p50 = Figure(
        "live p50 submit-to-done during the run",
        "ms",
        [statistics.median(busy)],
        baseline_name="idle p50",
        baseline_runs=[statistics.median(idle)],
        ratio_note="× idle",
    )
    worker = " ".join(RESCORE_WORKER)
    progress = Figure(f"re-scoring beside the live attempts (rescore worker {worker})", "attempts/s", [rate])
    return [p95, p50, progress]


def _percentile(values: list[float], p: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


def _stop(pid: int) -> None:
    os.killpg(pid, signal.SIGCONT)  # a stopped worker cannot take its SIGTERM
    os.killpg(pid, signal.SIGTERM)


def _flush(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()
