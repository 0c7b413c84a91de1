"""Reading request bodies, query strings and path ids into plain values, with the API's error codes."""

from __future__ import annotations

import re
import uuid
from typing import Any

from flask import request

from shared.services.errors import ErrorKind, ServiceError

MAX_PAGE = 100
DIGITS = re.compile(r"[0-9]{1,12}")
MAX_OFFSET = 2**31 - 1  # also keeps the number inside what the database takes


def json_object(what: str) -> dict[str, Any]:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ServiceError(ErrorKind.INVALID, "invalid_json", f"Send a JSON object with {what}.")
    return body


def string_field(body: dict[str, Any], name: str, code: str) -> str:
    value = body.get(name)
    if not isinstance(value, str):
        raise ServiceError(ErrorKind.UNPROCESSABLE, code, f"{name} must be a string.")
    return value


def page_args() -> tuple[int, int]:
    limit_text, offset_text = request.args.get("limit", "20"), request.args.get("offset", "0")
    if not (DIGITS.fullmatch(limit_text) and DIGITS.fullmatch(offset_text)):  # int() takes " 5", "1_0"
        raise ServiceError(ErrorKind.INVALID, "invalid_page", "limit and offset must be integers.")
    limit, offset = int(limit_text), int(offset_text)
    if not 1 <= limit <= MAX_PAGE or not 0 <= offset <= MAX_OFFSET:
        raise ServiceError(
            ErrorKind.INVALID, "invalid_page", f"limit is 1-{MAX_PAGE}, offset 0-{MAX_OFFSET}."
        )
    return limit, offset


def parse_id(value: str, what: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise ServiceError(ErrorKind.NOT_FOUND, f"{what}_not_found", f"No {what} with that id.") from None
