"""Analyses, transcripts and scores on SQLAlchemy (Postgres, or SQLite embedded)."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from shared.db import models
from shared.db.repositories import score_batches
from shared.db.repositories.attempts import scored_at
from shared.db.repositories.records import (
    ScoreRecord,
    ScoreStamp,
    StoredAttempt,
    StoredTranscript,
    TranscriptKey,
)
from shared.domain.result import ScoredAttempt

A = models.Attempt
S = models.Score
T = models.Transcript


class SqlResults:
    def __init__(self, session: Session) -> None:
        self._session = session

    def analysis(self, attempt_id: uuid.UUID) -> dict[str, Any] | None:
        return self._session.scalar(
            select(models.Analysis.data).where(models.Analysis.attempt_id == attempt_id)
        )

    def save_analysis(self, attempt_id: uuid.UUID, data: dict[str, Any]) -> None:
        self._session.merge(models.Analysis(attempt_id=attempt_id, data=data))

    def transcript(self, transcript_id: uuid.UUID) -> StoredTranscript | None:
        return self._stored(T.id == transcript_id)

    def find_transcript(self, key: TranscriptKey) -> StoredTranscript | None:
        return self._stored(*_matches(key))

    def save_transcript(
        self, key: TranscriptKey, text: str, data: dict[str, Any], now: datetime
    ) -> uuid.UUID:
        values = {"id": uuid.uuid4(), **vars(key), "text": text, "data": data, "created_at": now}
        self._session.execute(self._insert(T).values(**values).on_conflict_do_nothing())
        return self._session.scalars(select(T.id).where(*_matches(key))).one()

    def add_scores(
        self,
        results: Iterable[tuple[uuid.UUID, ScoredAttempt]],
        now: datetime,
        run_id: uuid.UUID | None = None,
    ) -> set[uuid.UUID]:
        """Postgres: chunks inserted as ``results`` are produced (``score_batches``); elsewhere one insert."""
        if self._dialect() == "postgresql":
            return score_batches.insert_scores(self._driver(), results, now, run_id)
        rows = [_score_row(attempt_id, result, now, run_id) for attempt_id, result in results]
        if not rows:
            return set()
        # Attempts deleted since the batch loaded them get no row (SQLite has one writer).
        ids = [row["attempt_id"] for row in rows]
        present = set(self._session.scalars(select(models.Attempt.id).where(models.Attempt.id.in_(ids))))
        rows = [row for row in rows if row["attempt_id"] in present]
        if not rows:
            return set()
        statement = self._insert(models.Score).values(rows).on_conflict_do_nothing()
        return set(self._session.scalars(statement.returning(models.Score.attempt_id)))

    def stored_for_rescoring(self, attempt_ids: Collection[uuid.UUID], version: str) -> list[StoredAttempt]:
        if not attempt_ids:
            return []
        if self._dialect() == "postgresql":  # the stored bytes in binary, parsed by orjson
            return score_batches.stored_attempts(self._driver(), attempt_ids, version)
        rows = self._session.execute(
            select(A.id, A.piece_id, T.data, models.Analysis.data)
            .join(T, T.id == A.transcript_id)
            .join(models.Analysis, models.Analysis.attempt_id == A.id)
            .where(A.id.in_(attempt_ids), A.status == "done", ~scored_at(version))
            .order_by(A.created_at, A.id)
        ).tuples()
        return [StoredAttempt(*row) for row in rows]

    def latest_score(self, attempt_id: uuid.UUID) -> ScoreRecord | None:
        query = _scores().where(S.attempt_id == attempt_id).order_by(S.created_at.desc()).limit(1)
        row = self._session.execute(query).tuples().one_or_none()
        return ScoreRecord(*row) if row else None

    def score_stamps(self, attempt_id: uuid.UUID) -> list[ScoreStamp]:
        query = select(S.scoring_version, S.accuracy, S.created_at).where(S.attempt_id == attempt_id)
        return [ScoreStamp(*row) for row in self._session.execute(query.order_by(S.created_at)).tuples()]

    def newest_scores(self, learner_id: uuid.UUID, piece_id: uuid.UUID) -> list[ScoreRecord]:
        rows = self._session.execute(
            _scores()
            .where(A.learner_id == learner_id, A.piece_id == piece_id)
            .order_by(A.created_at, S.created_at)
        ).tuples()
        newest = {row[0]: ScoreRecord(*row) for row in rows}  # later scores replace earlier ones
        return list(newest.values())

    def coaching_note(self, attempt_id: uuid.UUID, scoring_version: str) -> str | None:
        row = self._session.get(models.CoachingNote, (attempt_id, scoring_version))
        return row.note if row else None

    def save_coaching_note(
        self, attempt_id: uuid.UUID, version: str, rule_note: str, note: str, model: str, now: datetime
    ) -> None:
        values = {"attempt_id": attempt_id, "scoring_version": version, "rule_note": rule_note,
                  "note": note, "model": model, "created_at": now}  # fmt: skip
        self._session.execute(self._insert(models.CoachingNote).values(**values).on_conflict_do_nothing())

    def _stored(self, *where: Any) -> StoredTranscript | None:
        row = self._session.execute(select(T.id, T.context_key, T.data).where(*where)).tuples().one_or_none()
        return StoredTranscript(*row) if row else None

    def _insert(self, table: type[models.Base]) -> Any:
        return (postgresql if self._dialect() == "postgresql" else sqlite).insert(table)

    def _dialect(self) -> str:
        return self._session.get_bind().dialect.name

    def _driver(self) -> Any:
        """The session's psycopg connection, inside the session's transaction."""
        return self._session.connection().connection.driver_connection


def _scores() -> Any:
    return select(S.attempt_id, S.scoring_version, S.accuracy, S.overall, S.wpm, S.result, S.created_at,
                  A.created_at).join(A, A.id == S.attempt_id)  # fmt: skip


def _matches(key: TranscriptKey) -> list[Any]:
    return [getattr(T, name) == value for name, value in vars(key).items()]


def _score_row(
    attempt_id: uuid.UUID, result: ScoredAttempt, now: datetime, run_id: uuid.UUID | None
) -> dict[str, Any]:
    s = result.scores
    return {
        "id": uuid.uuid4(),
        "attempt_id": attempt_id,
        "scoring_version": result.scoring_version,
        "accuracy": s.accuracy,
        "completeness": s.completeness,
        "fluency": s.fluency,
        "overall": s.overall,
        "wpm": s.wpm,
        "wcpm": s.wcpm,
        "result": result.to_dict(),
        "created_at": now,
        "rescore_run_id": run_id,
    }
