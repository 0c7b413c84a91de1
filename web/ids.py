"""Ids in URLs: anything that is not a UUID is simply not found."""

from __future__ import annotations

import uuid

from shared.services.errors import ErrorKind, ServiceError


def parse_uuid(value: str, what: str, noun: str | None = None) -> uuid.UUID:
    """A malformed id is reported exactly as an unknown one (``noun`` names it in the message)."""
    try:
        return uuid.UUID(value)
    except ValueError:
        message = f"No {noun or what} with that id."
        raise ServiceError(ErrorKind.NOT_FOUND, f"{what}_not_found", message) from None
