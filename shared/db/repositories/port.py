"""The repository ports: what the use cases need from storage, in plain data.

Services see only these (and ``account_port.py``'s, ``result_port.py``'s) and the
plain records of ``records.py``;
``attempts.py``, ``results.py``, ``pieces.py``, ``users.py`` and
``credentials.py`` implement them on SQLAlchemy
(Postgres, SQLite embedded) and ``tests/support/fake_*.py`` in memory.
Nothing here commits: the unit of work does, where the service says.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from datetime import datetime
from types import TracebackType
from typing import Protocol, Self

from shared.db.repositories.account_port import CredentialRepository, UserRepository
from shared.db.repositories.records import (
    AttemptRecord,
    JobRecord,
    KeyedAttempt,
    NewAttempt,
    PieceAccess,
    PieceRecord,
)
from shared.db.repositories.result_port import ResultRepository


class PieceRepository(Protocol):
    """Pieces and who may see them: the owner, or anyone when public."""

    def add(self, owner_id: uuid.UUID, title: str, text: str, visibility: str, now: datetime) -> PieceRecord:
        """Insert it now; ``Conflict`` when the owner no longer exists (their account was
        deleted while this waited for it)."""
        ...

    def get(self, piece_id: uuid.UUID) -> PieceRecord | None:
        """Any piece, whoever owns it (operators)."""
        ...

    def access(self, piece_id: uuid.UUID) -> PieceAccess | None:
        """Owner and visibility only: what every upload checks, without the text."""
        ...

    def visible(self, piece_id: uuid.UUID, viewer_id: uuid.UUID) -> PieceRecord | None:
        """The piece if the viewer owns it or it is public; None as for an unknown id."""
        ...

    def list_visible(
        self, viewer_id: uuid.UUID, limit: int, offset: int, search: str = ""
    ) -> tuple[list[PieceRecord], int]:
        """A page of the visible pieces (the viewer's own first, then newest first) and
        how many there are; with ``search``, only those whose title or text contains
        it folded as ``shared.domain.search_text`` folds (case, accents, curly quotes,
        hyphens), taken literally (``%``, ``_`` and ``\\`` are no wildcards)."""
        ...

    def owned_by(self, owner_id: uuid.UUID) -> list[PieceRecord]:
        """Every piece this owner has, oldest first."""
        ...

    def release(self, owner_id: uuid.UUID, now: datetime) -> None:
        """The owner leaves (their attempts already gone): pieces nobody else has recited
        go; the others stay, without an owner and marked released at ``now``, for the
        learners whose results read them."""
        ...

    def lock_owned(self, owner_id: uuid.UUID) -> None:
        """Every piece of the owner, locked until the transaction ends: an upload to one
        finishes first, or waits and then finds it gone (an account's deletion)."""
        ...

    def drop_released_unrecited(self) -> int:
        """Delete released pieces nobody has an attempt on any more; how many went."""
        ...

    def lock(self, piece_id: uuid.UUID) -> PieceRecord | None:
        """The piece, locked until commit: an upload's new attempt on it waits (its
        foreign key check shares the row), so "has it attempts?" stays true."""
        ...

    def change(self, piece_id: uuid.UUID, title: str, text: str, visibility: str) -> PieceRecord: ...

    def delete(self, piece_id: uuid.UUID) -> None: ...


class AttemptRepository(Protocol):
    """Attempt state, changed by conditional updates: the database decides who works."""

    def claim(self, attempt_id: uuid.UUID, worker_id: str, lease_seconds: float, now: datetime) -> int | None:
        """queued, or processing with an expired lease → processing; the new delivery count."""
        ...

    def renew(self, attempt_id: uuid.UUID, worker_id: str, lease_seconds: float, now: datetime) -> bool: ...

    def lease_expiry(self, attempt_id: uuid.UUID) -> datetime | None:
        """When the lease of an attempt being processed ends; None when it is not being processed."""
        ...

    def job(self, attempt_id: uuid.UUID) -> JobRecord: ...

    def hold(self, attempt_id: uuid.UUID) -> bool:
        """Lock the attempt's row until the transaction ends; False when it was
        deleted. A worker holds it before writing a stage, so a learner's delete
        either waits for that write and removes it too, or comes first."""
        ...

    def record_analysis(self, attempt_id: uuid.UUID, duration: float, warnings: Sequence[str]) -> None: ...

    def link_transcript(self, attempt_id: uuid.UUID, transcript_id: uuid.UUID) -> None: ...

    def release(self, attempt_id: uuid.UUID, now: datetime) -> None:
        """processing → queued (a retryable failure); the stages are kept."""
        ...

    def fail(self, attempt_id: uuid.UUID, code: str, message: str, now: datetime) -> bool:
        """queued or processing → failed; False when it had already ended."""
        ...

    def mark_done(self, attempt_id: uuid.UUID, now: datetime) -> None: ...

    def stuck(self, now: datetime, queued_before: datetime, limit: int) -> list[tuple[uuid.UUID, int]]:
        """(id, deliveries) of attempts queued before ``queued_before`` or whose lease expired."""
        ...

    def requeue(self, attempt_ids: Collection[uuid.UUID], now: datetime) -> None:
        """Those still abandoned back to ``queued``, their queued clock restarted."""
        ...

    def pending_rescore(
        self, version: str, piece_id: uuid.UUID | None = None, limit: int | None = None
    ) -> list[uuid.UUID]:
        """Done attempts with a transcript and an analysis but no score at ``version``, oldest first."""
        ...

    def piece_texts(self, piece_ids: Collection[uuid.UUID]) -> dict[uuid.UUID, str]: ...

    def get(self, attempt_id: uuid.UUID) -> AttemptRecord | None: ...

    def add(self, attempt: NewAttempt, max_open: int | None = None) -> bool:
        """Insert it now (one statement); ``Conflict`` on a key reused by the learner,
        an id taken, or a learner that does not exist. Only while the learner may
        recite the piece (theirs, or public; read under a share lock, so a piece being
        made private or deleted is read as it ends up) and, with ``max_open``, has
        fewer attempts queued or being processed (the same statement counts them):
        False when nothing was added for either reason."""
        ...

    def keyed(self, learner_id: uuid.UUID, key: str) -> KeyedAttempt | None:
        """The learner's attempt made with this idempotency key."""
        ...

    def count_open(self, learner_id: uuid.UUID, at_most: int) -> int:
        """The learner's attempts queued or being processed, counted no further than ``at_most``."""
        ...

    def count_by_status(self) -> dict[str, int]:
        """How many attempts have each status (one index-only count, for the metrics)."""
        ...

    def owned(self, attempt_id: uuid.UUID, learner_id: uuid.UUID) -> AttemptRecord | None:
        """The attempt if this learner made it; None as for an unknown id."""
        ...

    def list_owned(
        self,
        learner_id: uuid.UUID,
        limit: int,
        offset: int,
        statuses: Collection[str] = (),
        piece_id: uuid.UUID | None = None,
    ) -> tuple[list[AttemptRecord], int]:
        """A page of the learner's attempts, newest first, and how many there are;
        only those with one of ``statuses`` and of ``piece_id`` when given."""
        ...

    def recordings_of(
        self, learner_id: uuid.UUID, piece_id: uuid.UUID | None = None
    ) -> list[tuple[uuid.UUID, str]]:
        """(id, storage key) of each of the learner's attempts (on ``piece_id`` when given)."""
        ...

    def recordings_on_piece(self, piece_id: uuid.UUID) -> list[tuple[uuid.UUID, str]]:
        """(id, storage key) of every attempt on the piece, whoever made it."""
        ...

    def failed_on_pieces_of(self, owner_id: uuid.UUID) -> list[tuple[uuid.UUID, str]]:
        """(id, storage key) of other learners' failed attempts on the owner's pieces."""
        ...

    def count_on_piece(
        self,
        piece_id: uuid.UUID,
        except_learner: uuid.UUID | None = None,
        *,
        except_failed: bool = False,
        only_done: bool = False,
    ) -> int:
        """Attempts on the piece, by anyone (or anyone but ``except_learner``); with
        ``except_failed``, only those scored or on their way to a score; with
        ``only_done``, only those scored."""
        ...

    def delete(self, attempt_ids: Collection[uuid.UUID]) -> None:
        """The attempts with their analyses, scores and coaching notes, and their
        transcripts unless another attempt shares one (a cached transcript)."""
        ...


class UnitOfWorkPort(Protocol):
    """One session scope: the repositories, and the commits a use case makes.

    ``in_transaction``: whether a transaction is open (one begins with the first
    statement after a commit or rollback)."""

    attempts: AttemptRepository
    results: ResultRepository
    pieces: PieceRepository
    users: UserRepository
    credentials: CredentialRepository
    # What the database raises when it, not the input, fails: a delivery is
    # retried on these rather than failed.
    database_errors: tuple[type[Exception], ...]

    def __enter__(self) -> Self: ...

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None: ...

    def commit(self) -> None: ...

    def rollback(self) -> None: ...

    def in_transaction(self) -> bool: ...
