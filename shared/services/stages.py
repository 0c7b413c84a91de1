"""The stages of processing one attempt. Each finished stage is stored, so a
redelivery resumes after it instead of paying the engine twice."""

from __future__ import annotations

import hashlib
import tempfile
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from shared.db import models
from shared.db.uow import UnitOfWork
from shared.domain.clock import utcnow
from shared.domain.result import ScoredAttempt
from shared.domain.transcript import Transcript
from shared.services import claims
from shared.storage import Storage

if TYPE_CHECKING:  # audio code is heavy and lives only in the worker image
    from shared.audio.types import Analysis, DecodedAudio
    from shared.transcription.port import Transcriber


@dataclass(frozen=True)
class Job:
    """What a worker needs to know about the attempt it claimed."""

    attempt_id: uuid.UUID
    delivery: int
    storage_key: str
    format: str
    sha256: str
    reference_text: str
    transcript_id: uuid.UUID | None


def load_job(uow: UnitOfWork, attempt_id: uuid.UUID, delivery: int) -> Job:
    attempt = uow.session.get_one(models.Attempt, attempt_id)
    piece = uow.session.get_one(models.Piece, attempt.piece_id)
    return Job(
        attempt_id,
        delivery,
        attempt.storage_key,
        attempt.format,
        attempt.sha256,
        piece.text,
        attempt.transcript_id,
    )


def fetch_and_decode(storage: Storage, job: Job, max_seconds: float) -> DecodedAudio:
    from shared.audio.decode import decode_file

    with tempfile.TemporaryDirectory(prefix="recital-") as folder:
        path = Path(folder) / f"recording.{job.format}"
        storage.download_to(job.storage_key, path)
        return decode_file(path, job.format, max_seconds)  # preflight (probe) included


def stored_analysis(uow: UnitOfWork, attempt_id: uuid.UUID) -> Analysis | None:
    from shared.audio.types import Analysis

    row = uow.session.get(models.Analysis, attempt_id)
    return Analysis.from_dict(row.data) if row else None


def analyse_and_store(uow: UnitOfWork, job: Job, audio: DecodedAudio) -> Analysis:
    from shared.audio.analysis import analyse
    from shared.audio.quality import check_quality

    analysis = analyse(audio)
    warnings = check_quality(audio, analysis)  # raises AudioError for unusable audio
    analysis = _with_warnings(analysis, warnings)
    uow.session.merge(models.Analysis(attempt_id=job.attempt_id, data=analysis.to_dict()))
    attempt = uow.session.get_one(models.Attempt, job.attempt_id)
    attempt.duration_seconds = analysis.duration
    attempt.warnings = list(analysis.warnings)
    claims.set_stage(uow, job.attempt_id, "analysed")
    uow.commit()
    return analysis


def _with_warnings(analysis: Analysis, warnings: tuple[str, ...]) -> Analysis:
    from dataclasses import replace

    return replace(analysis, warnings=tuple(dict.fromkeys(analysis.warnings + warnings)))


def context_key(biased: bool, reference_text: str) -> str:
    """Piece-biased engines hear differently per piece, so the piece joins the cache key."""
    return hashlib.sha256(reference_text.encode()).hexdigest() if biased else ""


def lookup_key(transcriber: Transcriber, reference_text: str) -> str:
    return context_key(bool(getattr(transcriber, "uses_reference", False)), reference_text)


def stored_key(transcript: Transcript, reference_text: str) -> str:
    """From the transcript itself: a fallback engine may have produced it."""
    return context_key(bool(transcript.extra.get("reference_biased", False)), reference_text)


def cached_transcript(uow: UnitOfWork, job: Job, transcriber: Transcriber) -> models.Transcript | None:
    if job.transcript_id is not None:
        return uow.session.get(models.Transcript, job.transcript_id)
    return uow.session.scalar(
        select(models.Transcript).where(
            models.Transcript.audio_sha256 == job.sha256,
            models.Transcript.engine == transcriber.engine,
            models.Transcript.model == transcriber.model,
            models.Transcript.context_key == lookup_key(transcriber, job.reference_text),
        )
    )


def store_transcript(uow: UnitOfWork, job: Job, transcript: Transcript, key: str) -> None:
    values = {
        "id": uuid.uuid4(),
        "audio_sha256": job.sha256,
        "engine": transcript.engine,
        "model": transcript.model,
        "context_key": key,
        "text": transcript.text,
        "data": transcript.to_dict(),
        "created_at": utcnow(),
    }
    uow.session.execute(_insert(uow, models.Transcript).values(**values).on_conflict_do_nothing())
    stored_id = uow.session.scalar(
        select(models.Transcript.id).where(
            models.Transcript.audio_sha256 == job.sha256,
            models.Transcript.engine == transcript.engine,
            models.Transcript.model == transcript.model,
            models.Transcript.context_key == key,
        )
    )
    attempt = uow.session.get_one(models.Attempt, job.attempt_id)
    attempt.transcript_id = stored_id
    claims.set_stage(uow, job.attempt_id, "transcribed")
    uow.commit()


def write_score(uow: UnitOfWork, job: Job, result: ScoredAttempt) -> None:
    """Score row and ``done`` in one transaction; a duplicate delivery inserts nothing."""
    insert_scores(uow, [(job.attempt_id, result)])
    claims.mark_done(uow, job.attempt_id, utcnow())
    uow.commit()


def insert_scores(uow: UnitOfWork, results: Sequence[tuple[uuid.UUID, ScoredAttempt]]) -> set[uuid.UUID]:
    """One ``INSERT … ON CONFLICT DO NOTHING`` for these score rows (Postgres or SQLite);
    returns the attempts that got a new row. The caller commits."""
    if not results:
        return set()
    now = utcnow()
    rows = [_score_row(attempt_id, result, now) for attempt_id, result in results]
    statement = _insert(uow, models.Score).values(rows).on_conflict_do_nothing()
    return set(uow.session.scalars(statement.returning(models.Score.attempt_id)))


def _score_row(attempt_id: uuid.UUID, result: ScoredAttempt, now: datetime) -> dict[str, Any]:
    s = result.scores
    return {
        "id": uuid.uuid4(),
        "attempt_id": attempt_id,
        "scoring_version": result.scoring_version,
        "accuracy": s.accuracy,
        "completeness": s.completeness,
        "fluency": s.fluency,
        "overall": s.overall,
        "wpm": s.wpm,
        "wcpm": s.wcpm,
        "result": result.to_dict(),
        "created_at": now,
    }


def _insert(uow: UnitOfWork, table: type[models.Base]) -> Any:
    dialect = uow.session.get_bind().dialect.name
    module = postgresql if dialect == "postgresql" else sqlite
    return module.insert(table)
