"""What the front door reads, in memory: a learner's attempts, scores and
coaching notes, mixed into ``FakeAttempts`` and ``FakeResults`` with the SQL
adapters' order and ownership rules (the contract tests check both)."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable, Collection
from datetime import datetime
from typing import TYPE_CHECKING, Any

from shared.db.repositories.records import (
    AttemptRecord,
    Conflict,
    KeyedAttempt,
    NewAttempt,
    ScoreRecord,
    ScoreStamp,
)
from shared.domain.clock import utcnow

if TYPE_CHECKING:
    from tests.support.fake_repositories import Tables

Row = dict[str, Any]
_ATTEMPT_FIELDS = AttemptRecord.__dataclass_fields__


class AttemptReads:
    _tables: Callable[[], Tables]

    def get(self, attempt_id: uuid.UUID) -> AttemptRecord | None:
        row = self._tables().attempts.get(attempt_id)
        return _attempt(row) if row else None

    def add(self, attempt: NewAttempt, max_open: int | None = None) -> bool:
        tables, row = self._tables(), {k: v for k, v in vars(attempt).items() if k != "text_version"}
        if max_open is not None and self.count_open(attempt.learner_id, max_open) >= max_open:
            return False  # as the SQL: a full queue inserts nothing, so nothing conflicts
        piece = tables.pieces.get(attempt.piece_id)
        if piece is None or piece["visibility"] != "public" and piece["owner_id"] != attempt.learner_id:
            return False  # as the SQL: only into a piece the learner may recite
        if attempt.text_version not in (None, piece["text_version"]):
            return False  # and only while its text is still the one recited
        taken = attempt.id in tables.attempts or self._keyed_row(attempt.learner_id, attempt.idempotency_key)
        if taken:
            raise Conflict(f"attempt {attempt.id}: key taken")  # the keys the table has
        now = utcnow()
        tables.attempts[attempt.id] = row | {
            "status": "queued", "stage": "uploaded", "delivery_count": 0, "worker_id": None,
            "lease_expires_at": None, "transcript_id": None, "duration_seconds": None, "warnings": [],
            "error_code": None, "error_message": None, "created_at": now, "queued_at": now,
            "started_at": None, "finished_at": None,
        }  # fmt: skip
        return True

    def keyed(self, learner_id: uuid.UUID, key: str) -> KeyedAttempt | None:
        row = self._keyed_row(learner_id, key)
        return KeyedAttempt(row["id"], row["piece_id"], row["sha256"]) if row else None

    def count_open(self, learner_id: uuid.UUID, at_most: int) -> int:
        found = sum(1 for r in self._tables().attempts.values()
                    if r["learner_id"] == learner_id and r["status"] in ("queued", "processing"))  # fmt: skip
        return min(found, at_most)

    def count_by_status(self) -> dict[str, int]:
        return dict(Counter(r["status"] for r in self._tables().attempts.values()))

    def _keyed_row(self, learner_id: uuid.UUID, key: str | None) -> Row | None:
        if key is None:  # NULL keys never collide
            return None
        rows = [r for r in self._tables().attempts.values()
                if r["learner_id"] == learner_id and r.get("idempotency_key") == key]  # fmt: skip
        return rows[0] if rows else None

    def owned(self, attempt_id: uuid.UUID, learner_id: uuid.UUID) -> AttemptRecord | None:
        row = self._tables().attempts.get(attempt_id)
        return _attempt(row) if row and row["learner_id"] == learner_id else None

    def list_owned(
        self,
        learner_id: uuid.UUID,
        limit: int,
        offset: int,
        statuses: Collection[str] = (),
        piece_id: uuid.UUID | None = None,
    ) -> tuple[list[AttemptRecord], int]:
        rows = [r for r in self._tables().attempts.values()
                if r["learner_id"] == learner_id and (not statuses or r["status"] in statuses)
                and (not piece_id or r["piece_id"] == piece_id)]  # fmt: skip
        rows.sort(key=lambda r: r["id"])
        rows.sort(key=lambda r: r["created_at"], reverse=True)  # newest first, ties by id ascending
        return [_attempt(r) for r in rows[offset : offset + limit]], len(rows)


class ResultReads:
    _tables: Callable[[], Tables]

    def latest_score(self, attempt_id: uuid.UUID) -> ScoreRecord | None:
        rows = [r for (a, _), r in self._tables().scores.items() if a == attempt_id]
        return self._score(max(rows, key=lambda r: r["created_at"])) if rows else None

    def score_stamps(self, attempt_id: uuid.UUID) -> list[ScoreStamp]:
        rows = sorted((r for (a, _), r in self._tables().scores.items() if a == attempt_id),
                      key=lambda r: r["created_at"])  # fmt: skip
        return [ScoreStamp(r["scoring_version"], r["accuracy"], r["created_at"]) for r in rows]

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
