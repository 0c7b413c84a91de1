"""Ids in URLs: anything that is not a UUID is simply not found."""

from __future__ import annotations

import uuid

from shared.services.errors import ErrorKind, ServiceError


def parse_uuid(value: str, what: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise ServiceError(ErrorKind.NOT_FOUND, f"{what}_not_found", f"No {what} with that id.") from None
