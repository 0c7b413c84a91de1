"""API v1: pieces and attempts. Routes parse, call a service, render."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request, url_for

from shared.services import attempts, idempotency, pieces
from shared.services.errors import ErrorKind, ServiceError
from shared.services.submission import Submission, Submitted, submit_attempt
from web.bodies import json_object
from web.deps import container, current_learner, enqueuer
from web.direct_uploads import complete_upload
from web.ids import parse_uuid

api = Blueprint("api", __name__)

POLL_AFTER_SECONDS = "2"
MAX_PAGE = 100
MAX_OFFSET = 2**63 - 1  # a Postgres bigint; past it the database, not the client, would fail


@api.post("/pieces")
def create_piece() -> tuple[Response, int, dict[str, str]]:
    body = json_object("Send a JSON object with title and text.")
    title, text = body.get("title"), body.get("text")
    if not isinstance(title, str) or not isinstance(text, str):
        raise ServiceError(ErrorKind.UNPROCESSABLE, "invalid_piece", "title and text must be strings.")
    with container().uow() as uow:
        piece = pieces.create_piece(uow, title, text)
    location = url_for("api.get_piece", piece_id=piece.id)
    return jsonify(_piece_json(piece)), 201, {"Location": location}


@api.get("/pieces")
def list_pieces() -> Response:
    limit, offset = _page()
    with container().uow() as uow:
        items, total = pieces.list_pieces(uow, limit, offset)
    return jsonify(
        {"items": [_piece_json(p) for p in items], "total": total, "limit": limit, "offset": offset}
    )


@api.get("/pieces/<piece_id>")
def get_piece(piece_id: str) -> Response:
    with container().uow() as uow:
        return jsonify(_piece_json(pieces.get_piece(uow, parse_uuid(piece_id, "piece"))))


@api.post("/pieces/<piece_id>/attempts")
def submit(piece_id: str) -> tuple[Response, int, dict[str, str]]:
    if request.is_json:  # the completion of a direct upload (web/direct_uploads.py)
        return _accepted(complete_upload(piece_id))
    learner = current_learner()
    # Checked before the body is parsed, so a bad key stores nothing.
    key = idempotency.validate_key(request.headers.get("Idempotency-Key") or None)
    recording = request.files.get("recording")
    if recording is None:
        raise ServiceError(
            ErrorKind.INVALID,
            "recording_required",
            "Upload the audio in a multipart field named 'recording'.",
        )
    submission = Submission(
        learner=learner,
        piece_id=parse_uuid(piece_id, "piece"),
        recording=recording.stream,
        idempotency_key=key,
    )
    deps = container()
    with deps.uow(autocommit=True) as uow:  # each write in submitting is one statement
        submitted = submit_attempt(
            uow, deps.storage, enqueuer(), submission, deps.settings.max_upload_bytes, deps.known_ids
        )
    return _accepted(submitted)


def _accepted(submitted: Submitted) -> tuple[Response, int, dict[str, str]]:
    location = url_for("api.get_attempt", attempt_id=submitted.attempt_id)
    body = {"id": str(submitted.attempt_id), "status_url": location, "created": submitted.created}
    headers = {"Location": location, "Retry-After": POLL_AFTER_SECONDS}
    return jsonify(body), 202, headers


@api.get("/attempts/<attempt_id>")
def get_attempt(attempt_id: str) -> tuple[Response, int, dict[str, str]]:
    learner = current_learner()
    with container().uow() as uow:
        view = attempts.get_attempt(uow, learner, parse_uuid(attempt_id, "attempt"))
    headers = {} if view["status"] in ("done", "failed") else {"Retry-After": POLL_AFTER_SECONDS}
    return jsonify(view), 200, headers


@api.get("/attempts")
def list_attempts() -> Response:
    learner = current_learner()
    limit, offset = _page()
    status = request.args.get("status")
    if status not in (None, "queued", "processing", "done", "failed"):
        raise ServiceError(
            ErrorKind.INVALID, "invalid_status", "status is queued, processing, done or failed."
        )
    with container().uow() as uow:
        items, total = attempts.list_attempts(uow, learner, limit, offset, status)
    return jsonify({"items": items, "total": total, "limit": limit, "offset": offset})


def _page() -> tuple[int, int]:
    try:
        limit = int(request.args.get("limit", 20))
        offset = int(request.args.get("offset", 0))
    except ValueError:
        raise ServiceError(ErrorKind.INVALID, "invalid_page", "limit and offset must be integers.") from None
    if not 1 <= limit <= MAX_PAGE or not 0 <= offset <= MAX_OFFSET:
        raise ServiceError(
            ErrorKind.INVALID, "invalid_page", f"limit is 1-{MAX_PAGE}, offset 0-{MAX_OFFSET}."
        )
    return limit, offset


def _piece_json(piece: pieces.PieceView) -> dict[str, Any]:
    return {
        "id": str(piece.id),
        "title": piece.title,
        "text": piece.text,
        "word_count": piece.word_count,
        "created_at": piece.created_at.isoformat(),
    }
