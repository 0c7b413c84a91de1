"""Request bodies that trickle in time out (408 ``request_timeout``) under gunicorn.

gunicorn's threaded worker reads a body from a blocking socket with no
deadline: 300 bytes sent over 62 s held a request thread the whole time, and
eight such connections stalled the API. ``watch`` (gunicorn's ``pre_request``
hook, see ``gunicorn.conf.py``) gives each request's body a deadline of a base
allowance plus its declared length at a minimum rate, and makes every socket
read wait only for what is left of it; ``unwatch`` (``post_request``) removes
it, and closes a connection whose body was not read to the end, so gunicorn
never waits on the rest of a slow body to reuse the connection.

A buffering proxy with a body timeout in front (nginx ``client_body_timeout``,
Cloud Run's front end) does the same job earlier; see ``docs/hostile-input.md``.
"""

from __future__ import annotations

import time
from typing import Any

from gunicorn.http.body import ChunkedReader, EOFReader, LengthReader
from gunicorn.http.unreader import SocketUnreader
from werkzeug.exceptions import RequestTimeout


class BodyTimeout(RequestTimeout):
    """Raised inside the app while it reads the body; Flask answers 408 JSON."""

    description = "The request body arrived too slowly. Please send it again."


def deadline_seconds(length: int | None, base: float, min_bytes_per_second: int, max_bytes: int) -> float:
    """Base allowance plus the declared length (the largest body, if unsaid) at the minimum rate."""
    return base + (max_bytes if length is None else min(length, max_bytes)) / min_bytes_per_second


def watch(req: Any, base: float, min_bytes_per_second: int, max_bytes: int) -> None:
    unreader = req.unreader
    if not isinstance(unreader, SocketUnreader):
        return
    length = next((int(v) for k, v in req.headers if k == "CONTENT-LENGTH" and v.isdigit()), None)
    deadline = time.monotonic() + deadline_seconds(length, base, min_bytes_per_second, max_bytes)
    sock = unreader.sock

    def chunk() -> bytes:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise _expired(req)
        sock.settimeout(remaining)
        try:
            return bytes(sock.recv(unreader.mxchunk))
        except TimeoutError:
            raise _expired(req) from None
        finally:
            sock.settimeout(None)  # back to blocking, as gunicorn left it

    unreader.chunk = chunk


def unwatch(req: Any) -> None:
    req.unreader.__dict__.pop("chunk", None)
    if not _read_to_the_end(getattr(req.body, "reader", None)):
        req.must_close = True  # never drain the rest of a (slow) body on a worker thread


def _read_to_the_end(reader: object) -> bool:
    if isinstance(reader, LengthReader):
        return reader.length == 0
    if isinstance(reader, ChunkedReader):
        return reader.parser is None
    return isinstance(reader, EOFReader) and reader.finished


def _expired(req: Any) -> BodyTimeout:
    req.must_close = True
    return BodyTimeout()
