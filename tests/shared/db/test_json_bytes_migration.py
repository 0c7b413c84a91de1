"""Migrations 0009 and 0010 turn every stored result, transcript and analysis from ``jsonb``
into JSON bytes (``bytea``) on Postgres, and back on downgrade, with each reader seeing the
same document."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import psycopg
import pytest
from alembic import command
from psycopg.types.json import Jsonb

from shared.container import Container
from shared.db.migrate import alembic_config, upgrade
from shared.domain.result import ScoredAttempt
from shared.domain.scoring import score_recitation
from shared.domain.transcript import SpokenWord, Transcript
from shared.settings import Settings
from tests.support.stack import create_database, drop_database

PIECE = "The Lord is my shepherd; I shall not want. He restoreth my soul: café, naïve — 1863."


@pytest.fixture
def empty_db() -> Iterator[str]:
    url = create_database()
    yield url
    drop_database(url)


def _scored(said: str) -> ScoredAttempt:
    words = [SpokenWord(w, k * 0.4, k * 0.4 + 0.35, 0.93) for k, w in enumerate(said.split())]
    return score_recitation(
        PIECE, Transcript.of(words, "golden", "golden"), pauses=[(0.8, 4.5)], duration=30.0
    )


TRANSCRIPT = Transcript.of(
    [SpokenWord("the", 0.0, 0.3, 0.9), SpokenWord("lord", 0.4, 0.8, None, True, "Lord")], "offline", "en-us"
).to_dict()
ANALYSIS = {"duration": 30.0, "pauses": [[0.8, 4.5]], "silences": [], "note": "naïve — café"}


def _attempt_with_old_score(url: str, result: dict[str, Any]) -> tuple[uuid.UUID, uuid.UUID]:
    """A done attempt whose transcript, analysis and score were written as ``jsonb`` (0008)."""
    user, piece, attempt, transcript = uuid.uuid4(), uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    with psycopg.connect(url) as conn:
        conn.execute(
            "INSERT INTO users (id, handle, role, created_at) VALUES (%s, 'ada', 'learner', now())", (user,)
        )
        conn.execute(
            "INSERT INTO pieces (id, owner_id, visibility, title, text, created_at)"
            " VALUES (%s, %s, 'private', 'Psalm', %s, now())",
            (piece, user, PIECE),
        )
        conn.execute(
            "INSERT INTO transcripts (id, audio_sha256, engine, model, recognition_version, context_key,"
            " text, data, created_at) VALUES (%s, %s, 'offline', 'en-us', '', '', 'the lord', %s, now())",
            (transcript, "0" * 64, Jsonb(TRANSCRIPT)),
        )
        conn.execute(
            "INSERT INTO attempts (id, learner_id, piece_id, status, stage, storage_key, sha256, size_bytes,"
            " format, delivery_count, warnings, transcript_id, created_at, queued_at)"
            " VALUES (%s, %s, %s, 'done', 'done', 'k', %s, 1, 'wav', 1, '[]', %s, now(), now())",
            (attempt, user, piece, "0" * 64, transcript),
        )
        conn.execute(
            "INSERT INTO analyses (attempt_id, data, created_at) VALUES (%s, %s, now())",
            (attempt, Jsonb(ANALYSIS)),
        )
        conn.execute(
            "INSERT INTO scores (id, attempt_id, scoring_version, accuracy, completeness, fluency, overall,"
            " wpm, wcpm, result, created_at) VALUES (%s, %s, '2000.01.1', 1, 1, 1, 1, 1, 1, %s, %s)",
            (uuid.uuid4(), attempt, Jsonb(result), datetime(2026, 1, 1, tzinfo=UTC)),
        )
    return attempt, transcript


COLUMNS = {"scores": "result", "transcripts": "data", "analyses": "data"}


def _columns(url: str) -> dict[str, Any]:
    with psycopg.connect(url) as conn:
        return {
            table: conn.execute(
                "SELECT format_type(atttypid, atttypmod), attcompression FROM pg_attribute"
                " WHERE attrelid = %s::regclass AND attname = %s",
                (table, column),
            ).fetchone()
            for table, column in COLUMNS.items()
        }


def _documents(url: str, table: str) -> list[Any]:
    with psycopg.connect(url) as conn:
        return [r[0] for r in conn.execute(f"SELECT {COLUMNS[table]} FROM {table} ORDER BY created_at")]


def test_results_become_json_bytes_and_back(empty_db: str, tmp_path: Path) -> None:
    settings = Settings(home=tmp_path, database_url=empty_db)
    upgrade(settings, "0008")
    old = orjson.loads(
        orjson.dumps(_scored("the lord is my sheep shepherd i shall want he soul café").to_dict())
    )
    attempt, transcript = _attempt_with_old_score(empty_db, old)

    upgrade(settings, "0010")  # 0011 rewrites the transcripts' words (test_transcript_columns_migration)
    assert _columns(empty_db) == dict.fromkeys(COLUMNS, ("bytea", "l"))  # lz4-compressed
    deps = Container(settings)
    try:
        with deps.uow() as uow:
            record = uow.results.latest_score(attempt)
            assert record is not None and record.result == old  # the converted rows read as before
            stored = uow.results.transcript(transcript)
            assert stored is not None and stored.data == TRANSCRIPT
            assert uow.results.analysis(attempt) == ANALYSIS
            (loaded,) = uow.results.stored_for_rescoring([attempt], "2099.01.1")
            assert (loaded.transcript, loaded.analysis) == (TRANSCRIPT, ANALYSIS)
        assert [orjson.loads(r) for r in _documents(empty_db, "transcripts")] == [TRANSCRIPT]
        upgrade(settings, "head")  # today's writer: a score row has columns from after 0010
        with deps.uow() as uow:
            new = _scored("the lord is my shepherd i shall not want he restoreth my soul cafe naive")
            assert uow.results.add_scores([(attempt, new)], datetime.now(UTC)) == {attempt}
            uow.commit()
        with deps.uow() as uow:
            newest = uow.results.latest_score(attempt)
            assert newest is not None and newest.result == orjson.loads(orjson.dumps(new.to_dict()))
            assert "café" in [word["expected"] for word in newest.result["words"]]
    finally:
        deps.engine.dispose()
    raw = _documents(empty_db, "scores")
    assert [orjson.loads(r) for r in raw] == [old, newest.result]  # plain UTF-8 JSON bytes

    command.downgrade(alembic_config(settings), "0008")
    assert {kind for kind, _ in _columns(empty_db).values()} == {"jsonb"}
    assert _documents(empty_db, "scores") == [old, newest.result]
    assert _documents(empty_db, "transcripts") == [TRANSCRIPT]
    assert _documents(empty_db, "analyses") == [ANALYSIS]
