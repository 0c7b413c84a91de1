"""What a learner's result page shows: the attempt, its piece, a coaching note,
the speech the analysis heard (for the waveform), quality warnings in words, and
whether improved scoring has changed the score since it was first read."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from shared.db.repositories.port import UnitOfWorkPort
from shared.services import attempts, pieces
from shared.services.users import UserView


@dataclass(frozen=True)
class Rescored:
    """An attempt scored again by improved scoring, with another accuracy than the
    learner first read (QA: the page changed from 78% to 100% without a word)."""

    first_accuracy: float
    at: datetime  # when it was scored again


@dataclass(frozen=True)
class ResultPage:
    attempt: dict[str, Any]
    piece: pieces.PieceView | None  # None: its owner has stopped sharing it since
    note: str | None
    speech: list[list[float]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    rescored: Rescored | None = None


def result_page(uow: UnitOfWorkPort, learner: UserView, attempt_id: uuid.UUID) -> ResultPage:
    """One attempt of this learner with its piece; anyone else's is not found. A failed
    attempt on a piece its owner has since made private is still the learner's to
    read and delete, without the piece (QA: its page was a 404)."""
    view = attempts.get_attempt(uow, learner, attempt_id)
    piece = pieces.visible_piece(uow, learner, uuid.UUID(view["piece_id"]))
    note = view.get("coaching_note")
    analysis = uow.results.analysis(attempt_id)
    speech = [list(s) for s in analysis.get("speech_segments", [])] if analysis else []
    rescored = _rescored(uow, attempt_id) if view["status"] == "done" else None
    return ResultPage(view, piece, note, speech, warning_sentences(view["warnings"]), rescored)


def _rescored(uow: UnitOfWorkPort, attempt_id: uuid.UUID) -> Rescored | None:
    """The first score, when a later scoring version shows another accuracy: scores are
    shown in whole percent, so a change too small to show is none."""
    stamps = uow.results.score_stamps(attempt_id)  # the result itself is read once, by the view
    if not stamps:
        return None
    first, latest = stamps[0], stamps[-1]
    if first.scoring_version == latest.scoring_version:
        return None
    if round(first.accuracy) == round(latest.accuracy):
        return None
    return Rescored(first.accuracy, latest.created_at)


def warning_sentences(codes: list[str]) -> list[str]:
    from shared.audio.quality import WARNING_MESSAGES  # numpy only; no decoder

    return [WARNING_MESSAGES.get(code, code) for code in codes]
