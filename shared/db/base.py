"""The declarative base every model shares (one metadata for Alembic), and its types."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import JSON
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase

JsonType = JSON().with_variant(JSONB(), "postgresql")


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JsonType, list[Any]: JsonType}


def new_id() -> uuid.UUID:
    return uuid.uuid4()
