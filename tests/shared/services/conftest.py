"""Service tests run on the real Postgres (a throwaway database per session)."""

from __future__ import annotations

import uuid

import pytest
from argon2 import PasswordHasher

from shared.container import Container
from shared.db import models
from shared.services import passwords
from shared.settings import Settings


@pytest.fixture(scope="session")
def pg(pg_url: str, tmp_path_factory: pytest.TempPathFactory) -> Container:
    return Container(Settings(home=tmp_path_factory.mktemp("svc"), database_url=pg_url))


@pytest.fixture
def attempt_id(pg: Container) -> uuid.UUID:
    """A queued attempt with its learner and piece."""
    with pg.uow() as uow:
        learner = models.User(handle=f"l-{uuid.uuid4().hex[:8]}")
        piece = models.Piece(title="t", text="one two three")
        uow.session.add_all([learner, piece])
        uow.session.flush()
        attempt = models.Attempt(
            learner_id=learner.id,
            piece_id=piece.id,
            storage_key="k",
            sha256="0" * 64,
            size_bytes=1,
            format="wav",
        )
        uow.session.add(attempt)
        uow.commit()
        return attempt.id


@pytest.fixture
def cheap_argon2(monkeypatch: pytest.MonkeyPatch) -> PasswordHasher:
    """The same argon2id at its smallest cost: these tests are about the use
    case, not the work factor (the web tests keep the real one)."""
    hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(passwords, "_hasher", hasher)
    monkeypatch.setattr(passwords, "_DUMMY_HASH", hasher.hash("dummy password"))
    return hasher
