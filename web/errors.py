"""Every error is JSON: {"error": {"code": ..., "message": ...}} with the right status,
except that a browser opening an unknown page (404, 405) gets the site's error page."""

from __future__ import annotations

import logging

from flask import Flask, Response, current_app, g, jsonify, render_template, request
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException

from shared.services.errors import ErrorKind, ServiceError
from shared.services.messages import size_text
from shared.services.pieces import MAX_TEXT_CHARS
from web.bodies import MAX_JSON_BYTES, is_upload

log = logging.getLogger("recital.web")

STATUS_BY_KIND = {
    ErrorKind.INVALID: 400,
    ErrorKind.UNAUTHENTICATED: 401,
    ErrorKind.FORBIDDEN: 403,
    ErrorKind.NOT_FOUND: 404,
    ErrorKind.CONFLICT: 409,
    ErrorKind.TOO_LARGE: 413,
    ErrorKind.UNSUPPORTED: 415,
    ErrorKind.UNPROCESSABLE: 422,
    ErrorKind.TOO_MANY: 429,
    ErrorKind.UNAVAILABLE: 503,
}
CODE_BY_STATUS = {
    400: "bad_request",
    404: "not_found",
    405: "method_not_allowed",
    408: "request_timeout",
    413: "recording_too_large",
    415: "unsupported_media_type",
    429: "rate_limited",
    431: "header_too_large",
    500: "internal_error",
}


# What a learner reads when a page's form is over ``MAX_JSON_BYTES`` (QA: they got the raw
# JSON). Only a piece's text can be that long; the draft kept by forms.js is put back.
FORM_TOO_LARGE = (
    f"That is too much text to send at once: a piece's text is limited to {MAX_TEXT_CHARS:,} characters. "
    "Go back, shorten it, and send it again."
)


def _browser_navigation() -> bool:
    """A person's browser opening an address outside the API: it prefers HTML to JSON
    (API clients and curl ask for JSON or anything, and keep getting JSON). By quality,
    not ``best``: Chrome's navigations end in ``application/signed-exchange;v=b3;q=0.7``,
    which werkzeug ranks first for being more specific, and they got JSON."""
    accepted = request.accept_mimetypes
    html = accepted.quality("text/html")
    return not request.path.startswith("/api/") and html > 0 and html > accepted["application/json"]


def error_response(status: int, code: str, message: str) -> tuple[Response, int]:
    g.error_code = code  # the rate limits count some refusals (web/limits.py)
    response = jsonify({"error": {"code": code, "message": message}})
    if status == 503:
        response.headers["Retry-After"] = "5"
    if status == 429:  # Flask-Limiter replaces it with the time its window frees up
        response.headers["Retry-After"] = "30"
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="recital"'
    return response, status


def refusal_status(exc: ServiceError) -> int:
    """The status of a page's refused form, its code kept as ``error_response`` keeps it."""
    g.error_code = exc.code
    return STATUS_BY_KIND[exc.kind]


def register(app: Flask) -> None:
    @app.errorhandler(ServiceError)
    def _service(exc: ServiceError) -> tuple[Response, int]:
        return error_response(STATUS_BY_KIND[exc.kind], exc.code, exc.message)

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException) -> tuple[Response, int]:
        status = exc.code or 500
        message = exc.description or ""
        code = CODE_BY_STATUS.get(status, "http_error")
        if status == 413 and not is_upload():  # JSON and other bodies (web/bodies.py)
            code, message = "body_too_large", f"Request bodies are limited to {MAX_JSON_BYTES // 1024} KB."
        elif status == 413:  # raised by Werkzeug before our service sees the body
            message = (
                f"Recordings are limited to about {size_text(current_app.config['MAX_CONTENT_LENGTH'])}."
            )
        elif status == 500:
            message = "Something went wrong on our side."
        if _browser_navigation() and status in (404, 405):  # a mistyped address, GET /sign-out
            page = "That page does not exist." if status == 404 else "That page cannot be opened that way."
            response = Response(render_template("error.html", status=status, message=page), status)
        elif _browser_navigation() and code == "body_too_large":  # a book pasted into a page's form
            response = Response(render_template("error.html", status=status, message=FORM_TOO_LARGE), status)
        else:
            response, status = error_response(status, code, message)
        for name, value in exc.get_headers():  # Allow on a 405, Retry-After on a 429 …
            if name.lower() != "content-type":
                response.headers[name] = value
        return response, status

    @app.errorhandler(DBAPIError)
    def _database(exc: DBAPIError) -> tuple[Response, int]:
        # Only a lost or refused connection is worth a retry; any other database
        # error is ours (input is validated before it gets there), so never 503.
        if exc.connection_invalidated or isinstance(exc, OperationalError | InterfaceError):
            log.warning("database unavailable: %s", exc.__class__.__name__)
            return error_response(503, "database_unavailable", "The service is busy; try again shortly.")
        log.exception("database error")
        return error_response(500, "internal_error", "Something went wrong on our side.")

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> tuple[Response, int]:
        log.exception("unhandled error")
        return error_response(500, "internal_error", "Something went wrong on our side.")
