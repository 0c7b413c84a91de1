"""Request bodies: JSON is small and parsed safely; only uploads may be large.

``MAX_CONTENT_LENGTH`` admits a recording (50 MB); a JSON body that size once
took a web process from 130 MB to 1.3 GB, so every request that is not a
multipart upload is held to ``MAX_JSON_BYTES`` before anything is read.
"""

from __future__ import annotations

from typing import Any

from flask import request
from werkzeug.exceptions import RequestEntityTooLarge

from shared.services.errors import ErrorKind, ServiceError
from shared.services.stored_text import check_strings

MAX_JSON_BYTES = 1024 * 1024
UPLOAD_MIMETYPE = "multipart/form-data"


def is_upload() -> bool:
    return request.mimetype == UPLOAD_MIMETYPE


def limit_non_upload_bodies() -> None:
    """A ``before_request`` hook: Werkzeug then refuses a larger body (413) as it reads."""
    if not is_upload():
        # One byte over, so json_object can tell a streamed (chunked) body that
        # reached the limit (Werkzeug stops there silently) from one that fits.
        request.max_content_length = MAX_JSON_BYTES + 1


def json_object(message: str) -> dict[str, Any]:
    """The request's JSON object, or a 400 ``invalid_json`` saying what to send."""
    if request.is_json and len(request.get_data(cache=True)) > MAX_JSON_BYTES:
        raise RequestEntityTooLarge()
    try:
        body = request.get_json(silent=True)
    except RecursionError:  # 5,000 nested arrays: the parser's stack, not our bug
        raise ServiceError(ErrorKind.INVALID, "invalid_json", "The JSON is nested too deeply.") from None
    if not isinstance(body, dict):
        if not request.is_json:  # JSON sent as text/plain, or with no type, is not read (QA)
            message += " Send it with Content-Type: application/json."
        raise ServiceError(ErrorKind.INVALID, "invalid_json", message)
    check_strings(body)  # NUL or a lone surrogate anywhere: 422, before any route stores or compares it
    return body
