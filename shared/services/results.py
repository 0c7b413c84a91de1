"""What a learner's result page shows: the attempt, its piece, a coaching note,
the speech the analysis heard (for the waveform) and quality warnings in words."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from shared.db import models
from shared.db.uow import UnitOfWork
from shared.services import attempts, pieces
from shared.storage import Storage


@dataclass(frozen=True)
class ResultPage:
    attempt: dict[str, Any]
    piece: pieces.PieceView
    note: str | None
    speech: list[list[float]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def result_page(uow: UnitOfWork, learner: str, attempt_id: uuid.UUID) -> ResultPage:
    """One attempt of this learner with its piece; anyone else's is not found."""
    view = attempts.get_attempt(uow, learner, attempt_id)
    piece = pieces.get_piece(uow, uuid.UUID(view["piece_id"]))
    note = view.get("coaching_note")
    analysis = uow.session.get(models.Analysis, attempt_id)
    speech = [list(s) for s in analysis.data.get("speech_segments", [])] if analysis else []
    return ResultPage(view, piece, note, speech, warning_sentences(view["warnings"]))


def warning_sentences(codes: list[str]) -> list[str]:
    from shared.audio.quality import WARNING_MESSAGES  # numpy only; no decoder

    return [WARNING_MESSAGES.get(code, code) for code in codes]


CONTENT_TYPES = {
    "wav": "audio/wav",
    "flac": "audio/flac",
    "ogg": "audio/ogg",
    "opus": "audio/ogg",
    "webm": "audio/webm",
    "mp3": "audio/mpeg",
    "m4a": "audio/mp4",
}


def recording_file(
    uow: UnitOfWork, storage: Storage, learner: str, attempt_id: uuid.UUID, folder: Path
) -> tuple[Path, str]:
    """Copy this learner's recording to ``folder``; returns its path and content type."""
    attempts.get_attempt(uow, learner, attempt_id)  # someone else's attempt: not found
    attempt = uow.session.get(models.Attempt, attempt_id)
    assert attempt is not None
    path = folder / f"recording.{attempt.format}"
    storage.download_to(attempt.storage_key, path)
    return path, CONTENT_TYPES.get(attempt.format, "application/octet-stream")
