"""The stored result: JSON bytes built in one pass, kept as ``bytea`` on Postgres.

``ScoredAttempt.to_dict()`` is the contract; this is the same document
written straight to JSON by orjson, without the intermediate dicts of
``dataclasses.asdict`` and without the driver's ``json.dumps``: building and
serialising the result dominated batch re-scoring. orjson writes the slotted
dataclasses and the ``WordStatus`` enum itself; only the words (named tuples,
which it would write as arrays) become dicts. The tests hold it equal to
``to_dict()`` for every golden result.

On Postgres ``scores.result`` holds those bytes as they are (``bytea``, lz4
compressed; migration 0009): parsing 20-30 KB of text into ``jsonb`` was most
of Postgres's work per re-scored attempt, and nothing queries inside a result.
``StoredResult`` gives every reader the same dict as before (orjson parses
it); SQLite keeps its JSON text column.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any

import orjson
from sqlalchemy import JSON, LargeBinary
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine

from shared.domain.result import ScoredAttempt, WordResult

_FIELDS = tuple(field.name for field in fields(ScoredAttempt))
_WORD_FIELDS = WordResult._fields


def result_json(result: ScoredAttempt) -> bytes:
    """``result.to_dict()`` as JSON (UTF-8 bytes, keys in the contract's order)."""
    return orjson.dumps(_document(result))


def _document(result: ScoredAttempt) -> dict[str, Any]:
    document = {name: getattr(result, name) for name in _FIELDS}  # asdict's key order
    document["words"] = [dict(zip(_WORD_FIELDS, word, strict=True)) for word in result.words]
    return document


class StoredResult(TypeDecorator[dict[str, Any]]):
    """A result document: JSON bytes in ``bytea`` on Postgres, the JSON type elsewhere."""

    impl = JSON
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(LargeBinary())
        return dialect.type_descriptor(JSON())

    def process_bind_param(self, value: dict[str, Any] | None, dialect: Dialect) -> Any:
        if value is None or dialect.name != "postgresql":
            return value
        return orjson.dumps(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> dict[str, Any] | None:
        if value is None or dialect.name != "postgresql":
            return value
        return orjson.loads(value)
