"""A unit of work in memory: the fake repositories, with transactions that
begin on the first statement and end on commit or rollback, as a SQLAlchemy
session's do. Use cases run on it in milliseconds.
"""

from __future__ import annotations

import copy
import uuid
from datetime import datetime
from types import TracebackType
from typing import Any

from shared.domain.clock import utcnow
from tests.support.fake_accounts import FakeCredentials, FakeUsers
from tests.support.fake_pieces import FakePieces
from tests.support.fake_repositories import FakeAttempts, FakeResults, Tables


class FakeDatabase:
    """What is committed, shared by every unit of work made from it."""

    def __init__(self) -> None:
        self.tables = Tables()
        self.commits = 0
        self.open: set[FakeUnitOfWork] = set()  # units of work inside a transaction

    def uow(self) -> FakeUnitOfWork:
        return FakeUnitOfWork(self)

    def add_attempt(self, text: str = "one two three", **values: Any) -> uuid.UUID:
        """A queued attempt on a new piece, committed (as submitting leaves it)."""
        piece_id, attempt_id, now = uuid.uuid4(), uuid.uuid4(), utcnow()
        self.tables.pieces[piece_id] = {"id": piece_id, "owner_id": None, "visibility": "public",
                                        "title": "t", "text": text, "created_at": now,
                                        "text_version": 1, "search_text": ""}  # fmt: skip
        self.tables.attempts[attempt_id] = {
            "id": attempt_id, "learner_id": uuid.uuid4(), "piece_id": piece_id, "status": "queued",
            "stage": "uploaded", "storage_key": f"attempts/l/{attempt_id}.wav", "sha256": "0" * 64,
            "format": "wav", "size_bytes": 1, "idempotency_key": None,
            "delivery_count": 0, "worker_id": None, "lease_expires_at": None, "transcript_id": None,
            "duration_seconds": None, "warnings": [], "error_code": None, "error_message": None,
            "created_at": now, "queued_at": now, "started_at": None, "finished_at": None, **values,
        }  # fmt: skip
        return attempt_id

    def attempt(self, attempt_id: uuid.UUID) -> dict[str, Any]:
        return self.tables.attempts[attempt_id]

    def set(self, attempt_id: uuid.UUID, **values: datetime | str | int | None) -> None:
        self.tables.attempts[attempt_id].update(values)


class FakeDatabaseError(Exception):
    """What a test raises to play a database failure (``database_errors``)."""


class FakeUnitOfWork:
    database_errors: tuple[type[Exception], ...] = (FakeDatabaseError,)

    def __init__(self, db: FakeDatabase) -> None:
        self._db = db
        self._working: Tables | None = None
        self.attempts = FakeAttempts(self._tables)
        self.results = FakeResults(self._tables)
        self.pieces = FakePieces(self._tables)
        self.users = FakeUsers(self._tables)
        self.credentials = FakeCredentials(self._tables)

    def _tables(self) -> Tables:
        if self._working is None:  # the first statement begins a transaction
            self._working = copy.deepcopy(self._db.tables)
            self._db.open.add(self)
        return self._working

    def __enter__(self) -> FakeUnitOfWork:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.rollback()

    def commit(self) -> None:
        if self._working is not None:
            self._db.tables = self._working
            self._db.commits += 1
        self._end()

    def rollback(self) -> None:
        self._end()

    def in_transaction(self) -> bool:
        return self._working is not None

    def _end(self) -> None:
        self._working = None
        self._db.open.discard(self)
