"""One log line per request (docs/operations.md): method, route template, status,
duration, request id and the attempt id where there is one; and the request's time in
``recital_http_request_duration_seconds``.

The request id is the caller's ``X-Request-ID`` when it is a short token (a proxy's),
else a new one; it is sent back in the response and travels to the worker in the
task's headers. The route is the template (``/api/v1/attempts/<attempt_id>``), never
the path: paths and query strings can carry signed links.
"""

from __future__ import annotations

import logging
import re
import time
import uuid

from flask import Flask, Response, g, request

from shared.observability import context
from shared.observability.metrics import HTTP_SECONDS

log = logging.getLogger("recital.http")

REQUEST_ID_HEADER = "X-Request-ID"
ACCEPTED_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
# Any token is a method to HTTP; only these become a label or a log field, the rest
# "other", so a caller cannot add a metric series per request (QA: one per made-up method).
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
ATTEMPT_LOCATION = re.compile(r"/attempts/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$")


def install(app: Flask) -> None:
    # First of the before-request hooks: a request the rate limiter refuses is timed and logged too.
    app.before_request_funcs.setdefault(None, []).insert(0, _start)
    app.after_request(_finish)


def _start() -> None:
    g.recital_started = time.perf_counter()
    given = request.headers.get(REQUEST_ID_HEADER, "")
    context.clear()  # a thread serves many requests: nothing of the last one stays
    context.bind(
        request_id=given if ACCEPTED_ID.fullmatch(given) else context.new_request_id(),
        attempt_id=_attempt_in_path(),
    )


def _attempt_in_path() -> str | None:
    """The attempt a route names (``/attempts/<attempt_id>``), if it is an id at all."""
    value = (request.view_args or {}).get("attempt_id")
    try:
        return str(uuid.UUID(value)) if isinstance(value, str) else None
    except ValueError:
        return None


def _finish(response: Response) -> Response:
    made = ATTEMPT_LOCATION.search(response.headers.get("Location", ""))
    if made is not None:  # an upload: the new attempt's id, from where it points the client
        context.bind(attempt_id=made.group(1))
    started = g.get("recital_started")
    seconds = time.perf_counter() - started if started is not None else 0.0
    route = request.url_rule.rule if request.url_rule is not None else "unmatched"
    method = request.method if request.method in METHODS else "other"
    HTTP_SECONDS.labels(method, route, str(response.status_code)).observe(seconds)
    request_id = context.REQUEST_ID.get()
    if request_id is not None:
        response.headers[REQUEST_ID_HEADER] = request_id
    log.info(
        "%s %s %d %.1fms",
        method,
        route,
        response.status_code,
        seconds * 1000,
        extra={
            "method": method,
            "route": route,
            "status": response.status_code,
            "duration_ms": round(seconds * 1000, 2),
        },
    )
    return response
