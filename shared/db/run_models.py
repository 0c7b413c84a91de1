"""Re-scoring runs, and the batches each has counted."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, Float, ForeignKey, Index, Integer, String, false
from sqlalchemy.orm import Mapped, mapped_column

from shared.db.base import Base, new_id
from shared.domain.clock import utcnow


class RescoreRun(Base):
    """One ``recital rescore`` (or admin API) run: its filter, target and counts.

    Plain columns (ints, timestamps, text state) so dashboards can read them;
    ``total`` is None until every batch has been sent (docs/rescoring.md)."""

    __tablename__ = "rescore_runs"
    __table_args__ = (Index("ix_rescore_runs_started", "started_at"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    scoring_version: Mapped[str] = mapped_column(String(40))
    mode: Mapped[str] = mapped_column(String(20))  # rescore | retranscribe
    piece_id: Mapped[uuid.UUID | None] = mapped_column()
    learner_id: Mapped[uuid.UUID | None] = mapped_column()
    since: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(20))  # the attempts' status filter
    state: Mapped[str] = mapped_column(String(20))  # running | cancelled | finished | paused
    total: Mapped[int | None] = mapped_column(Integer)
    done: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    failed: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    skipped: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    started_by: Mapped[str] = mapped_column(String(200))
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Re-transcription: audio sent to the engine so far, and the run's budget (None: no cap).
    spent_audio_seconds: Mapped[float] = mapped_column(Float, default=0.0, server_default="0")
    cap_audio_seconds: Mapped[float | None] = mapped_column(Float)
    # The report, kept once the run has stopped (0013); counting a batch clears it.
    report: Mapped[dict[str, Any] | None] = mapped_column()
    # What it was started with, which a resume keeps to (0014); None: the default, no limit.
    batch_size: Mapped[int | None] = mapped_column(Integer)
    attempt_limit: Mapped[int | None] = mapped_column(Integer)
    # Its score rows carry its id (0016); runs from before wrote none, and are reported
    # by the rows written while they ran.
    marks_scores: Mapped[bool] = mapped_column(default=True, server_default=false())
    # Batches are numbered from 0 across the run's plans (0018); a resume retires those
    # numbered below first_live_batch, still queued from before the pause.
    batches_sent: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    first_live_batch: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class RescoreRunBatch(Base):
    """A batch a run has counted: its row makes counting a redelivered batch a no-op."""

    __tablename__ = "rescore_run_batches"

    run_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("rescore_runs.id", ondelete="CASCADE"), primary_key=True
    )
    batch_no: Mapped[int] = mapped_column(Integer, primary_key=True)
    done: Mapped[int] = mapped_column(Integer)
    failed: Mapped[int] = mapped_column(Integer)
    skipped: Mapped[int] = mapped_column(Integer)
    failures: Mapped[list[Any]] = mapped_column()  # [[attempt id, reason], …]
    counted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
