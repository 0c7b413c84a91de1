"""The attempt a worker claimed, and its stages as repository calls.

Each finished stage is stored, so a redelivery resumes after it instead of
paying the engine twice. Nothing here commits: ``processing`` does, where a
reader can see each transaction begin and end.
"""

from __future__ import annotations

import hashlib
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from shared.db.repositories.port import UnitOfWorkPort
from shared.db.repositories.records import JobRecord, StoredTranscript, TranscriptKey
from shared.domain.clock import utcnow
from shared.domain.result import ScoredAttempt
from shared.domain.transcript import Transcript
from shared.storage import Storage

if TYPE_CHECKING:  # audio code is heavy and lives only in the worker image
    from shared.audio.types import Analysis, DecodedAudio
    from shared.transcription.port import Transcriber


class AttemptDeleted(Exception):
    """The learner deleted the attempt while it was being processed."""


@dataclass(frozen=True)
class ClaimedJob:
    """The claimed attempt, with what earlier deliveries stored for it."""

    record: JobRecord
    delivery: int
    analysis: Analysis | None
    cached: StoredTranscript | None  # the attempt's own transcript, or one the cache holds

    @property
    def attempt_id(self) -> uuid.UUID:
        return self.record.attempt_id

    @property
    def reference_text(self) -> str:
        return self.record.reference_text


def load(uow: UnitOfWorkPort, attempt_id: uuid.UUID, delivery: int, transcriber: Transcriber) -> ClaimedJob:
    from shared.audio.types import Analysis

    record = uow.attempts.job(attempt_id)
    stored = uow.results.analysis(attempt_id)
    if record.transcript_id is not None:
        cached = uow.results.transcript(record.transcript_id)
    else:
        cached = uow.results.find_transcript(lookup_key(transcriber, record))
    return ClaimedJob(record, delivery, Analysis.from_dict(stored) if stored else None, cached)


def fetch_and_decode(storage: Storage, job: ClaimedJob, max_seconds: float) -> DecodedAudio:
    from shared.pipeline import decode_recording

    with tempfile.TemporaryDirectory(prefix="recital-") as folder:
        path = Path(folder) / f"recording.{job.record.format}"
        storage.download_to(job.record.storage_key, path)
        return decode_recording(path, job.record.format, max_seconds)  # preflight (probe) included


def hold(uow: UnitOfWorkPort, job: ClaimedJob) -> None:
    """Lock the attempt before writing a stage of it; raise ``AttemptDeleted``
    when it is gone (nothing may be written for a deleted attempt: a transcript
    is what the learner said)."""
    if not uow.attempts.hold(job.attempt_id):
        raise AttemptDeleted(job.attempt_id)


def store_analysis(uow: UnitOfWorkPort, job: ClaimedJob, analysis: Analysis) -> None:
    hold(uow, job)
    uow.results.save_analysis(job.attempt_id, analysis.to_dict())
    uow.attempts.record_analysis(job.attempt_id, analysis.duration, analysis.warnings)


def store_transcript(uow: UnitOfWorkPort, job: ClaimedJob, transcript: Transcript) -> None:
    """Link the attempt to its transcript: the cached row, or a new one."""
    hold(uow, job)
    if job.cached is not None:
        transcript_id = job.cached.id
    else:
        key = stored_key(job.record, transcript)
        transcript_id = uow.results.save_transcript(key, transcript.text, transcript.to_stored(), utcnow())
    uow.attempts.link_transcript(job.attempt_id, transcript_id)


def store_score(uow: UnitOfWorkPort, job: ClaimedJob, result: ScoredAttempt) -> None:
    """The score row and ``done``: one transaction; a duplicate delivery inserts nothing."""
    hold(uow, job)
    now = utcnow()
    uow.results.add_scores([(job.attempt_id, result)], now)
    uow.attempts.mark_done(job.attempt_id, now)


def context_key(biased: bool, reference_text: str) -> str:
    """Piece-biased engines hear differently per piece, so the piece joins the cache key."""
    return hashlib.sha256(reference_text.encode()).hexdigest() if biased else ""


def lookup_key(transcriber: Transcriber, record: JobRecord) -> TranscriptKey:
    biased = bool(getattr(transcriber, "uses_reference", False))
    return TranscriptKey(
        record.sha256,
        transcriber.engine,
        transcriber.model,
        transcriber.recognition_version,
        context_key(biased, record.reference_text),
    )


def stored_key(record: JobRecord, transcript: Transcript) -> TranscriptKey:
    """From the transcript itself: a fallback engine may have produced it."""
    biased = bool(transcript.extra.get("reference_biased", False))
    return TranscriptKey(
        record.sha256,
        transcript.engine,
        transcript.model,
        transcript.recognition_version,
        context_key(biased, record.reference_text),
    )
