"""Requests that trickle in time out under gunicorn instead of holding a thread.

gunicorn's threaded worker reads headers and bodies from a blocking socket
with no deadline: 300 bytes sent over 62 s held a request thread the whole
time, and eight such connections stalled the API. ``install`` gives every
socket read of a connection the time left before a deadline:

- headers: ``header_seconds`` from the moment the first bytes arrive (set
  when gunicorn picks the connection up, ``TConn.init``); past it the client
  gets 408 ``request_timeout`` and the connection closes;
- a body (``watch``, gunicorn's ``pre_request`` hook): a base allowance plus
  its declared length at a minimum rate; past it the app raises
  ``BodyTimeout``, which Flask answers with 408 JSON.

A connection whose body was not read to the end closes, so gunicorn never
drains the rest of a slow body on a worker thread: ``close_if_unread`` (the
app's ``after_request``) marks it before the response's headers go out, so
they say ``Connection: close``; ``unwatch`` (``post_request``) clears the
deadline and catches what the app did not answer. A buffering proxy with timeouts in front does
the same job earlier; see ``docs/hostile-input.md``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from flask import Response, request
from gunicorn.http.body import ChunkedReader, EOFReader, LengthReader
from gunicorn.http.errors import NoMoreData
from gunicorn.http.unreader import SocketUnreader
from gunicorn.workers.gthread import TConn
from werkzeug.exceptions import RequestTimeout

from web.gunicorn_errors import write_json_error

_STOCK_INIT = TConn.init
_STOCK_CHUNK = SocketUnreader.chunk


class BodyTimeout(RequestTimeout):
    """Raised inside the app while it reads the body; Flask answers 408 JSON."""

    description = "The request body arrived too slowly. Please send it again."


def deadline_seconds(length: int | None, base: float, min_bytes_per_second: int, max_bytes: int) -> float:
    """Base allowance plus the declared length (the largest body, if unsaid) at the minimum rate."""
    return base + (max_bytes if length is None else min(length, max_bytes)) / min_bytes_per_second


def install(header_seconds: float) -> None:
    """Deadlines on every socket read of gunicorn's threaded worker, in this process."""

    def init(conn: TConn) -> Any:
        result = _STOCK_INIT(conn)
        unreader = conn.parser.unreader
        if isinstance(unreader, SocketUnreader):
            _set(unreader, time.monotonic() + header_seconds, lambda: _headers_expired(unreader))
        return result

    TConn.init = init
    SocketUnreader.chunk = _chunk


def uninstall() -> None:
    TConn.init = _STOCK_INIT
    SocketUnreader.chunk = _STOCK_CHUNK


def watch(req: Any, base: float, min_bytes_per_second: int, max_bytes: int) -> None:
    req.body.recital_request = req  # the app reaches the request through wsgi.input
    if not isinstance(req.unreader, SocketUnreader):
        return
    length = next((int(v) for k, v in req.headers if k == "CONTENT-LENGTH" and v.isdigit()), None)
    deadline = time.monotonic() + deadline_seconds(length, base, min_bytes_per_second, max_bytes)
    _set(req.unreader, deadline, lambda: _body_expired(req))


def unwatch(req: Any) -> None:
    _set(req.unreader, None, None)
    if not _read_to_the_end(getattr(req.body, "reader", None)):
        req.must_close = True  # never drain the rest of a (slow) body on a worker thread


def close_if_unread(response: Response) -> Response:
    """A body left unread (a 401, 403, 413 or 429 answered before it was parsed) closes the
    connection, and the response says so. Marked only in ``post_request``, the headers had
    promised keep-alive and the close on unread bytes reset the connection: the client's
    next request on it failed (QA: ConnectionResetError, a proxy's 502)."""
    body = request.environ.get("wsgi.input")
    req = getattr(body, "recital_request", None)
    if req is not None and not _read_to_the_end(getattr(body, "reader", None)):
        req.must_close = True
    return response


def _set(unreader: Any, deadline: float | None, expired: Callable[[], Exception] | None) -> None:
    unreader.recital_deadline, unreader.recital_expired = deadline, expired


def _chunk(self: SocketUnreader) -> bytes:
    deadline = getattr(self, "recital_deadline", None)
    if deadline is None:
        return bytes(self.sock.recv(self.mxchunk))
    # Past the deadline, bytes already waiting are still taken (a request that
    # queued for a busy thread is not the client's fault); only waiting ends.
    self.sock.settimeout(max(deadline - time.monotonic(), 0.001))
    try:
        return bytes(self.sock.recv(self.mxchunk))
    except TimeoutError:
        raise self.recital_expired() from None
    finally:
        self.sock.settimeout(None)  # back to blocking, as gunicorn left it


def _headers_expired(unreader: SocketUnreader) -> Exception:
    try:
        write_json_error(unreader.sock, 408, "Request Timeout", "")
    except OSError:
        pass  # the client may be gone already
    return NoMoreData()  # gunicorn closes the connection quietly


def _body_expired(req: Any) -> Exception:
    req.must_close = True
    return BodyTimeout()


def _read_to_the_end(reader: object) -> bool:
    if isinstance(reader, LengthReader):
        return reader.length == 0
    if isinstance(reader, ChunkedReader):
        return reader.parser is None
    return isinstance(reader, EOFReader) and reader.finished
