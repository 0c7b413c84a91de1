"""Fields of JSON bodies and paging query strings, with the API's error codes
(bodies themselves: web/bodies.py; ids in paths: web/ids.py)."""

from __future__ import annotations

import re
from typing import Any

from flask import request

from shared.services.errors import ErrorKind, ServiceError

MAX_PAGE = 100
DIGITS = re.compile(r"[0-9]{1,30}")
MAX_OFFSET = 2**63 - 1  # a Postgres bigint; past it the database, not the client, would fail
PAGE_RANGES = (
    f"limit and offset are whole numbers, limit from 1 to {MAX_PAGE} and offset from 0 to {MAX_OFFSET}."
)
MAX_TEXT_VERSION = 2**31 - 1  # a Postgres integer
VERSION = re.compile(r"[1-9][0-9]{0,9}")


def string_field(body: dict[str, Any], name: str, code: str) -> str:
    """A string field; ``code`` is the error for a wrong value, ``missing_field`` (400) for none."""
    value = body.get(name)
    if value is None:
        raise ServiceError(ErrorKind.INVALID, "missing_field", f"Send {name}.")
    if not isinstance(value, str):
        raise ServiceError(ErrorKind.UNPROCESSABLE, code, f"{name} must be a string.")
    return value


def page_args() -> tuple[int, int]:
    limit_text, offset_text = request.args.get("limit", "20"), request.args.get("offset", "0")
    # One message for both refusals, with both ranges (QA: "limit=-1" and "limit=0" read differently).
    if not (DIGITS.fullmatch(limit_text) and DIGITS.fullmatch(offset_text)):  # int() takes " 5", "1_0"
        raise ServiceError(ErrorKind.INVALID, "invalid_page", PAGE_RANGES)
    limit, offset = int(limit_text), int(offset_text)
    if not 1 <= limit <= MAX_PAGE or not 0 <= offset <= MAX_OFFSET:
        raise ServiceError(ErrorKind.INVALID, "invalid_page", PAGE_RANGES)
    return limit, offset


def text_version(value: object, *, form: bool) -> int | None:
    """An upload's ``text_version``, the piece's text version the learner recited (a form's
    digits, or a JSON integer); None when not sent."""
    if value is None:
        return None
    if form:
        number = int(value) if isinstance(value, str) and VERSION.fullmatch(value) else 0
    else:
        number = value if isinstance(value, int) and not isinstance(value, bool) else 0
    if not 1 <= number <= MAX_TEXT_VERSION:
        raise ServiceError(
            ErrorKind.INVALID,
            "invalid_text_version",
            "text_version is the piece's text_version, a whole number.",
        )
    return number
