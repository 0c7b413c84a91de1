"""Analyses, transcripts and scores on SQLAlchemy (Postgres, or SQLite embedded)."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from shared.db import models
from shared.db.repositories.attempts import scored_at
from shared.db.repositories.port import ScoreRecord, StoredAttempt, StoredTranscript, TranscriptKey
from shared.db.result_json import result_json
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

    def add_scores(self, results: Sequence[tuple[uuid.UUID, ScoredAttempt]], now: datetime) -> set[uuid.UUID]:
        """One ``INSERT … ON CONFLICT DO NOTHING`` for all the rows."""
        if not results:
            return set()
        if self._dialect() == "postgresql":
            return self._add_scores_unnested(results, now)
        rows = [_score_row(attempt_id, result, now) for attempt_id, result in results]
        statement = self._insert(models.Score).values(rows).on_conflict_do_nothing()
        return set(self._session.scalars(statement.returning(models.Score.attempt_id)))

    def _add_scores_unnested(
        self, results: Sequence[tuple[uuid.UUID, ScoredAttempt]], now: datetime
    ) -> set[uuid.UUID]:
        """The rows as one array per column, each result as JSON bytes stored as they are.

        Batch re-scoring writes hundreds of results at once: an ORM multi-row
        insert spent most of the batch building, binding and ``json.dumps``-ing
        dicts; here the driver sends eleven arrays and orjson writes the JSON,
        which Postgres keeps without parsing (``bytea``, migration 0009).
        """
        columns: dict[str, list[Any]] = {name: [] for name in _SCORE_COLUMNS}
        for attempt_id, result in results:
            s = result.scores
            # float(): one int among the floats would not make a float8[] array.
            row = (uuid.uuid4(), attempt_id, result.scoring_version, float(s.accuracy),
                   float(s.completeness), float(s.fluency), float(s.overall), float(s.wpm),
                   float(s.wcpm), result_json(result))  # fmt: skip
            for values, value in zip(columns.values(), row, strict=True):
                values.append(value)
        inserted = self._session.connection().exec_driver_sql(_INSERT_UNNESTED, {**columns, "now": now})
        return set(inserted.scalars())

    def stored_for_rescoring(self, attempt_ids: Collection[uuid.UUID], version: str) -> list[StoredAttempt]:
        if not attempt_ids:
            return []
        # On Postgres the documents come as the JSON bytes stored (bytea), parsed by orjson:
        # as jsonb, printing them back to text was most of the loading (migration 0010).
        rows = self._session.execute(
            select(A.id, A.piece_id, T.data, models.Analysis.data)
            .join(T, T.id == A.transcript_id)
            .join(models.Analysis, models.Analysis.attempt_id == A.id)
            .where(A.id.in_(attempt_ids), A.status == "done", ~scored_at(version))
            .order_by(A.created_at, A.id)
        ).tuples()
        return [StoredAttempt(*row) for row in rows]

    def latest_score(self, attempt_id: uuid.UUID) -> ScoreRecord | None:
        row = (
            self._session.execute(
                _scores().where(S.attempt_id == attempt_id).order_by(S.created_at.desc()).limit(1)
            )
            .tuples()
            .one_or_none()
        )
        return ScoreRecord(*row) if row else None

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


_SCORE_COLUMNS = ("id", "attempt_id", "scoring_version", "accuracy", "completeness", "fluency",
                  "overall", "wpm", "wcpm", "result")  # fmt: skip
# A repeated batch inserts nothing. The parameters go in binary (%b): an array in
# text format has every quote of the JSON escaped, in Python.
_INSERT_UNNESTED = """
    INSERT INTO scores (id, attempt_id, scoring_version, accuracy, completeness, fluency, overall,
                        wpm, wcpm, result, created_at)
    SELECT id, attempt_id, scoring_version, accuracy, completeness, fluency, overall,
           wpm, wcpm, result, %(now)b
    FROM unnest(
        CAST(%(id)b AS uuid[]), CAST(%(attempt_id)b AS uuid[]), CAST(%(scoring_version)b AS text[]),
        CAST(%(accuracy)b AS float8[]), CAST(%(completeness)b AS float8[]),
        CAST(%(fluency)b AS float8[]), CAST(%(overall)b AS float8[]),
        CAST(%(wpm)b AS float8[]), CAST(%(wcpm)b AS float8[]), CAST(%(result)b AS bytea[])
    ) AS given (id, attempt_id, scoring_version, accuracy, completeness, fluency, overall,
                wpm, wcpm, result)
    ON CONFLICT DO NOTHING
    RETURNING attempt_id
"""


def _scores() -> Any:
    return select(S.attempt_id, S.scoring_version, S.accuracy, S.overall, S.wpm, S.result, S.created_at,
                  A.created_at).join(A, A.id == S.attempt_id)  # fmt: skip


def _matches(key: TranscriptKey) -> list[Any]:
    return [getattr(T, name) == value for name, value in vars(key).items()]


def _score_row(attempt_id: uuid.UUID, result: ScoredAttempt, now: datetime) -> dict[str, Any]:
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
    }
