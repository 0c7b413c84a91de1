"""Processes a benchmark needs: gunicorn servers, a throwaway database, a Redis db."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg

from tests.support.stack import ROOT, gunicorn_server

PG_ADMIN = os.environ.get("RECITAL_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/test")
REDIS = os.environ.get("RECITAL_BENCH_REDIS", "redis://127.0.0.1:6379/12")
GUNICORN_ARGS = os.environ.get(
    "RECITAL_BENCH_GUNICORN", "--workers 4 --threads 4 --worker-class gthread --log-level warning"
).split()
# The servers' own lines (one JSON access line per request) go here, not into the table's output.
SERVER_LOGS = ROOT / ".recital" / "bench-logs"


@contextmanager
def database(name: str) -> Iterator[str]:
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def gunicorn(app: str, env: dict[str, str]) -> Iterator[int]:
    SERVER_LOGS.mkdir(parents=True, exist_ok=True)
    log: Path = SERVER_LOGS / f"{app.replace(':', '.')}.log"
    with log.open("wb") as out, gunicorn_server(app, GUNICORN_ARGS, env, out) as port:
        yield port
