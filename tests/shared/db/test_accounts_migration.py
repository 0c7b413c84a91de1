"""Migration 0002 carries today's learners, pieces and attempts over to accounts (on Postgres),
and an operator then gives a carried-over learner a password to sign in with."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator

import psycopg
import pytest

from shared.db.migrate import upgrade
from shared.settings import Settings
from tests.support.auth import PASSWORD
from tests.support.stack import ROOT, create_database, drop_database
from web import create_app


@pytest.fixture
def empty_db() -> Iterator[str]:
    url = create_database()
    yield url
    drop_database(url)


def test_learners_pieces_and_attempts_are_carried_over(empty_db: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings = Settings(home=tmp_path, database_url=empty_db)
    upgrade(settings, "0001")
    learner, piece, attempt = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    with psycopg.connect(empty_db) as conn:
        conn.execute("INSERT INTO learners VALUES (%s, 'old-ada', now())", (learner,))
        conn.execute("INSERT INTO pieces VALUES (%s, 'Psalm', 'The Lord is my shepherd.', now())", (piece,))
        conn.execute(
            "INSERT INTO attempts (id, learner_id, piece_id, status, stage, storage_key, sha256, size_bytes,"
            " format, delivery_count, warnings, created_at, queued_at)"
            " VALUES (%s, %s, %s, 'done', 'done', 'k', %s, 1, 'wav', 1, '[]', now(), now())",
            (attempt, learner, piece, "0" * 64),
        )
    upgrade(settings)
    with psycopg.connect(empty_db) as conn:
        assert conn.execute("SELECT handle, role, password_hash FROM users").fetchall() == [
            ("old-ada", "learner", None)
        ]
        assert conn.execute("SELECT owner_id, visibility FROM pieces").fetchall() == [(None, "public")]
        assert conn.execute("SELECT learner_id FROM attempts").fetchall() == [(learner,)]

    app = create_app(settings, enqueue=lambda _id: None)
    client = app.test_client()
    no_password = client.post("/api/v1/auth/sign-in", json={"handle": "old-ada", "password": PASSWORD})
    assert no_password.status_code == 401  # an account with no password yet cannot be signed into

    env = {**os.environ, "RECITAL_DATABASE_URL": empty_db, "RECITAL_HOME": str(tmp_path)}
    run = subprocess.run(
        [sys.executable, "-m", "cli.main", "users", "set-password", "old-ada", "--password-stdin"],
        input=PASSWORD + "\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    signed_in = client.post("/api/v1/auth/sign-in", json={"handle": "old-ada", "password": PASSWORD})
    assert signed_in.status_code == 200
    csrf = {"X-CSRF-Token": signed_in.get_json()["csrf_token"]}
    assert client.get(f"/api/v1/attempts/{attempt}").get_json()["status"] == "done"
    assert (
        client.post("/api/v1/pieces", json={"title": "New", "text": "Words."}, headers=csrf).status_code
        == 201
    )
    app.extensions["recital"].engine.dispose()


def test_downgrade_gives_back_the_old_schema(empty_db: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from alembic import command

    from shared.db.migrate import alembic_config

    settings = Settings(home=tmp_path, database_url=empty_db)
    upgrade(settings)
    command.downgrade(alembic_config(settings), "0001")
    with psycopg.connect(empty_db) as conn:
        tables = {r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")}
    assert "learners" in tables and "users" not in tables and "api_tokens" not in tables
