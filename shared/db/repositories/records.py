"""The records repositories return: plain data, no session attached."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class JobRecord:
    """What a worker needs to know about the attempt it claimed."""

    attempt_id: uuid.UUID
    storage_key: str
    format: str
    sha256: str
    reference_text: str
    transcript_id: uuid.UUID | None


@dataclass(frozen=True)
class TranscriptKey:
    """The transcript cache key: the same audio heard by the same engine, model and
    recognition code (and, for piece-biased engines, the same piece) gives the same words."""

    audio_sha256: str
    engine: str
    model: str
    recognition_version: str
    context_key: str


@dataclass(frozen=True)
class StoredTranscript:
    id: uuid.UUID
    context_key: str
    data: dict[str, Any]


@dataclass(frozen=True)
class StoredAttempt:
    """A done attempt's stored transcript and analysis: all re-scoring needs besides the piece."""

    attempt_id: uuid.UUID
    piece_id: uuid.UUID
    transcript: dict[str, Any]
    analysis: dict[str, Any]


@dataclass(frozen=True)
class AttemptRecord:
    """An attempt as a learner sees it (the worker's fields stay inside)."""

    id: uuid.UUID
    learner_id: uuid.UUID
    piece_id: uuid.UUID
    status: str
    stage: str
    storage_key: str
    format: str
    size_bytes: int
    sha256: str
    duration_seconds: float | None
    delivery_count: int
    warnings: list[str]
    error_code: str | None
    error_message: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


@dataclass(frozen=True)
class ScoreStamp:
    """A score row without its result: which scoring, what accuracy, when."""

    scoring_version: str
    accuracy: float
    created_at: datetime


@dataclass(frozen=True)
class ScoreRecord:
    attempt_id: uuid.UUID
    scoring_version: str
    accuracy: float
    overall: float
    wpm: float
    result: dict[str, Any]
    created_at: datetime
    attempt_created_at: datetime  # progress charts attempts by when they were made


@dataclass(frozen=True)
class PieceRecord:
    """A stored piece; ``owner_id`` is None for one from before accounts or whose owner left."""

    id: uuid.UUID
    owner_id: uuid.UUID | None
    visibility: str
    title: str
    text: str
    created_at: datetime
    text_version: int = 1  # one more at each change of the text


@dataclass(frozen=True)
class NewAttempt:
    """A submitted recording's attempt, queued as it is inserted."""

    id: uuid.UUID
    learner_id: uuid.UUID
    piece_id: uuid.UUID
    storage_key: str
    sha256: str
    size_bytes: int
    format: str
    idempotency_key: str | None = None
    # The piece's text version the learner recited (None: not said); the row is
    # inserted only while the piece's text is still at it.
    text_version: int | None = None


@dataclass(frozen=True)
class KeyedAttempt:
    """The attempt an idempotency key first made: what a retry must repeat to replay it."""

    attempt_id: uuid.UUID
    piece_id: uuid.UUID
    sha256: str


@dataclass(frozen=True)
class PieceAccess:
    """Who may submit to a piece: its owner, or anyone when public."""

    owner_id: uuid.UUID | None
    visibility: str


@dataclass(frozen=True)
class UserRecord:
    """A user; ``password_hash`` is None for one made without a password (the demo's learner)."""

    id: uuid.UUID
    handle: str
    role: str
    password_hash: str | None
    created_at: datetime


@dataclass(frozen=True)
class TokenRecord:
    """An API token as its owner sees it: never the secret, nor its hash."""

    id: uuid.UUID
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None


@dataclass(frozen=True)
class TokenUse:
    """A live token's user, and when the token was last noted as used."""

    user: UserRecord
    token_id: uuid.UUID
    last_used_at: datetime | None


class Conflict(Exception):
    """A write broke a unique or foreign key (a race lost, a row gone); roll the unit of work back."""
