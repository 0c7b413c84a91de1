"""The metrics a process counts as it works (workers, web), by name.

Counted at the edges: the worker's task adapter (jobs, stages, re-scoring
batches), the engine adapters (OpenAI requests and retries, the fallback and
its breaker), the web's request hooks. What the database and the broker hold
(attempts by status, queue depth and age) is read at scrape time instead
(:mod:`shared.observability.readings`).

Under ``PROMETHEUS_MULTIPROC_DIR`` (gunicorn workers, Celery's prefork pool)
prometheus-client keeps these in per-process files that one exporter sums.
"""

from __future__ import annotations

from collections.abc import Mapping

from prometheus_client import Counter, Gauge, Histogram

# Stages run from milliseconds (score) to tens of minutes (an hour sent to an engine).
STAGE_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800)
HTTP_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)

STAGE_SECONDS = Histogram(
    "recital_stage_duration_seconds",
    "Seconds a worker spent in one stage of a recording (decode, analyse, transcribe, score).",
    ["stage"],
    buckets=STAGE_BUCKETS,
)
JOBS = Counter(
    "recital_jobs_total",
    "Deliveries of a recording by how they ended (done, failed, retry, busy, skipped).",
    ["status"],
)
JOB_FAILURES = Counter(
    "recital_job_failures_total", "Deliveries that failed or were released, by error code.", ["code"]
)
TRANSCRIPTIONS = Counter(
    "recital_transcriptions_total",
    "Recordings given to an engine, by engine and outcome (ok, or the error code).",
    ["engine", "outcome"],
)
ENGINE_REQUESTS = Counter(
    "recital_engine_requests_total",
    "HTTP requests to a remote engine, by outcome (ok, retryable, rejected).",
    ["engine", "outcome"],
)
ENGINE_RETRIES = Counter(
    "recital_engine_retries_total", "Requests to a remote engine sent again, by reason.", ["engine", "reason"]
)
ENGINE_FALLBACKS = Counter(
    "recital_engine_fallbacks_total",
    "Recordings sent to the fallback engine, by the primary and the reason (circuit_open or its error).",
    ["engine", "reason"],
)
BREAKER_OPEN = Gauge(
    "recital_engine_breaker_open",
    "1 while the engine's circuit breaker is open or waiting for its probe, else 0.",
    ["engine"],
    multiprocess_mode="livemax",
)
RESCORE_BATCHES = Counter("recital_rescore_batches_total", "Re-scoring batches finished by workers.")
RESCORE_ATTEMPTS = Counter(
    "recital_rescore_attempts_total", "Attempts in finished re-scoring batches, by outcome.", ["outcome"]
)
WORKER_QUEUES = Gauge(
    "recital_worker_consuming",
    "1 for each queue a live worker consumes from.",
    ["queue"],
    multiprocess_mode="livesum",
)
HTTP_SECONDS = Histogram(
    "recital_http_request_duration_seconds",
    "Seconds the web took per request, by method, route template and status.",
    ["method", "route", "status"],
    buckets=HTTP_BUCKETS,
)


def record_job(status: str, error_code: str | None, timings: Mapping[str, float]) -> None:
    """One delivery's outcome and its stage times (the worker's summary line, as metrics)."""
    JOBS.labels(status).inc()
    if error_code:
        JOB_FAILURES.labels(error_code).inc()
    for stage, seconds in timings.items():
        STAGE_SECONDS.labels(stage).observe(seconds)


def record_rescore_batch(scored: int, skipped: int, failed: int) -> None:
    """Counted once per batch, never per attempt: re-scoring runs a thousand attempts a second."""
    RESCORE_BATCHES.inc()
    for outcome, count in (("scored", scored), ("skipped", skipped), ("failed", failed)):
        if count:
            RESCORE_ATTEMPTS.labels(outcome).inc(count)
