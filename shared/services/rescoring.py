"""Re-scoring done attempts with the current scoring code.

Everything scoring needs is stored: the transcript, the analysis (pauses and
duration) and the piece's text, so no audio is fetched and no engine runs.
Each attempt gets one more score row, at the current ``SCORING_VERSION``;
older rows stay for comparison, the attempt's status is never changed, and
the read path serves the newest row.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, select

from shared.db import models
from shared.db.uow import UnitOfWork
from shared.domain.result import ScoredAttempt
from shared.domain.scoring import SCORING_VERSION, ScoringOptions
from shared.domain.text import ReferenceText, parse_reference
from shared.domain.transcript import Transcript
from shared.services import stages
from shared.services.processing import PhaseTimer
from shared.services.recording_scores import score_recording

log = logging.getLogger("recital.rescoring")
A = models.Attempt
Interrupts = tuple[type[BaseException], ...]


@dataclass
class RescoreReport:
    scored: int = 0
    # Already scored at this version, or no longer a done attempt with a transcript and analysis.
    skipped: int = 0
    failed: list[tuple[uuid.UUID, str]] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    def add(self, other: RescoreReport) -> None:
        """Totals over batches, timings included."""
        self.scored += other.scored
        self.skipped += other.skipped
        self.failed += other.failed
        for phase, seconds in other.timings.items():
            self.timings[phase] = self.timings.get(phase, 0.0) + seconds

    def summary(self) -> str:
        phases = " ".join(f"{k}={v:.3f}s" for k, v in self.timings.items())
        return f"scored={self.scored} skipped={self.skipped} failed={len(self.failed)} {phases}"


@dataclass(frozen=True)
class _Stored:
    attempt_id: uuid.UUID
    piece_id: uuid.UUID
    transcript: dict[str, Any]
    analysis: dict[str, Any]


def pending_attempts(
    uow: UnitOfWork, version: str, *, piece_id: uuid.UUID | None = None, limit: int | None = None
) -> list[uuid.UUID]:
    """Done attempts with a transcript and an analysis but no score at ``version``, oldest first."""
    query = select(A.id).where(_rescorable(), ~_scored_at(version)).order_by(A.created_at, A.id)
    if piece_id is not None:
        query = query.where(A.piece_id == piece_id)
    if limit is not None:
        query = query.limit(limit)
    return list(uow.session.scalars(query))


def rescore_attempts(
    uow: UnitOfWork,
    attempt_ids: Sequence[uuid.UUID],
    options: ScoringOptions,
    interrupts: Interrupts = (),
) -> RescoreReport:
    """Score these attempts at the current version; one commit for the batch.

    An attempt whose scoring raises is reported in ``failed`` and the others
    are still written. Inserting is idempotent, so a repeated batch (a
    redelivered task, two admins at once) adds nothing. ``interrupts`` (the
    task runner's soft time limit) are not an attempt's failure: they stop the
    batch, and nothing of it is written.
    """
    ids = list(dict.fromkeys(attempt_ids))
    report = RescoreReport()
    timed = PhaseTimer(report.timings).phase
    with timed("load"):
        stored = _load(uow, ids)
        texts = _piece_texts(uow, {item.piece_id for item in stored})
    with timed("score"):
        results = _score_all(stored, texts, options, report, interrupts)
    with timed("write"):
        report.scored = len(stages.insert_scores(uow, results))
        uow.commit()
    report.skipped = len(ids) - report.scored - len(report.failed)
    return report


def _rescorable() -> ColumnElement[bool]:
    has_analysis = exists().where(models.Analysis.attempt_id == A.id)
    return and_(A.status == "done", A.transcript_id.is_not(None), has_analysis)


def _scored_at(version: str) -> ColumnElement[bool]:
    return exists().where(models.Score.attempt_id == A.id, models.Score.scoring_version == version)


def _load(uow: UnitOfWork, ids: list[uuid.UUID]) -> list[_Stored]:
    """The batch's attempts still to score, with their transcripts and analyses: one query."""
    if not ids:
        return []
    rows = uow.session.execute(
        select(A.id, A.piece_id, models.Transcript.data, models.Analysis.data)
        .join(models.Transcript, models.Transcript.id == A.transcript_id)
        .join(models.Analysis, models.Analysis.attempt_id == A.id)
        .where(A.id.in_(ids), A.status == "done", ~_scored_at(SCORING_VERSION))
        .order_by(A.created_at, A.id)
    ).tuples()
    return [_Stored(*row) for row in rows]


def _piece_texts(uow: UnitOfWork, piece_ids: Collection[uuid.UUID]) -> dict[uuid.UUID, str]:
    """Each piece once, however many of its attempts the batch holds."""
    if not piece_ids:
        return {}
    query = select(models.Piece.id, models.Piece.text).where(models.Piece.id.in_(piece_ids))
    return {piece_id: text for piece_id, text in uow.session.execute(query)}


def _score_all(
    stored: list[_Stored],
    texts: dict[uuid.UUID, str],
    options: ScoringOptions,
    report: RescoreReport,
    interrupts: Interrupts,
) -> list[tuple[uuid.UUID, ScoredAttempt]]:
    parsed: dict[uuid.UUID, ReferenceText] = {}  # a piece is parsed once per batch
    results = []
    for item in stored:
        try:
            if item.piece_id not in parsed:
                parsed[item.piece_id] = parse_reference(texts[item.piece_id])
            scored = score_stored(item.transcript, item.analysis, parsed[item.piece_id], options)
            results.append((item.attempt_id, scored))
        except interrupts:
            raise
        except Exception as exc:  # one bad attempt must not stop the batch
            _record_failure(report, item.attempt_id, exc)
    return results


def score_stored(
    transcript: dict[str, Any],
    analysis_data: dict[str, Any],
    reference: ReferenceText,
    options: ScoringOptions,
) -> ScoredAttempt:
    """An attempt scored from its stored transcript and analysis rows."""
    from shared.audio.types import Analysis  # numpy: loaded only where scoring runs

    stored = Transcript.from_dict(transcript)
    return score_recording(reference, stored, Analysis.from_dict(analysis_data), options)


def _record_failure(report: RescoreReport, attempt_id: uuid.UUID, exc: Exception) -> None:
    reason = f"{type(exc).__name__}: {exc}"
    report.failed.append((attempt_id, reason))
    if isinstance(exc, ValueError):  # input scoring refuses, e.g. a piece with no words
        log.warning("rescore attempt=%s failed: %s", attempt_id, reason)
    else:
        log.exception("rescore attempt=%s crashed", attempt_id)
