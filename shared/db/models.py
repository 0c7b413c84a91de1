"""SQLAlchemy 2.0 typed models. Postgres in production, SQLite embedded.

Pieces, attempts and what processing made of them are here; accounts are in
``account_models.py``, re-scoring runs in ``run_models.py``. Every model is
reachable as ``models.<Name>``, and all share ``base.Base``'s metadata.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from shared.db.account_models import ApiToken, User, WebSession
from shared.db.base import Base, JsonType, new_id
from shared.db.json_bytes import JsonBytes
from shared.db.run_models import RescoreRun, RescoreRunBatch
from shared.domain.clock import utcnow

__all__ = [
    "Analysis", "ApiToken", "Attempt", "Base", "CoachingNote", "JsonType", "OPEN_STATUS", "Piece",
    "RescoreRun", "RescoreRunBatch", "Score", "Transcript", "User", "WebSession", "new_id",
]  # fmt: skip


class Piece(Base):
    __tablename__ = "pieces"
    __table_args__ = (Index("ix_pieces_owner", "owner_id"), Index("ix_pieces_visibility", "visibility"))

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    # None: a piece from before accounts (carried over as public) or whose owner left.
    owner_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    visibility: Mapped[str] = mapped_column(String(10), default="private")
    title: Mapped[str] = mapped_column(String(300))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # When its owner deleted their account and others' attempts kept it (0015); it
    # goes with the last of them. None for every other piece.
    released_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # One more at each change of the text (0017): an upload naming an older one is refused.
    text_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    # Title and text folded for the library search (0019, ``shared.domain.search_text``),
    # written with them: the search compares folded strings, the same in every database.
    search_text: Mapped[str] = mapped_column(Text, default="", server_default="")


# Literal, not bound: a prepared statement's generic plan can use the partial
# index only when the query states its predicate in the same constants.
OPEN_STATUS = text("status IN ('queued', 'processing')")


class Attempt(Base):
    __tablename__ = "attempts"
    __table_args__ = (
        UniqueConstraint("learner_id", "idempotency_key", name="uq_attempt_idempotency"),
        Index("ix_attempts_learner_created", "learner_id", "created_at"),
        Index("ix_attempts_status_queued", "status", "queued_at"),
        # The queued-attempts cap counts these on every upload (migration 0006).
        Index(
            "ix_attempts_learner_open", "learner_id", postgresql_where=OPEN_STATUS, sqlite_where=OPEN_STATUS
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    learner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    piece_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("pieces.id"))
    idempotency_key: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20), default="queued")
    stage: Mapped[str] = mapped_column(String(20), default="uploaded")
    storage_key: Mapped[str] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    format: Mapped[str] = mapped_column(String(10))
    duration_seconds: Mapped[float | None] = mapped_column(Float)
    delivery_count: Mapped[int] = mapped_column(Integer, default=0)
    worker_id: Mapped[str | None] = mapped_column(String(200))
    lease_expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    error_code: Mapped[str | None] = mapped_column(String(60))
    error_message: Mapped[str | None] = mapped_column(Text)
    warnings: Mapped[list[Any]] = mapped_column(default=list)
    transcript_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("transcripts.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    queued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Transcript(Base):
    """Cached by (audio, engine, model, recognition version, context) so no recording
    is paid for twice, and none is served words an older recognition heard."""

    __tablename__ = "transcripts"
    __table_args__ = (
        UniqueConstraint(
            "audio_sha256", "engine", "model", "context_key", "recognition_version", name="uq_transcript"
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    audio_sha256: Mapped[str] = mapped_column(String(64))
    engine: Mapped[str] = mapped_column(String(40))
    model: Mapped[str] = mapped_column(String(120))
    # Recital's own recognition code around the model (Transcriber.recognition_version).
    recognition_version: Mapped[str] = mapped_column(String(40), default="", server_default="")
    # Engines biased toward the piece give different words per piece.
    context_key: Mapped[str] = mapped_column(String(64), default="")
    text: Mapped[str] = mapped_column(Text)
    data: Mapped[dict[str, Any]] = mapped_column(JsonBytes())  # bytea on Postgres (0010)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Analysis(Base):
    __tablename__ = "analyses"

    attempt_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("attempts.id"), primary_key=True)
    data: Mapped[dict[str, Any]] = mapped_column(JsonBytes())  # bytea on Postgres (0010)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Score(Base):
    __tablename__ = "scores"
    __table_args__ = (UniqueConstraint("attempt_id", "scoring_version", name="uq_score_attempt_version"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    attempt_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("attempts.id"))
    scoring_version: Mapped[str] = mapped_column(String(40))
    accuracy: Mapped[float] = mapped_column(Float)
    completeness: Mapped[float] = mapped_column(Float)
    fluency: Mapped[float] = mapped_column(Float)
    overall: Mapped[float] = mapped_column(Float)
    wpm: Mapped[float] = mapped_column(Float)
    wcpm: Mapped[float] = mapped_column(Float)
    result: Mapped[dict[str, Any]] = mapped_column(JsonBytes())  # bytea on Postgres (0009)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # The re-scoring run that wrote the row (0016), for its report; None: the pipeline's.
    rescore_run_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("rescore_runs.id"))


class CoachingNote(Base):
    """A chat model's rewrite of a score's rule-built coaching note (optional, after scoring).

    One per score version of an attempt: a re-score gets a new rule note and so
    a new rewrite; until it exists the rule note is shown."""

    __tablename__ = "coaching_notes"

    attempt_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("attempts.id"), primary_key=True)
    scoring_version: Mapped[str] = mapped_column(String(40), primary_key=True)
    rule_note: Mapped[str] = mapped_column(Text)
    note: Mapped[str] = mapped_column(Text)
    model: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
