"""Migration 0012: one handle whatever its case, on Postgres; it stops and names
handles that already exist in two cases rather than choose which keeps the name."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from shared.db.migrate import upgrade
from shared.settings import Settings
from tests.support.stack import create_database, drop_database


@pytest.fixture
def empty_db() -> Iterator[str]:
    url = create_database()
    yield url
    drop_database(url)


def add_user(url: str, handle: str) -> None:
    with psycopg.connect(url) as conn:
        conn.execute("INSERT INTO users (id, handle, role, created_at) VALUES (%s, %s, 'learner', now())",
                     (uuid.uuid4(), handle))  # fmt: skip


def test_a_second_case_of_a_handle_is_refused_after_the_upgrade(empty_db: str, tmp_path: Path) -> None:
    settings = Settings(home=tmp_path, database_url=empty_db)
    upgrade(settings, "0011")
    add_user(empty_db, "Ada")
    upgrade(settings)
    with pytest.raises(psycopg.errors.UniqueViolation):
        add_user(empty_db, "ADA")


def test_handles_already_in_two_cases_stop_the_upgrade_by_name(empty_db: str, tmp_path: Path) -> None:
    settings = Settings(home=tmp_path, database_url=empty_db)
    upgrade(settings, "0011")
    add_user(empty_db, "bob")
    add_user(empty_db, "Bob")
    with pytest.raises(RuntimeError, match="bob"):
        upgrade(settings)
