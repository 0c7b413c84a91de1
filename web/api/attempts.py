"""/api/v1 attempts: submit a recording, poll, list and delete attempts."""

from __future__ import annotations

import uuid

from flask import Response, jsonify, make_response, request, url_for

from shared.services import attempts, erasure, idempotency
from shared.services.errors import ErrorKind, ServiceError
from shared.services.submission import Submission, Submitted, submit_attempt
from web.api.blueprint import api
from web.deps import container, enqueuer
from web.direct_uploads import complete_upload
from web.identity import current_learner
from web.ids import parse_uuid
from web.params import page_args, text_version

POLL_AFTER_SECONDS = "2"


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
              text_version:
                type: integer
                minimum: 1
                description: "The piece's text_version the learner recited. When the text has
                  changed since, the upload is refused (409 piece_text_changed) and nothing is kept."
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
        text_version=text_version(request.form.get("text_version"), form=True),
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
    """The caller's attempts, newest first; ``status`` and ``piece_id`` keep only those.
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
      - {in: query, name: piece_id, required: false, schema: {type: string, format: uuid}}
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
    piece_id = _piece_filter(request.args.get("piece_id"))
    with container().uow() as uow:
        items, total = attempts.list_attempts(uow, learner, limit, offset, status, piece_id)
    return jsonify({"items": items, "total": total, "limit": limit, "offset": offset})


def _piece_filter(value: str | None) -> uuid.UUID | None:
    """A filter, not a path: a malformed id is the client's mistake (400), an unknown one lists nothing."""
    if value is None:
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        message = "piece_id is a piece's id (a UUID)."
        raise ServiceError(ErrorKind.INVALID, "invalid_piece_id", message) from None
