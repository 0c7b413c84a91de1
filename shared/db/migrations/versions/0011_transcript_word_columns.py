"""stored transcripts keep their words by field

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 15:30:00

Re-scoring parses and rebuilds every stored transcript. One JSON object per
word repeated every key for every word (12.5 KB for a minute); by field
(``"word_columns": {"text": [...], "start": [...], ...}``, flags sparse) the
same words take 5 KB and parse five times faster. The transcript's text,
already in the table's ``text`` column, leaves the document. Workers write the
new form (``Transcript.to_stored``) and read both; this rewrites the rows
written before, a few hundred at a time. The conversion is spelled out here,
not imported, so this migration keeps meaning what it meant when later code
changes. Downgrade writes the old form back.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import orjson
import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

BATCH = 500
FIELDS = ("text", "start", "end", "confidence")
Document = dict[str, Any]


def upgrade() -> None:
    _rewrite(_by_field)


def downgrade() -> None:
    _rewrite(_by_word)


def _by_field(document: Document, text: str) -> Document | None:
    """The document with its words by field; None when it has no word list to convert."""
    words = document.get("words")
    if "word_columns" in document or not isinstance(words, list):
        return None
    columns: Document = {name: [word.get(name) for word in words] for name in FIELDS}
    unlike = [i for i, word in enumerate(words) if word.get("unlike_previous")]
    if unlike:
        columns["unlike_previous"] = unlike
    alike = {str(i): w["sounds_like"] for i, w in enumerate(words) if w.get("sounds_like") is not None}
    if alike:
        columns["sounds_like"] = alike
    kept = {key: value for key, value in document.items() if key not in ("words", "text")}
    return {**kept, "word_columns": columns}


def _by_word(document: Document, text: str) -> Document | None:
    """The document with one object per word and its text, as 0010 left it."""
    columns = document.get("word_columns")
    if not isinstance(columns, dict):
        return None
    unlike = set(columns.get("unlike_previous", []))
    alike = columns.get("sounds_like", {})
    words = []
    for i, values in enumerate(zip(*(columns[name] for name in FIELDS), strict=True)):
        word = dict(zip(FIELDS, values, strict=True))
        if i in unlike:
            word["unlike_previous"] = True
        if str(i) in alike:
            word["sounds_like"] = alike[str(i)]
        words.append(word)
    kept = {key: value for key, value in document.items() if key != "word_columns"}
    return {**kept, "text": text, "words": words}


def _rewrite(convert: Callable[[Document, str], Document | None]) -> None:
    """Every transcript row through ``convert``, in id order, ``BATCH`` rows per read."""
    bind = op.get_bind()
    binary = bind.dialect.name == "postgresql"  # bytea of orjson bytes (0010); SQLite: JSON text
    table = sa.table("transcripts", sa.column("id"), sa.column("text"), sa.column("data"))
    last: Any = None
    while True:
        query = sa.select(table.c.id, table.c.text, table.c.data).order_by(table.c.id).limit(BATCH)
        rows = bind.execute(query if last is None else query.where(table.c.id > last)).all()
        if not rows:
            return
        changed = []
        for row_id, text, data in rows:
            new = convert(_loaded(data), str(text))
            if new is not None:
                changed.append({"row_id": row_id, "data": orjson.dumps(new) if binary else json.dumps(new)})
        if changed:
            update = sa.update(table).where(table.c.id == sa.bindparam("row_id"))
            bind.execute(update.values(data=sa.bindparam("data")), changed)
        last = rows[-1][0]


def _loaded(data: Any) -> Document:
    if isinstance(data, dict):
        return data
    parsed: Document = orjson.loads(data)  # bytes (Postgres) or JSON text (SQLite)
    return parsed
