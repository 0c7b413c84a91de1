"""Playing a recording back: an ownership check issues a short-lived link; the link streams it."""

from __future__ import annotations

from collections.abc import Iterator

from flask import Blueprint, Response, jsonify, request, stream_with_context, url_for

from shared.services import recordings
from shared.services.errors import ErrorKind, ServiceError
from shared.storage import RecordingMissing, StorageError
from shared.storage.port import ReadableFile
from web import recording_links
from web.deps import container
from web.errors import error_response
from web.identity import current_learner
from web.ids import parse_uuid

playback = Blueprint("playback", __name__)

CHUNK = 256 * 1024


@playback.get("/attempts/<attempt_id>/recording")
def recording_link(attempt_id: str) -> tuple[Response, int, dict[str, str]]:
    """Issue a short-lived link to play back one of your recordings.
    ---
    get:
      summary: A short-lived link to the attempt's recording
      description: Issued only to the attempt's learner; another learner gets 404 as for an unknown id.
      parameters:
        - {in: path, name: attempt_id, required: true, schema: {type: string, format: uuid}}
      responses:
        200:
          description: The link (valid for expires_in seconds) and the recording's format and size.
        404:
          description: "attempt_not_found: no attempt of yours with that id."
    """
    with container().uow() as uow:
        stored = recordings.owned_recording(uow, current_learner(), parse_uuid(attempt_id, "attempt"))
    url = url_for("playback.play", token=recording_links.sign(stored.attempt_id))
    body = {
        "url": url,
        "expires_in": recording_links.LINK_SECONDS,
        "format": stored.format,
        "size_bytes": stored.size_bytes,
    }
    return jsonify(body), 200, {"Cache-Control": "no-store"}


@playback.get("/recordings/<token>")
def play(token: str) -> Response:
    """Stream the recording a link names.
    ---
    get:
      summary: The recording's bytes, through a link from GET /attempts/{attempt_id}/recording
      parameters:
        - {in: path, name: token, required: true, schema: {type: string}}
        - {in: header, name: Range, required: false, schema: {type: string, example: bytes=0-65535}}
      responses:
        200:
          description: The audio, as uploaded.
          content: {audio/*: {schema: {type: string, format: binary}}}
        206:
          description: "The bytes a single Range asked for (Content-Range says which)."
          content: {audio/*: {schema: {type: string, format: binary}}}
        403:
          description: "recording_link_expired or recording_link_invalid: ask for a new link."
        404:
          description: "attempt_not_found: the attempt is gone; recording_missing: its recording is."
        416:
          description: "The Range lies outside the recording (Content-Range: bytes */size)."
        503:
          description: "storage_unavailable: recording storage could not be read; try again."
    """
    attempt_id = recording_links.verify(token)
    deps = container()
    with deps.uow() as uow:
        stored = recordings.linked_recording(uow, attempt_id)
    size = stored.size_bytes
    span = _requested_span(size)
    if span is None:  # JSON like every other error, with the size a player needs to ask again
        response, status = error_response(
            416, "range_not_satisfiable", f"The range asked for lies outside the recording ({size} bytes)."
        )
        response.headers.update({"Content-Range": f"bytes */{size}", "Accept-Ranges": "bytes"})
        response.status_code = status
        return response
    try:
        stream = deps.storage.open_read(stored.key)
        stream.seek(span[0])
    except RecordingMissing as exc:  # half-deleted (docs/accounts.md): asking again will not help
        raise ServiceError(
            ErrorKind.NOT_FOUND, "recording_missing", "This recording is no longer stored."
        ) from exc
    except StorageError as exc:
        raise ServiceError(
            ErrorKind.UNAVAILABLE, "storage_unavailable", "Recording storage is unavailable; try again."
        ) from exc
    headers = {
        "Content-Length": str(span[1] - span[0]),
        "Accept-Ranges": "bytes",
        "Cache-Control": "private, no-store",
        "Content-Disposition": "inline",
    }
    partial = span != (0, size)
    if partial:
        headers["Content-Range"] = f"bytes {span[0]}-{span[1] - 1}/{size}"
    body = stream_with_context(chunks(stream, span[1] - span[0]))
    return Response(body, status=206 if partial else 200, mimetype=f"audio/{stored.format}", headers=headers)


def _requested_span(size: int) -> tuple[int, int] | None:
    """[start, stop) of the bytes asked for: all of them without a (single,
    parseable) Range header; None when the range lies outside the recording.
    Safari plays and seeks audio only through ranges."""
    asked = request.range
    if asked is None or asked.units != "bytes" or len(asked.ranges) != 1:
        return (0, size)
    start, stop = asked.ranges[0]
    if stop is None and -start > size:  # the last N bytes, N more than there are: all (RFC 9110 14.1.2)
        return (0, size)
    return asked.range_for_length(size)


def chunks(stream: ReadableFile, remaining: int) -> Iterator[bytes]:
    """``remaining`` bytes of a stored recording, a chunk at a time; closes the stream."""
    try:
        while remaining > 0 and (chunk := stream.read(min(CHUNK, remaining))):
            remaining -= len(chunk)
            yield chunk
    finally:
        stream.close()
