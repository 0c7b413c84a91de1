"""The repository ports in memory, with the rules the SQL adapters follow.

``tests/shared/db/test_repository_contract.py`` runs the same tests on these
and on Postgres, so a use case tested on the fakes behaves the same on the
database. Rows are plain dicts in a ``Tables`` the unit of work copies on
its first statement and swaps in on commit (``fake_uow.py``).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from shared.db.repositories.records import JobRecord, StoredAttempt, StoredTranscript, TranscriptKey
from shared.domain.result import ScoredAttempt
from tests.support.fake_accounts import AttemptErasure
from tests.support.fake_reads import AttemptReads, ResultReads

Row = dict[str, Any]


@dataclass
class Tables:
    pieces: dict[uuid.UUID, Row] = field(default_factory=dict)
    attempts: dict[uuid.UUID, Row] = field(default_factory=dict)
    analyses: dict[uuid.UUID, dict[str, Any]] = field(default_factory=dict)
    transcripts: dict[uuid.UUID, Row] = field(default_factory=dict)
    scores: dict[tuple[uuid.UUID, str], Row] = field(default_factory=dict)
    coaching_notes: dict[tuple[uuid.UUID, str], Row] = field(default_factory=dict)
    users: dict[uuid.UUID, Row] = field(default_factory=dict)
    sessions: dict[str, Row] = field(default_factory=dict)  # by the secret's sha256
    tokens: dict[uuid.UUID, Row] = field(default_factory=dict)


class FakeAttempts(AttemptReads, AttemptErasure):
    def __init__(self, tables: Callable[[], Tables]) -> None:
        self._tables = tables

    def _row(self, attempt_id: uuid.UUID) -> Row | None:
        return self._tables().attempts.get(attempt_id)

    def claim(self, attempt_id: uuid.UUID, worker_id: str, lease_seconds: float, now: datetime) -> int | None:
        row = self._row(attempt_id)
        if row is None or not (row["status"] == "queued" or _expired(row, now)):
            return None
        row.update(
            status="processing", worker_id=worker_id, lease_expires_at=now + timedelta(seconds=lease_seconds)
        )
        row["delivery_count"] += 1
        row["started_at"] = row["started_at"] or now
        return int(row["delivery_count"])

    def renew(self, attempt_id: uuid.UUID, worker_id: str, lease_seconds: float, now: datetime) -> bool:
        row = self._row(attempt_id)
        if row is None or row["worker_id"] != worker_id or row["status"] != "processing":
            return False
        row["lease_expires_at"] = now + timedelta(seconds=lease_seconds)
        return True

    def lease_expiry(self, attempt_id: uuid.UUID) -> datetime | None:
        row = self._row(attempt_id)
        return row["lease_expires_at"] if row and row["status"] == "processing" else None

    def job(self, attempt_id: uuid.UUID) -> JobRecord:
        row = self._row(attempt_id)
        if row is None:
            raise LookupError(attempt_id)  # as the SQL adapter's .one() raises
        text = self._tables().pieces[row["piece_id"]]["text"]
        return JobRecord(
            attempt_id, row["storage_key"], row["format"], row["sha256"], text, row["transcript_id"]
        )

    def hold(self, attempt_id: uuid.UUID) -> bool:
        return self._row(attempt_id) is not None

    def record_analysis(self, attempt_id: uuid.UUID, duration: float, warnings: Sequence[str]) -> None:
        self._set(attempt_id, duration_seconds=duration, warnings=list(warnings), stage="analysed")

    def link_transcript(self, attempt_id: uuid.UUID, transcript_id: uuid.UUID) -> None:
        if transcript_id not in self._tables().transcripts:
            raise LookupError(transcript_id)  # the foreign key
        self._set(attempt_id, transcript_id=transcript_id, stage="transcribed")

    def release(self, attempt_id: uuid.UUID, now: datetime) -> None:
        if (row := self._row(attempt_id)) and row["status"] == "processing":
            row.update(status="queued", lease_expires_at=None, worker_id=None, queued_at=now)

    def fail(self, attempt_id: uuid.UUID, code: str, message: str, now: datetime) -> bool:
        row = self._row(attempt_id)
        if row is None or row["status"] not in ("queued", "processing"):
            return False
        row.update(status="failed", stage="failed", error_code=code, error_message=message,
                   lease_expires_at=None, finished_at=now)  # fmt: skip
        return True

    def mark_done(self, attempt_id: uuid.UUID, now: datetime) -> None:
        if (row := self._row(attempt_id)) and row["status"] == "processing":
            row.update(status="done", stage="done", lease_expires_at=None, finished_at=now)

    def stuck(self, now: datetime, queued_before: datetime, limit: int) -> list[tuple[uuid.UUID, int]]:
        def is_stuck(r: Row) -> bool:
            return (r["status"] == "queued" and r["queued_at"] < queued_before) or _expired(r, now)

        rows = [r for r in self._tables().attempts.values() if is_stuck(r)]
        rows.sort(key=lambda r: r["queued_at"])
        return [(r["id"], r["delivery_count"]) for r in rows[:limit]]

    def requeue(self, attempt_ids: Collection[uuid.UUID], now: datetime) -> None:
        for attempt_id in attempt_ids:
            if (row := self._row(attempt_id)) and (row["status"] == "queued" or _expired(row, now)):
                row.update(status="queued", queued_at=now, lease_expires_at=None, worker_id=None)

    def pending_rescore(
        self, version: str, piece_id: uuid.UUID | None = None, limit: int | None = None
    ) -> list[uuid.UUID]:
        tables = self._tables()
        rows = sorted(tables.attempts.values(), key=lambda r: (r["created_at"], r["id"]))
        ids = [r["id"] for r in rows if _rescorable(tables, r, version)
               and (piece_id is None or r["piece_id"] == piece_id)]  # fmt: skip
        return ids if limit is None else ids[:limit]

    def piece_texts(self, piece_ids: Collection[uuid.UUID]) -> dict[uuid.UUID, str]:
        pieces = self._tables().pieces
        return {piece_id: pieces[piece_id]["text"] for piece_id in piece_ids if piece_id in pieces}

    def _set(self, attempt_id: uuid.UUID, **values: Any) -> None:
        if (row := self._row(attempt_id)) is not None:
            row.update(values)


class FakeResults(ResultReads):
    def __init__(self, tables: Callable[[], Tables]) -> None:
        self._tables = tables

    def analysis(self, attempt_id: uuid.UUID) -> dict[str, Any] | None:
        return self._tables().analyses.get(attempt_id)

    def save_analysis(self, attempt_id: uuid.UUID, data: dict[str, Any]) -> None:
        self._tables().analyses[attempt_id] = data

    def transcript(self, transcript_id: uuid.UUID) -> StoredTranscript | None:
        row = self._tables().transcripts.get(transcript_id)
        return StoredTranscript(row["id"], row["key"].context_key, row["data"]) if row else None

    def find_transcript(self, key: TranscriptKey) -> StoredTranscript | None:
        found = [r for r in self._tables().transcripts.values() if r["key"] == key]
        return self.transcript(found[0]["id"]) if found else None

    def save_transcript(
        self, key: TranscriptKey, text: str, data: dict[str, Any], now: datetime
    ) -> uuid.UUID:
        if (stored := self.find_transcript(key)) is not None:
            return stored.id  # the unique key: a concurrent delivery's row stays
        transcript_id = uuid.uuid4()
        self._tables().transcripts[transcript_id] = {"id": transcript_id, "key": key, "text": text,
                                                     "data": data, "created_at": now}  # fmt: skip
        return transcript_id

    def add_scores(
        self,
        results: Iterable[tuple[uuid.UUID, ScoredAttempt]],
        now: datetime,
        run_id: uuid.UUID | None = None,
    ) -> set[uuid.UUID]:
        scores, added = self._tables().scores, set()
        for attempt_id, result in results:
            if attempt_id not in self._tables().attempts:
                continue  # deleted since the batch loaded it
            if (attempt_id, result.scoring_version) not in scores:
                scores[(attempt_id, result.scoring_version)] = _score_row(attempt_id, result, now, run_id)
                added.add(attempt_id)
        return added

    def stored_for_rescoring(self, attempt_ids: Collection[uuid.UUID], version: str) -> list[StoredAttempt]:
        tables = self._tables()
        rows = [tables.attempts[i] for i in set(attempt_ids) if i in tables.attempts]
        rows = [r for r in rows if _rescorable(tables, r, version)]
        rows.sort(key=lambda r: (r["created_at"], r["id"]))
        return [StoredAttempt(r["id"], r["piece_id"], tables.transcripts[r["transcript_id"]]["data"],
                              tables.analyses[r["id"]]) for r in rows]  # fmt: skip


def _score_row(attempt_id: uuid.UUID, result: ScoredAttempt, now: datetime, run_id: uuid.UUID | None) -> Row:
    s = result.scores
    return {"attempt_id": attempt_id, "scoring_version": result.scoring_version, "accuracy": s.accuracy,
            "overall": s.overall, "wpm": s.wpm, "result": result.to_dict(), "created_at": now,
            "rescore_run_id": run_id}  # fmt: skip


def _expired(row: Row, now: datetime) -> bool:
    expires = row["lease_expires_at"]
    return row["status"] == "processing" and expires is not None and expires < now


def _rescorable(tables: Tables, row: Row, version: str) -> bool:
    return (row["status"] == "done" and row["transcript_id"] is not None and row["id"] in tables.analyses
            and (row["id"], version) not in tables.scores)  # fmt: skip
