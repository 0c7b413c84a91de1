"""What the current request or job is about, for every log line it writes.

Two context variables: the request id (from the web's ``X-Request-ID``, or
made up) and the attempt id. The enqueuer copies both into the task's
headers with the time it sent it, so the worker's lines carry the same ids
and the queue readings can tell a message's age.
"""

from __future__ import annotations

import time
import uuid
from contextvars import ContextVar
from typing import Any

REQUEST_ID: ContextVar[str | None] = ContextVar("recital_request_id", default=None)
ATTEMPT_ID: ContextVar[str | None] = ContextVar("recital_attempt_id", default=None)

SENT_AT_HEADER = "recital_sent_at"
REQUEST_ID_HEADER = "recital_request_id"


def new_request_id() -> str:
    return uuid.uuid4().hex


def bind(request_id: str | None = None, attempt_id: str | None = None) -> None:
    """Set what is given; leave the rest."""
    if request_id is not None:
        REQUEST_ID.set(request_id)
    if attempt_id is not None:
        ATTEMPT_ID.set(attempt_id)


def clear() -> None:
    REQUEST_ID.set(None)
    ATTEMPT_ID.set(None)


def message_headers() -> dict[str, Any]:
    """Headers for a task: when it was sent (epoch seconds) and the request that sent it.
    It binds nothing: a sweep re-sending many attempts logged its summary under the last
    one's id (QA). An upload's line names its attempt from the response's Location."""
    headers: dict[str, Any] = {SENT_AT_HEADER: time.time()}
    request_id = REQUEST_ID.get()
    if request_id is not None:
        headers[REQUEST_ID_HEADER] = request_id
    return headers
