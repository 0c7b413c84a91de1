"""Migration 0011 rewrites every stored transcript with its words by field, on
Postgres and SQLite, batch after batch, and downgrade writes the old form back;
the transcript read from either form is the same."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
import sqlalchemy as sa
from alembic import command

from shared.db.migrate import alembic_config, upgrade
from shared.domain.transcript import SpokenWord, Transcript
from shared.settings import Settings
from tests.support.stack import create_database, drop_database

FLAGGED = Transcript.of(
    [SpokenWord("the", 0.0, 0.3, 0.9), SpokenWord("lord", 0.4, 0.8, None, True, "Lord")]
    + [SpokenWord("é", 1, 2)],
    "offline",
    "en-us",
)
ROWS = 1001  # more than two of the migration's batches of 500


@pytest.fixture(params=["postgres", "sqlite"])
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Settings]:
    if request.param == "sqlite":
        yield Settings(home=tmp_path)
        return
    url = create_database()
    yield Settings(home=tmp_path, database_url=url)
    drop_database(url)


def _old_form(n: int) -> dict[str, Any]:
    words = [w._replace(start=w.start + n, end=w.end + n) for w in FLAGGED.words] if n else FLAGGED.words
    return Transcript.of(words, "offline", "en-us").to_dict()


def _insert_old_rows(engine: sa.Engine) -> list[uuid.UUID]:
    binary = engine.dialect.name == "postgresql"
    ids = [uuid.uuid4() for _ in range(ROWS)]
    rows = [
        {"id": i.hex if not binary else i, "sha": f"{n:064x}", "text": _old_form(n)["text"],
         "data": orjson.dumps(_old_form(n)) if binary else json.dumps(_old_form(n))}
        for n, i in enumerate(ids)
    ]  # fmt: skip
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO transcripts (id, audio_sha256, engine, model, recognition_version, context_key,"
                " text, data, created_at) VALUES (:id, :sha, 'offline', 'en-us', '', '', :text, :data,"
                " CURRENT_TIMESTAMP)"
            ),
            rows,
        )
    return ids


def _documents(engine: sa.Engine) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        raw = conn.execute(sa.text("SELECT data FROM transcripts ORDER BY audio_sha256")).scalars()
        return [orjson.loads(value) for value in raw]


def test_stored_words_go_by_field_and_back(settings: Settings) -> None:
    upgrade(settings, "0010")
    engine = sa.create_engine(settings.resolved_database_url)
    try:
        _insert_old_rows(engine)
        before = _documents(engine)

        upgrade(settings)
        after = _documents(engine)
        assert all("word_columns" in d and "words" not in d and "text" not in d for d in after)
        assert after[0]["word_columns"]["unlike_previous"] == [1]
        assert after[0]["word_columns"]["sounds_like"] == {"1": "Lord"}
        assert [Transcript.from_dict(d) for d in after] == [Transcript.from_dict(d) for d in before]
        assert Transcript.from_dict(after[0]) == FLAGGED

        command.downgrade(alembic_config(settings), "0010")
        assert _documents(engine) == before
    finally:
        engine.dispose()
