"""Coaching notes: the rule-built note of a result, and its optional rewrite by a chat model.

The rewrite runs in its own task after scoring, so it never delays or fails a
score; until (or unless) it exists, learners see the rule-built note.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from shared.db import models
from shared.db.uow import UnitOfWork
from shared.domain.coaching import coaching_note

log = logging.getLogger("recital.coaching")
MAX_NOTE_CHARS = 600  # a longer answer is not a short note: keep the rule note


class CoachWriter(Protocol):
    model: str

    def rewrite(self, rule_note: str, piece_title: str) -> str: ...


def shown_note(uow: UnitOfWork, attempt_id: uuid.UUID, result: dict[str, Any]) -> str:
    """What the learner reads: the rewrite for this score, else the rule-built note."""
    rewritten = uow.session.get(models.CoachingNote, (attempt_id, result["scoring_version"]))
    return rewritten.note if rewritten else coaching_note(result["words"], result["hesitations"])


def rewrite_coaching(uow: UnitOfWork, writer: CoachWriter, attempt_id: uuid.UUID) -> str | None:
    """Reword the newest score's note once; returns the stored rewrite, or None if kept as is."""
    score = uow.session.scalar(
        select(models.Score)
        .where(models.Score.attempt_id == attempt_id)
        .order_by(models.Score.created_at.desc())
        .limit(1)
    )
    if score is None:
        return None
    existing = uow.session.get(models.CoachingNote, (attempt_id, score.scoring_version))
    if existing is not None:  # a redelivered task pays the model nothing
        return existing.note
    rule = coaching_note(score.result["words"], score.result["hesitations"])
    attempt = uow.session.get(models.Attempt, attempt_id)
    piece = uow.session.get(models.Piece, attempt.piece_id) if attempt else None
    text = writer.rewrite(rule, piece.title if piece else "")
    if not text or len(text) > MAX_NOTE_CHARS:
        log.warning("coaching rewrite unusable attempt=%s chars=%d", attempt_id, len(text))
        return None
    row = models.CoachingNote(
        attempt_id=attempt_id,
        scoring_version=score.scoring_version,
        rule_note=rule,
        note=text,
        model=writer.model,
    )
    uow.session.add(row)
    try:
        uow.commit()
    except IntegrityError:  # a concurrent delivery stored it first
        uow.rollback()
    return text
