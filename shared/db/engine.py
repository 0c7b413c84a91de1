"""Engine and session factory built from settings, safe across worker forks."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, exc
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from shared.settings import Settings


def build_engine(settings: Settings) -> Engine:
    url = make_url(settings.resolved_database_url)
    if url.get_backend_name() == "sqlite":
        return _sqlite_engine(url.database)
    if url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    timeout = settings.statement_timeout_ms
    engine = create_engine(
        url,
        pool_size=5,
        max_overflow=5,
        pool_timeout=5,
        connect_args={"options": f"-c statement_timeout={timeout}", "connect_timeout": 5},
        hide_parameters=True,  # an error's message would end with them: hashes, CSRF tokens (QA)
    )
    ping_when_idle(engine, settings.db_ping_idle_seconds)
    return engine


def ping_when_idle(engine: Engine, idle_seconds: float) -> None:
    """Survive a Postgres restart without restarting us, cheaply.

    ``pool_pre_ping`` would cost a round trip on every checkout (a tenth of an
    upload's time). A connection back in use within ``idle_seconds`` is trusted;
    if the server went away meanwhile, that statement fails with a disconnect,
    which answers 503 and makes SQLAlchemy drop the whole pool, so the next
    request connects afresh. A connection idle longer is pinged first, so the
    first request after a quiet restart still succeeds.
    """

    def mark_idle(_dbapi_connection: Any, record: Any, *_: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    def ping_if_idle(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        if time.monotonic() - record.info.get("idle_since", 0.0) < idle_seconds:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as error:  # the pool reconnects
            raise exc.DisconnectionError(f"stale pooled connection: {error}") from error

    event.listen(engine, "connect", mark_idle)
    event.listen(engine, "checkin", mark_idle)
    event.listen(engine, "checkout", ping_if_idle)


def _sqlite_engine(database: str | None) -> Engine:
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        f"sqlite:///{database or ':memory:'}",
        connect_args={"check_same_thread": False, "timeout": 30},
        hide_parameters=True,
    )
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets the in-process worker write while the web thread reads.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
    # SQLite's own lower() folds ASCII alone, so ILIKE (lower(x) LIKE lower(y)) missed
    # "Ça va" for "ça"; Postgres folds every letter. Python's does as Postgres does.
    dbapi_connection.create_function("lower", 1, _lower, deterministic=True)


def _lower(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    lowered = value.lower()
    if len(lowered) == len(value):
        return lowered
    # One letter for one, as Postgres's lower() gives: Python makes "İ" "i" and a dot.
    return "".join(ch.lower()[0] for ch in value)


def build_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)
