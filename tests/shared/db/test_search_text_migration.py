"""Migration 0019: pieces stored before it are found by the folded library search too
("cafe" finds "café", "wellknown" finds "well-known"), on Postgres and on SQLite."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from shared.container import Container
from shared.db.migrate import upgrade
from shared.domain.clock import utcnow
from shared.settings import Settings
from tests.support.stack import create_database, drop_database

AT = sa.DateTime(timezone=True)
USERS = sa.table("users", sa.column("id", sa.Uuid), sa.column("handle", sa.String),
                 sa.column("role", sa.String), sa.column("created_at", AT))  # fmt: skip
PIECES = sa.table("pieces", sa.column("id", sa.Uuid), sa.column("owner_id", sa.Uuid),
                  sa.column("visibility", sa.String), sa.column("title", sa.String),
                  sa.column("text", sa.Text), sa.column("created_at", AT))  # fmt: skip
SEARCHES = (("cafe, s'il", "Piece 0"), ("wellknown", "Piece 1"), ("piece 2", "Piece 2"))


@pytest.fixture(params=["sqlite", "postgres"])
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Settings]:
    if request.param == "sqlite":
        yield Settings(home=tmp_path)
        return
    url = create_database()
    yield Settings(home=tmp_path, database_url=url)
    drop_database(url)


def test_pieces_stored_before_the_upgrade_are_found_folded(settings: Settings) -> None:
    upgrade(settings, "0018")
    owner, titles = uuid.uuid4(), {uuid.uuid4(): f"Piece {n}" for n in range(3)}
    container = Container(settings)
    try:
        with container.engine.begin() as conn:
            conn.execute(sa.insert(USERS).values(id=owner, handle="ada", role="learner", created_at=utcnow()))
            texts = ["Un caf\u00e9, s\u2019il vous pla\u00eet", "a well-known tale", "an explanation"]
            conn.execute(sa.insert(PIECES), [
                {"id": i, "owner_id": owner, "visibility": "private", "title": t, "text": text,
                 "created_at": utcnow()} for (i, t), text in zip(titles.items(), texts, strict=True)
            ])  # fmt: skip
        upgrade(settings)
        with container.uow() as uow:
            for search, expected in SEARCHES:
                listed, _ = uow.pieces.list_visible(owner, 10, 0, search)
                assert [p.title for p in listed] == [expected], search
    finally:
        container.engine.dispose()
