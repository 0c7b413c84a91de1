"""One database two ways for the repository contract: in memory and on Postgres.

Each world makes units of work and sets up rows the way submitting does, so
the same test runs against the fakes and the SQL adapters.
"""

from __future__ import annotations

import uuid
from typing import Any, Protocol

from sqlalchemy import update

from shared.container import Container
from shared.db import models
from shared.db.repositories.port import UnitOfWorkPort
from shared.domain.clock import utcnow
from tests.support.fake_uow import FakeDatabase


class World(Protocol):
    def uow(self) -> UnitOfWorkPort: ...

    def add_attempt(self, text: str = "one two three", **values: Any) -> uuid.UUID: ...

    def add_user(self) -> uuid.UUID:
        """A user, committed, to own pieces, attempts and credentials."""
        ...

    def set(self, attempt_id: uuid.UUID, **values: Any) -> None: ...

    def attempt(self, attempt_id: uuid.UUID) -> dict[str, Any]: ...

    def unfold(self, piece_id: uuid.UUID) -> None:
        """The piece as code from before migration 0019 saved it: no folded search form."""
        ...


class FakeWorld:
    def __init__(self) -> None:
        self.db = FakeDatabase()

    def uow(self) -> UnitOfWorkPort:
        return self.db.uow()

    def add_attempt(self, text: str = "one two three", **values: Any) -> uuid.UUID:
        return self.db.add_attempt(text, **values)

    def add_user(self) -> uuid.UUID:
        with self.db.uow() as uow:
            user = uow.users.add(f"u-{uuid.uuid4().hex[:12]}", None, "learner", utcnow())
            uow.commit()
            return user.id

    def set(self, attempt_id: uuid.UUID, **values: Any) -> None:
        self.db.set(attempt_id, **values)

    def attempt(self, attempt_id: uuid.UUID) -> dict[str, Any]:
        return dict(self.db.attempt(attempt_id))

    def unfold(self, piece_id: uuid.UUID) -> None:
        self.db.tables.pieces[piece_id]["search_text"] = ""


class PostgresWorld:
    def __init__(self, container: Container) -> None:
        self.container = container

    def uow(self) -> UnitOfWorkPort:
        return self.container.uow()

    def add_attempt(self, text: str = "one two three", **values: Any) -> uuid.UUID:
        with self.container.uow() as uow:
            learner = models.User(handle=f"l-{uuid.uuid4().hex[:12]}")
            piece = models.Piece(title="t", text=text)
            uow.session.add_all([learner, piece])
            uow.session.flush()
            columns = {"learner_id": learner.id, "piece_id": piece.id, "storage_key": "k",
                       "sha256": "0" * 64, "size_bytes": 1, "format": "wav"}  # fmt: skip
            attempt = models.Attempt(**(columns | values))
            uow.session.add(attempt)
            uow.commit()
            return attempt.id

    def add_user(self) -> uuid.UUID:
        with self.container.uow() as uow:
            user = models.User(handle=f"u-{uuid.uuid4().hex[:12]}")
            uow.session.add(user)
            uow.commit()
            return user.id

    def set(self, attempt_id: uuid.UUID, **values: Any) -> None:
        with self.container.uow() as uow:
            uow.session.execute(
                update(models.Attempt).where(models.Attempt.id == attempt_id).values(**values)
            )
            uow.commit()

    def attempt(self, attempt_id: uuid.UUID) -> dict[str, Any]:
        with self.container.uow() as uow:
            row = uow.session.get_one(models.Attempt, attempt_id)
            return {c.key: getattr(row, c.key) for c in models.Attempt.__table__.columns}

    def unfold(self, piece_id: uuid.UUID) -> None:
        with self.container.uow() as uow:
            uow.session.execute(
                update(models.Piece).where(models.Piece.id == piece_id).values(search_text="")
            )
            uow.commit()
