"""Direct uploads to GCS: ask for a signed URL, PUT the file, then complete the attempt.

The ``upload_id`` is the grant itself, signed (itsdangerous, salted apart from
recording links), so the server keeps no state between the two calls and a
client cannot change what it promised.
"""

from __future__ import annotations

import uuid
from typing import Any

from flask import Blueprint, Response, jsonify, url_for
from itsdangerous import BadSignature, SignatureExpired

from shared.services import direct_uploads
from shared.services.errors import ErrorKind, ServiceError
from shared.services.submission import Submitted
from web.bodies import json_object
from web.deps import container, enqueuer
from web.identity import current_learner
from web.ids import parse_uuid
from web.params import text_version
from web.recording_links import serializer

uploads = Blueprint("uploads", __name__)

_SALT = "recital.direct-upload"
COMPLETE_WITHIN_SECONDS = 24 * 3600  # the URL expires much sooner; completion may lag


@uploads.post("/pieces/<piece_id>/uploads")
def start_upload(piece_id: str) -> tuple[Response, int]:
    """Ask for a URL to upload a large recording straight to storage.
    ---
    post:
      summary: A signed PUT URL for a direct upload (GCS storage only)
      parameters:
        - {in: path, name: piece_id, required: true, schema: {type: string, format: uuid}}
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [content_type, size_bytes, sha256]
              properties:
                content_type: {type: string, example: audio/wav}
                size_bytes: {type: integer, minimum: 1}
                sha256: {type: string, pattern: "^[0-9a-f]{64}$"}
                text_version:
                  type: integer
                  minimum: 1
                  description: "The piece's text_version the learner recited; completing is refused
                    (409 piece_text_changed) once the text has changed."
      responses:
        201:
          description: "PUT the file to url with exactly these headers within expires_in seconds, then POST
            {upload_id} to /pieces/{piece_id}/attempts."
        400:
          description: "invalid_json, invalid_sha256, invalid_text_version, empty_recording"
        404:
          description: "piece_not_found"
        409:
          description: "direct_upload_unavailable: this server stores recordings locally"
        413:
          description: "recording_too_large"
        415:
          description: "unsupported_media_type: content_type must be audio/<type>"
        422:
          description: "invalid_characters: a NUL or an unpaired surrogate in the body"
        429: {$ref: '#/components/responses/TooMany'}
    """
    learner = current_learner()  # who asks comes first: anonymous callers learn nothing else
    body = json_object("Send a JSON object with content_type, size_bytes and sha256.")
    content_type, size, sha256 = body.get("content_type"), body.get("size_bytes"), body.get("sha256")
    if not isinstance(content_type, str) or not isinstance(size, int) or not isinstance(sha256, str):
        raise ServiceError(
            ErrorKind.INVALID, "invalid_json", "content_type and sha256 are strings, size_bytes an integer."
        )
    deps = container()
    promise = direct_uploads.UploadGrant(
        uuid.uuid4(),
        str(learner.id),
        parse_uuid(piece_id, "piece"),
        "",
        content_type.lower(),
        size,
        sha256,
        text_version(body.get("text_version"), form=False),
    )
    seconds = deps.settings.direct_upload_seconds
    with deps.uow(autocommit=True) as uow:
        grant, signed = direct_uploads.grant_upload(
            uow,
            deps.storage,
            promise,
            deps.settings.max_upload_bytes,
            seconds,
            deps.known_ids,
            max_queued=deps.settings.max_queued_attempts,
        )
    answer = {
        "upload_id": serializer(_SALT).dumps(_grant_json(grant)),
        "url": signed.url,
        "method": "PUT",
        "headers": signed.headers,
        "expires_in": seconds,
        "complete_url": url_for("api.submit", piece_id=piece_id),
    }
    return jsonify(answer), 201


def complete_upload(piece_id: str) -> Submitted:
    """The second call (JSON ``{"upload_id": ...}`` to POST /pieces/{id}/attempts)."""
    learner = current_learner()  # who asks comes first, and a cookie's CSRF token (QA: after the body)
    body = json_object("Send a recording as multipart, or JSON with the upload_id of a direct upload.")
    if "upload_id" not in body:  # a body without it is the client's mistake, not an unknown upload
        raise ServiceError(
            ErrorKind.INVALID, "missing_field", "Send upload_id, from the direct upload's start."
        )
    grant = _verify(body.get("upload_id"))
    if grant.learner != str(learner.id) or grant.piece_id != parse_uuid(piece_id, "piece"):
        raise _unknown_upload()
    deps = container()
    with deps.uow(autocommit=True) as uow:
        return direct_uploads.complete_upload(
            uow, deps.storage, enqueuer(), grant, deps.known_ids, deps.settings.max_queued_attempts
        )


def _grant_json(grant: direct_uploads.UploadGrant) -> dict[str, Any]:
    return {
        "a": str(grant.attempt_id),
        "l": grant.learner,
        "p": str(grant.piece_id),
        "k": grant.key,
        "t": grant.content_type,
        "n": grant.size,
        "h": grant.sha256,
        "v": grant.text_version,
    }


def _verify(token: object) -> direct_uploads.UploadGrant:
    if not isinstance(token, str):
        raise _unknown_upload()
    try:
        data = serializer(_SALT).loads(token, max_age=COMPLETE_WITHIN_SECONDS)
    except SignatureExpired:
        raise ServiceError(
            ErrorKind.NOT_FOUND, "upload_expired", "This upload has expired; start again."
        ) from None
    except BadSignature:
        raise _unknown_upload() from None
    return direct_uploads.UploadGrant(
        uuid.UUID(data["a"]), data["l"], uuid.UUID(data["p"]), data["k"], data["t"], int(data["n"]),
        data["h"], data.get("v"),  # upload ids signed before text versions carry none
    )  # fmt: skip


def _unknown_upload() -> ServiceError:
    return ServiceError(ErrorKind.NOT_FOUND, "upload_not_found", "No upload with that id.")
