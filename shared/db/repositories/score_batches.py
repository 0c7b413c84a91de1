"""Batch re-scoring's two Postgres statements, on psycopg directly.

A ``rescore`` worker loads a batch of stored attempts, scores each and
inserts one score row per attempt; besides the scoring itself, these two
statements took most of its time. Two things SQLAlchemy's path could not do:

- **Binary results.** In text format a ``bytea`` column arrives as hex, twice
  its size, which psycopg then decodes; a stored transcript is 5 KB a minute. The
  load asks for binary results: the bytes as stored, for orjson to parse.
- **Pipelined inserts.** The scores are inserted in chunks while the batch is
  still being scored, in psycopg's pipeline mode: each chunk's ``INSERT`` is
  sent without waiting for its result, so Postgres (another core) stores one
  chunk while this process scores the next. The results (which attempts got a
  row) are read once the pipeline ends, before the commit.

The rows are those the generic path (``results.py``, SQLite) writes; the
repository contract tests hold this path to what the in-memory fakes do.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterable, Iterator
from datetime import datetime
from itertools import islice
from typing import Any

import orjson
import psycopg

from shared.db.repositories.records import StoredAttempt
from shared.db.result_json import result_json
from shared.domain.result import ScoredAttempt

# Scores per INSERT: small enough that the last chunk, whose storing nothing
# overlaps, is short; large enough that each statement carries real work.
CHUNK = 25
Scored = tuple[uuid.UUID, ScoredAttempt]

_STORED = """
    SELECT a.id, a.piece_id, t.data, an.data
    FROM attempts AS a
    JOIN transcripts AS t ON t.id = a.transcript_id
    JOIN analyses AS an ON an.attempt_id = a.id
    WHERE a.id = ANY(%(ids)s) AND a.status = 'done'
      AND NOT EXISTS (SELECT 1 FROM scores AS s
                      WHERE s.attempt_id = a.id AND s.scoring_version = %(version)s)
    ORDER BY a.created_at, a.id
"""
_COLUMNS = ("id", "attempt_id", "scoring_version", "accuracy", "completeness", "fluency",
            "overall", "wpm", "wcpm", "result")  # fmt: skip
# A repeated batch inserts nothing. The parameters go in binary (%b): an array in
# text format has every quote of the JSON escaped, in Python. An attempt deleted
# since the batch loaded it (its learner deleted it, or an admin the learner) gets
# no row, where the foreign key would fail the whole batch: the key-share lock
# waits for a deletion in flight, then skips the row it removed, and a deletion
# that comes later waits for this commit and takes the new row with it.
_INSERT = """
    INSERT INTO scores (id, attempt_id, scoring_version, accuracy, completeness, fluency, overall,
                        wpm, wcpm, result, created_at, rescore_run_id)
    SELECT id, attempt_id, scoring_version, accuracy, completeness, fluency, overall,
           wpm, wcpm, result, %(now)b, CAST(%(run_id)b AS uuid)
    FROM unnest(
        CAST(%(id)b AS uuid[]), CAST(%(attempt_id)b AS uuid[]), CAST(%(scoring_version)b AS text[]),
        CAST(%(accuracy)b AS float8[]), CAST(%(completeness)b AS float8[]),
        CAST(%(fluency)b AS float8[]), CAST(%(overall)b AS float8[]),
        CAST(%(wpm)b AS float8[]), CAST(%(wcpm)b AS float8[]), CAST(%(result)b AS bytea[])
    ) AS given (id, attempt_id, scoring_version, accuracy, completeness, fluency, overall,
                wpm, wcpm, result)
    WHERE EXISTS (SELECT 1 FROM attempts AS a WHERE a.id = given.attempt_id FOR KEY SHARE)
    ON CONFLICT DO NOTHING
    RETURNING attempt_id
"""


def stored_attempts(
    connection: psycopg.Connection[Any], attempt_ids: Collection[uuid.UUID], version: str
) -> list[StoredAttempt]:
    """Of these, the done attempts not scored at ``version``, oldest first, their documents parsed."""
    with connection.cursor(binary=True) as cursor:
        rows = cursor.execute(_STORED, {"ids": list(attempt_ids), "version": version}).fetchall()
    return [StoredAttempt(a, p, orjson.loads(t), orjson.loads(an)) for a, p, t, an in rows]


def insert_scores(
    connection: psycopg.Connection[Any], results: Iterable[Scored], now: datetime, run_id: uuid.UUID | None
) -> set[uuid.UUID]:
    """Insert as ``results`` are produced, a chunk at a time; the attempts given a row,
    each marked with the re-scoring run writing it (None: not a run's)."""
    cursors = []
    with connection.pipeline():
        for chunk in _chunks(results):
            given = {**_arrays(chunk), "now": now, "run_id": run_id}
            cursors.append(connection.cursor().execute(_INSERT, given))
    return {row[0] for cursor in cursors for row in cursor.fetchall()}


def _chunks(results: Iterable[Scored]) -> Iterator[list[Scored]]:
    items = iter(results)
    while chunk := list(islice(items, CHUNK)):
        yield chunk


def _arrays(chunk: list[Scored]) -> dict[str, list[Any]]:
    """The rows as one array per column, each result as the JSON bytes stored as they are."""
    columns: dict[str, list[Any]] = {name: [] for name in _COLUMNS}
    for attempt_id, result in chunk:
        s = result.scores
        # float(): one int among the floats would not make a float8[] array.
        row = (uuid.uuid4(), attempt_id, result.scoring_version, float(s.accuracy),
               float(s.completeness), float(s.fluency), float(s.overall), float(s.wpm),
               float(s.wcpm), result_json(result))  # fmt: skip
        for values, value in zip(columns.values(), row, strict=True):
            values.append(value)
    return columns
