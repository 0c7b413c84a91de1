"""Errors a service raises; adapters map ``kind`` to HTTP statuses or exit codes."""

from __future__ import annotations

from enum import StrEnum


class ErrorKind(StrEnum):
    INVALID = "invalid"  # 400
    UNAUTHENTICATED = "unauthenticated"  # 401
    FORBIDDEN = "forbidden"  # 403
    NOT_FOUND = "not_found"  # 404
    CONFLICT = "conflict"  # 409
    TOO_LARGE = "too_large"  # 413
    UNSUPPORTED = "unsupported"  # 415
    UNPROCESSABLE = "unprocessable"  # 422
    TOO_MANY = "too_many"  # 429
    UNAVAILABLE = "unavailable"  # 503


class ServiceError(Exception):
    def __init__(self, kind: ErrorKind, code: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.code = code
        self.message = message


def signed_out() -> ServiceError:
    """The caller's session, token or account ended while the request was under way."""
    return ServiceError(ErrorKind.UNAUTHENTICATED, "signed_out", "You were signed out; sign in again.")
