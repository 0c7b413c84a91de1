"""API v1: pieces and attempts. Routes parse, call a service, render.

Each route's docstring carries its OpenAPI description (YAML after ``---``);
``web/openapi.py`` builds /api/openapi.json from them.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, make_response, request, url_for

from shared.services import attempts, erasure, idempotency, pieces
from shared.services.errors import ErrorKind, ServiceError
from shared.services.submission import Submission, Submitted, submit_attempt
from web.bodies import json_object
from web.deps import container, enqueuer
from web.direct_uploads import complete_upload
from web.identity import current_learner
from web.ids import parse_uuid
from web.params import page_args

api = Blueprint("api", __name__)

POLL_AFTER_SECONDS = "2"


@api.post("/pieces")
def create_piece() -> tuple[Response, int, dict[str, str]]:
    """Create a piece (private unless ``visibility`` is ``public``).
    ---
    summary: Create a piece
    tags: [pieces]
    requestBody:
      required: true
      content:
        application/json:
          schema: {$ref: '#/components/schemas/NewPiece'}
    responses:
      201:
        description: Created; Location names it.
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Piece'}
      400: {$ref: '#/components/responses/BadRequest'}
      401: {$ref: '#/components/responses/Unauthorized'}
      403: {$ref: '#/components/responses/Forbidden'}
      422: {$ref: '#/components/responses/Unprocessable'}
    """
    owner = current_learner()
    body = json_object("Send a JSON object with title and text.")
    title, text = body.get("title"), body.get("text")
    visibility = body.get("visibility", "private")
    if not isinstance(title, str) or not isinstance(text, str) or not isinstance(visibility, str):
        raise ServiceError(
            ErrorKind.UNPROCESSABLE, "invalid_piece", "title, text and visibility must be strings."
        )
    with container().uow() as uow:
        piece = pieces.create_piece(uow, owner, title, text, visibility)
    location = url_for("api.get_piece", piece_id=piece.id)
    return jsonify(_piece_json(piece)), 201, {"Location": location}


@api.get("/pieces")
def list_pieces() -> Response:
    """The caller's own pieces and every public piece, oldest first; ``q`` keeps those
    whose title or text contains it (any case).
    ---
    summary: List pieces
    tags: [pieces]
    parameters:
      - limit
      - offset
      - {in: query, name: q, required: false, schema: {type: string, maxLength: 200}}
    responses:
      200:
        description: A page of pieces.
        content:
          application/json:
            schema: {$ref: '#/components/schemas/PiecePage'}
      400: {$ref: '#/components/responses/BadRequest'}
      401: {$ref: '#/components/responses/Unauthorized'}
    """
    viewer = current_learner()
    limit, offset = page_args()
    with container().uow() as uow:
        items, total = pieces.list_pieces(uow, viewer, limit, offset, search=request.args.get("q", ""))
    return jsonify(
        {"items": [_piece_json(p) for p in items], "total": total, "limit": limit, "offset": offset}
    )


@api.get("/pieces/<piece_id>")
def get_piece(piece_id: str) -> Response:
    """One piece: the caller's own, or a public one (any other is 404, as an unknown id).
    ---
    summary: Read a piece
    tags: [pieces]
    parameters:
      - {in: path, name: piece_id, required: true, schema: {type: string}}
    responses:
      200:
        description: The piece.
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Piece'}
      401: {$ref: '#/components/responses/Unauthorized'}
      404: {$ref: '#/components/responses/NotFound'}
    """
    viewer = current_learner()
    with container().uow() as uow:
        return jsonify(_piece_json(pieces.get_piece(uow, viewer, parse_uuid(piece_id, "piece"))))


@api.post("/pieces/<piece_id>/attempts")
def submit(piece_id: str) -> tuple[Response, int, dict[str, str]]:
    """Upload a recitation of the piece (or complete a direct upload); it is stored and queued.
    ---
    summary: Submit an attempt
    tags: [attempts]
    parameters:
      - {in: path, name: piece_id, required: true, schema: {type: string}}
      - {in: header, name: Idempotency-Key, required: false, schema: {type: string, maxLength: 200}}
    requestBody:
      required: true
      content:
        multipart/form-data:
          schema:
            type: object
            required: [recording]
            properties:
              recording: {type: string, format: binary}
        application/json:
          schema:
            type: object
            required: [upload_id]
            properties:
              upload_id: {type: string, description: 'from POST /pieces/{piece_id}/uploads'}
    responses:
      202:
        description: Stored and queued; poll Location.
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Submitted'}
      400: {$ref: '#/components/responses/BadRequest'}
      401: {$ref: '#/components/responses/Unauthorized'}
      403: {$ref: '#/components/responses/Forbidden'}
      404: {$ref: '#/components/responses/NotFound'}
      409: {$ref: '#/components/responses/Conflict'}
      413: {$ref: '#/components/responses/TooLarge'}
      415: {$ref: '#/components/responses/Unsupported'}
      422: {$ref: '#/components/responses/Unprocessable'}
      429: {$ref: '#/components/responses/TooMany'}
      503: {$ref: '#/components/responses/Unavailable'}
    """
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
        learner=learner.id,
        piece_id=parse_uuid(piece_id, "piece"),
        recording=recording.stream,
        idempotency_key=key,
    )
    deps = container()
    with deps.uow(autocommit=True) as uow:  # each write in submitting is one statement
        submitted = submit_attempt(
            uow,
            deps.storage,
            enqueuer(),
            submission,
            deps.settings.max_upload_bytes,
            deps.known_ids,
            max_queued=deps.settings.max_queued_attempts,
        )
    return _accepted(submitted)


def _accepted(submitted: Submitted) -> tuple[Response, int, dict[str, str]]:
    location = url_for("api.get_attempt", attempt_id=submitted.attempt_id)
    body = {"id": str(submitted.attempt_id), "status_url": location, "created": submitted.created}
    headers = {"Location": location, "Retry-After": POLL_AFTER_SECONDS}
    return jsonify(body), 202, headers


@api.get("/attempts/<attempt_id>")
def get_attempt(attempt_id: str) -> tuple[Response, int, dict[str, str]]:
    """One of the caller's attempts: status, stage, and once done the full result.
    ---
    summary: Read an attempt
    tags: [attempts]
    parameters:
      - {in: path, name: attempt_id, required: true, schema: {type: string}}
    responses:
      200:
        description: The attempt (Retry-After while it is not finished).
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Attempt'}
      401: {$ref: '#/components/responses/Unauthorized'}
      404: {$ref: '#/components/responses/NotFound'}
    """
    learner = current_learner()
    with container().uow() as uow:
        view = attempts.get_attempt(uow, learner, parse_uuid(attempt_id, "attempt"))
    headers = {} if view["status"] in ("done", "failed") else {"Retry-After": POLL_AFTER_SECONDS}
    return jsonify(view), 200, headers


@api.delete("/attempts/<attempt_id>")
def delete_attempt(attempt_id: str) -> Response:
    """Delete one of the caller's attempts: its recording, transcript and scores.
    ---
    summary: Delete an attempt
    tags: [attempts]
    parameters:
      - {in: path, name: attempt_id, required: true, schema: {type: string}}
    responses:
      204: {description: Deleted.}
      401: {$ref: '#/components/responses/Unauthorized'}
      403: {$ref: '#/components/responses/Forbidden'}
      404: {$ref: '#/components/responses/NotFound'}
      503: {$ref: '#/components/responses/Unavailable'}
    """
    learner = current_learner()
    deps = container()
    with deps.uow() as uow:
        erasure.delete_attempt(uow, deps.storage, learner, parse_uuid(attempt_id, "attempt"))
    return make_response("", 204)


@api.get("/attempts")
def list_attempts() -> Response:
    """The caller's attempts, newest first.
    ---
    summary: List attempts
    tags: [attempts]
    parameters:
      - limit
      - offset
      - in: query
        name: status
        required: false
        schema: {type: string, enum: [queued, processing, done, failed]}
    responses:
      200:
        description: A page of attempts.
        content:
          application/json:
            schema: {$ref: '#/components/schemas/AttemptPage'}
      400: {$ref: '#/components/responses/BadRequest'}
      401: {$ref: '#/components/responses/Unauthorized'}
    """
    learner = current_learner()
    limit, offset = page_args()
    status = request.args.get("status")
    if status not in (None, "queued", "processing", "done", "failed"):
        raise ServiceError(
            ErrorKind.INVALID, "invalid_status", "status is queued, processing, done or failed."
        )
    with container().uow() as uow:
        items, total = attempts.list_attempts(uow, learner, limit, offset, status)
    return jsonify({"items": items, "total": total, "limit": limit, "offset": offset})


def _piece_json(piece: pieces.PieceView) -> dict[str, Any]:
    return {
        "id": str(piece.id),
        "title": piece.title,
        "text": piece.text,
        "word_count": piece.word_count,
        "visibility": piece.visibility,
        "owned": piece.owned,
        "created_at": piece.created_at.isoformat(),
    }
