"""Coaching notes: the rule-built note of a result, and its optional rewrite by a chat model.

The rewrite runs in its own task after scoring, so it never delays or fails a
score; until (or unless) it exists, learners see the rule-built note.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any, Protocol

from shared.db.repositories.port import UnitOfWorkPort
from shared.domain.clock import utcnow
from shared.domain.coaching import coaching_note

log = logging.getLogger("recital.coaching")
MAX_NOTE_CHARS = 600  # a longer answer is not a short note: keep the rule note


class CoachWriter(Protocol):
    model: str

    def rewrite(self, rule_note: str, piece_title: str) -> str: ...


def shown_note(uow: UnitOfWorkPort, attempt_id: uuid.UUID, result: dict[str, Any]) -> str:
    """What the learner reads: the rewrite for this score, else the rule-built note."""
    rewritten = uow.results.coaching_note(attempt_id, result["scoring_version"])
    return rewritten if rewritten is not None else coaching_note(result["words"], result["hesitations"])


def rewrite_coaching(uow: UnitOfWorkPort, writer: CoachWriter, attempt_id: uuid.UUID) -> str | None:
    """Reword the newest score's note once; returns the stored rewrite, or None if kept as is."""
    score = uow.results.latest_score(attempt_id)
    if score is None:
        return None
    existing = uow.results.coaching_note(attempt_id, score.scoring_version)
    if existing is not None:  # a redelivered task pays the model nothing
        return existing
    rule = coaching_note(score.result["words"], score.result["hesitations"])
    attempt = uow.attempts.get(attempt_id)
    piece = uow.pieces.get(attempt.piece_id) if attempt else None
    text = writer.rewrite(rule, piece.title if piece else "")
    if not text or len(text) > MAX_NOTE_CHARS:
        log.warning("coaching rewrite unusable attempt=%s chars=%d", attempt_id, len(text))
        return None
    # A concurrent delivery may have stored one first: its row stays, as the unique key kept it before.
    uow.results.save_coaching_note(attempt_id, score.scoring_version, rule, text, writer.model, utcnow())
    uow.commit()
    return text
