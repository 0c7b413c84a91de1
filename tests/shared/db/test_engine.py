"""The pool outlives a Postgres backend going away: pinged when idle, dropped
whole after a disconnect when busy."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError, OperationalError

from shared.db.engine import build_engine
from shared.settings import Settings

pytestmark = pytest.mark.integration


def _kill_backends(pg_url: str, engine: Engine) -> int:
    """Terminate every server process behind the engine's pooled connections."""
    with engine.connect() as conn:
        pid = conn.execute(text("SELECT pg_backend_pid()")).scalar_one()
    with psycopg.connect(pg_url.replace("+psycopg", ""), autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
    return int(pid)


def _backend_pid(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT pg_backend_pid()")).scalar_one())


def test_idle_connection_is_pinged_and_replaced(pg_url: str) -> None:
    engine = build_engine(Settings(database_url=pg_url, db_ping_idle_seconds=0))
    killed = _kill_backends(pg_url, engine)
    assert _backend_pid(engine) != killed  # no error: the ping found it dead


def test_busy_connection_fails_once_then_the_pool_recovers(pg_url: str) -> None:
    engine = build_engine(Settings(database_url=pg_url, db_ping_idle_seconds=3600))
    killed = _kill_backends(pg_url, engine)
    with pytest.raises(OperationalError) as failure:
        _backend_pid(engine)  # trusted without a ping: the statement finds out
    assert failure.value.connection_invalidated
    assert _backend_pid(engine) != killed


@pytest.mark.parametrize("database", ["postgres", "sqlite"])
def test_a_failed_statement_names_no_parameter_values(database: str, pg_url: str, tmp_path: Path) -> None:
    """The web logs a database error with its traceback, whose message SQLAlchemy ends with
    the statement's parameters: a password hash, a session's CSRF token, a token's prefix
    (QA: a sign-in racing an account's deletion logged its new session's)."""
    settings = Settings(home=tmp_path, **({"database_url": pg_url} if database == "postgres" else {}))
    engine = build_engine(settings)
    with pytest.raises(DBAPIError) as failed, engine.connect() as conn:
        conn.execute(text("INSERT INTO no_such_table VALUES (:secret)"), {"secret": "s3cr3t-value"})
    assert "s3cr3t-value" not in str(failed.value)
    engine.dispose()
