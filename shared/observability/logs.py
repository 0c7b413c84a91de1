"""Log lines: one JSON object per line in production, plain text in development.

``RECITAL_LOG_FORMAT`` (``json`` or ``text``) decides; unset, it is text when
``RECITAL_ENVIRONMENT=development`` and JSON otherwise. Every line carries the
request id and attempt id of the request or job it belongs to
(:mod:`.context`), and what a caller passes in ``extra`` (the web's request
line: method, route, status, duration; the worker's job line: status,
delivery, stage timings). Nothing else of a request is logged: not its
headers, body, query string or cookies, so no secret reaches a log.
"""

from __future__ import annotations

import logging
import sys
from typing import IO, Literal

from pythonjsonlogger.json import JsonFormatter

from shared.observability.context import ATTEMPT_ID, REQUEST_ID

HANDLER_NAME = "recital"
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s%(ids)s"
# Libraries that say too much at INFO.
QUIET = ("alembic", "numba", "urllib3", "botocore", "google")


class ContextFilter(logging.Filter):
    """Adds the current request id and attempt id (unless the line names its own)."""

    def filter(self, record: logging.LogRecord) -> bool:
        for name, var in (("request_id", REQUEST_ID), ("attempt_id", ATTEMPT_ID)):
            value = var.get()
            if value is not None and getattr(record, name, None) is None:
                setattr(record, name, value)
        return True


class _TextFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        ids = [f"{n}={getattr(record, n)}" for n in ("request_id", "attempt_id") if getattr(record, n, None)]
        record.ids = f" [{' '.join(ids)}]" if ids else ""
        return super().format(record)


def formatter(kind: Literal["json", "text"]) -> logging.Formatter:
    if kind == "text":
        return _TextFormatter(TEXT_FORMAT)
    return JsonFormatter(
        "{levelname}{name}{message}",
        style="{",
        rename_fields={"levelname": "level", "name": "logger"},
        timestamp=True,  # ISO 8601, UTC
    )


def configure_logging(
    kind: Literal["json", "text"], stream: IO[str] | None = None, level: int = logging.INFO
) -> None:
    """One handler on the root logger, replacing an earlier one of ours (tests configure twice)."""
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == HANDLER_NAME]:
        root.removeHandler(old)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.set_name(HANDLER_NAME)
    handler.addFilter(ContextFilter())
    handler.setFormatter(formatter(kind))
    # On the handler too: the web app sets "recital" to INFO, which a root level alone
    # would not hold back (a terminal's WARNING showed summaries after an app was built).
    handler.setLevel(level)
    root.addHandler(handler)
    root.setLevel(level)
    for name in QUIET:
        logging.getLogger(name).setLevel(logging.WARNING)
