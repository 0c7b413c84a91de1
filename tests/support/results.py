"""Results scored by the real scorer from words we choose, for page and domain tests."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import datetime
from typing import Any

from shared.db.repositories.port import UnitOfWorkPort
from shared.domain.clock import utcnow
from shared.domain.result import ScoredAttempt
from shared.domain.scoring import score_recitation
from shared.domain.transcript import SpokenWord, Transcript

WORD_SECONDS = 0.4


def scored(reference: str, spoken: str, pauses: dict[int, float] | None = None) -> dict[str, Any]:
    """``scored_result`` as the stored JSON."""
    return scored_result(reference, spoken, pauses).to_dict()


def store_score(
    uow: UnitOfWorkPort, attempt_id: uuid.UUID, result: ScoredAttempt, version: str | None = None,
    now: datetime | None = None,
) -> None:  # fmt: skip
    """Store the attempt's score row (``version`` overrides the scorer's) as processing does."""
    if version is not None:
        result = replace(result, scoring_version=version)
    uow.results.add_scores([(attempt_id, result)], now or utcnow())


def scored_result(reference: str, spoken: str, pauses: dict[int, float] | None = None) -> ScoredAttempt:
    """Score ``spoken`` (said at a steady pace) against ``reference``; ``pauses``
    maps a spoken word's position to seconds of silence before it."""
    words, at = [], 0.5
    for i, text in enumerate(spoken.split()):
        at += (pauses or {}).get(i, 0.0)
        words.append(SpokenWord(text, at, at + WORD_SECONDS - 0.05, 0.95))
        at += WORD_SECONDS
    transcript = Transcript(tuple(words), "test", "test")
    return score_recitation(reference, transcript, duration=at + 0.5)
