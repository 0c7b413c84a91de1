"""What the front door reads, in memory: a learner's attempts, scores and
coaching notes, mixed into ``FakeAttempts`` and ``FakeResults`` with the SQL
adapters' order and ownership rules (the contract tests check both)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from shared.db.repositories.records import AttemptRecord, ScoreRecord

if TYPE_CHECKING:
    from tests.support.fake_repositories import Tables

Row = dict[str, Any]
_ATTEMPT_FIELDS = AttemptRecord.__dataclass_fields__


class AttemptReads:
    _tables: Callable[[], Tables]

    def get(self, attempt_id: uuid.UUID) -> AttemptRecord | None:
        row = self._tables().attempts.get(attempt_id)
        return _attempt(row) if row else None

    def owned(self, attempt_id: uuid.UUID, learner_id: uuid.UUID) -> AttemptRecord | None:
        row = self._tables().attempts.get(attempt_id)
        return _attempt(row) if row and row["learner_id"] == learner_id else None

    def list_owned(
        self, learner_id: uuid.UUID, limit: int, offset: int, status: str | None = None
    ) -> tuple[list[AttemptRecord], int]:
        rows = [r for r in self._tables().attempts.values()
                if r["learner_id"] == learner_id and (not status or r["status"] == status)]  # fmt: skip
        rows.sort(key=lambda r: r["id"])
        rows.sort(key=lambda r: r["created_at"], reverse=True)  # newest first, ties by id ascending
        return [_attempt(r) for r in rows[offset : offset + limit]], len(rows)


class ResultReads:
    _tables: Callable[[], Tables]

    def latest_score(self, attempt_id: uuid.UUID) -> ScoreRecord | None:
        rows = [r for (a, _), r in self._tables().scores.items() if a == attempt_id]
        return self._score(max(rows, key=lambda r: r["created_at"])) if rows else None

    def newest_scores(self, learner_id: uuid.UUID, piece_id: uuid.UUID) -> list[ScoreRecord]:
        tables = self._tables()
        attempts = sorted((a for a in tables.attempts.values()
                           if a["learner_id"] == learner_id and a["piece_id"] == piece_id),
                          key=lambda a: a["created_at"])  # fmt: skip
        newest = [self.latest_score(a["id"]) for a in attempts]
        return [s for s in newest if s is not None]

    def coaching_note(self, attempt_id: uuid.UUID, scoring_version: str) -> str | None:
        row = self._tables().coaching_notes.get((attempt_id, scoring_version))
        return row["note"] if row else None

    def save_coaching_note(
        self, attempt_id: uuid.UUID, version: str, rule_note: str, note: str, model: str, now: datetime
    ) -> None:
        tables = self._tables()
        if attempt_id not in tables.attempts:
            raise LookupError(attempt_id)  # the foreign key
        row = {"rule_note": rule_note, "note": note, "model": model, "created_at": now}
        tables.coaching_notes.setdefault((attempt_id, version), row)  # a stored one stays

    def _score(self, row: Row) -> ScoreRecord:
        attempt = self._tables().attempts[row["attempt_id"]]
        return ScoreRecord(row["attempt_id"], row["scoring_version"], row["accuracy"], row["overall"],
                           row["wpm"], row["result"], row["created_at"], attempt["created_at"])  # fmt: skip


def _attempt(row: Row) -> AttemptRecord:
    values = {name: row[name] for name in _ATTEMPT_FIELDS}
    values["warnings"] = list(values["warnings"])
    return AttemptRecord(**values)
