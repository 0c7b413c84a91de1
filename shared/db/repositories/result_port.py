"""The results port: what processing produced, in plain data (see ``port.py``).

``results.py`` implements it on SQLAlchemy, ``tests/support/fake_*.py`` in memory.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterable
from datetime import datetime
from typing import Any, Protocol

from shared.db.repositories.records import (
    ScoreRecord,
    ScoreStamp,
    StoredAttempt,
    StoredTranscript,
    TranscriptKey,
)
from shared.domain.result import ScoredAttempt


class ResultRepository(Protocol):
    """What processing produced: analyses, transcripts (a cache across attempts), scores."""

    def analysis(self, attempt_id: uuid.UUID) -> dict[str, Any] | None: ...

    def save_analysis(self, attempt_id: uuid.UUID, data: dict[str, Any]) -> None: ...

    def transcript(self, transcript_id: uuid.UUID) -> StoredTranscript | None: ...

    def find_transcript(self, key: TranscriptKey) -> StoredTranscript | None: ...

    def save_transcript(
        self, key: TranscriptKey, text: str, data: dict[str, Any], now: datetime
    ) -> uuid.UUID:
        """Insert unless the key is stored (a concurrent delivery); the stored row's id."""
        ...

    def add_scores(
        self,
        results: Iterable[tuple[uuid.UUID, ScoredAttempt]],
        now: datetime,
        run_id: uuid.UUID | None = None,
    ) -> set[uuid.UUID]:
        """One row per (attempt, scoring version), existing ones kept; the attempts given a new row.
        An attempt deleted since it was loaded gets none (not a foreign-key error for the batch).
        ``run_id``: the re-scoring run writing them, marked on each row for its report.

        ``results`` may be produced lazily (batch re-scoring scores as the rows
        are stored); it is read to its end before this returns."""
        ...

    def stored_for_rescoring(self, attempt_ids: Collection[uuid.UUID], version: str) -> list[StoredAttempt]:
        """Of these, the done attempts not scored at ``version``, with their stored results, oldest first."""
        ...

    def latest_score(self, attempt_id: uuid.UUID) -> ScoreRecord | None:
        """The attempt's newest score row (a re-score's, once there is one)."""
        ...

    def score_stamps(self, attempt_id: uuid.UUID) -> list[ScoreStamp]:
        """The attempt's score rows without their results, oldest (what the learner first
        read) first: cheap beside ``latest_score``, which reads a whole result."""
        ...

    def newest_scores(self, learner_id: uuid.UUID, piece_id: uuid.UUID) -> list[ScoreRecord]:
        """Each scored attempt of the learner on the piece with its newest score, oldest attempt first."""
        ...

    def coaching_note(self, attempt_id: uuid.UUID, scoring_version: str) -> str | None:
        """The chat model's rewrite of that score's note, if one is stored."""
        ...

    def save_coaching_note(
        self, attempt_id: uuid.UUID, version: str, rule_note: str, note: str, model: str, now: datetime
    ) -> None:
        """Insert unless one is stored for that score (a concurrent delivery's stays)."""
        ...
