"""gunicorn's own error replies (bad request line, 431 headers, ...) in the JSON error shape.

gunicorn answers requests it cannot parse before the app sees them, with an
HTML page; ``gunicorn.conf.py`` installs ``write_json_error`` in its place so a
client gets the same ``{"error": {"code", "message"}}`` as from the app. The
message is fixed per status: gunicorn's own text can echo the client's bytes.
"""

from __future__ import annotations

import json
import socket

from gunicorn import util

ERRORS = {
    400: ("bad_request", "The request could not be parsed."),
    403: ("forbidden", "The request is not allowed."),
    408: ("request_timeout", "The request arrived too slowly. Please send it again."),
    431: ("header_too_large", "The request's headers are too large."),
    500: ("internal_error", "Something went wrong on our side."),
    501: ("not_implemented", "That transfer coding is not supported."),
}


def write_json_error(sock: socket.socket, status_int: int, reason: str, mesg: str) -> None:
    code, message = ERRORS.get(status_int, ("http_error", reason))
    body = json.dumps({"error": {"code": code, "message": message}}).encode()
    head = (
        f"HTTP/1.1 {status_int} {reason}\r\nConnection: close\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    util.write_nonblock(sock, head.encode("latin1") + body)


def install() -> None:
    util.write_error = write_json_error
