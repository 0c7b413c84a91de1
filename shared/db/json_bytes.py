"""JSON documents stored as UTF-8 bytes (``bytea``) on Postgres, as the JSON type elsewhere.

The large documents — a score's result (20-30 KB), a transcript (about 5 KB
for a minute) and an analysis — are only ever read and written whole: nothing
queries inside them. As ``jsonb`` Postgres parsed each one on the way in and
printed it back to text on the way out, which was most of its work per
re-scored attempt (migrations 0009, 0010). As ``bytea`` it stores and returns
the bytes orjson wrote, and every reader still gets the same dict (orjson
parses it). SQLite keeps its JSON text columns. In ``psql``,
``convert_from(result, 'UTF8')::jsonb`` shows one.
"""

from __future__ import annotations

from typing import Any

import orjson
from sqlalchemy import JSON, LargeBinary
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine


class JsonBytes(TypeDecorator[dict[str, Any]]):
    """A JSON object: orjson bytes in ``bytea`` on Postgres, the JSON type elsewhere."""

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
