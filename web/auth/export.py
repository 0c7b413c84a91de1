"""/api/v1/auth/me/export: the learner's own data as one JSON file, streamed; and
/api/v1/auth/me/export.zip: that file with every recording beside it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from itertools import chain
from typing import Any

from flask import Response, stream_with_context

from shared.domain.clock import utcnow
from shared.services import export
from shared.services.users import UserView
from shared.storage import RecordingMissing
from web.auth.blueprint import auth
from web.deps import container
from web.identity import current_learner
from web.recordings import chunks
from web.zip_stream import Member, zip_stream


@auth.get("/me/export")
def export_me() -> Response:
    """Everything Recital keeps about the caller, as a JSON file to download: the account,
    the pieces they own, their API tokens' names and every attempt with its result and
    coaching note, oldest first. Recordings play from each attempt's recording link.
    ---
    summary: Download my data
    tags: [auth]
    responses:
      200:
        description: >-
          A JSON document (format recital-export/1), sent as an attachment while it is
          read: a connection that ends early leaves it incomplete, which a JSON parser
          reports.
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Export'}
      401: {$ref: '#/components/responses/Unauthorized'}
      429: {$ref: '#/components/responses/TooMany'}
      503: {$ref: '#/components/responses/Unavailable'}
    """
    learner = current_learner()
    with container().uow() as uow:  # read before the first byte: a database down is a 503
        head = export.export_head(uow, learner)
    return Response(
        stream_with_context(_document(head, learner)),
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="{_filename(learner, "json")}"'},
    )


@auth.get("/me/export.zip")
def export_archive() -> Response:
    """The same JSON file as /me/export, with every recording of the caller's beside it
    in recordings/, as one zip archive.
    ---
    summary: Download my data with my recordings
    tags: [auth]
    responses:
      200:
        description: >-
          A zip archive (recital-export.json and recordings/), sent as it is read: a
          connection that ends early leaves it without its directory, which unzip reports.
          A recording deleted meanwhile is left out.
        content:
          application/zip:
            schema: {type: string, format: binary}
      401: {$ref: '#/components/responses/Unauthorized'}
      429: {$ref: '#/components/responses/TooMany'}
      503: {$ref: '#/components/responses/Unavailable'}
    """
    learner = current_learner()
    with container().uow() as uow:
        head = export.export_head(uow, learner, with_recordings=True)
    members = chain([Member("recital-export.json", _document(head, learner), utcnow())], _recordings(head))
    return Response(
        stream_with_context(zip_stream(members)),
        mimetype="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{_filename(learner, "zip")}"'},
    )


def _recordings(head: export.ExportHead) -> Iterator[Member]:
    """Each recording still stored, opened before its member starts (a missing one has none)."""
    storage = container().storage
    for recording in head.recordings:
        try:
            stream = storage.open_read(recording.key)
        except RecordingMissing:  # its attempt was deleted while the archive was sent
            continue
        yield Member(recording.name, chunks(stream, recording.size_bytes), utcnow(), compress=False)


def _filename(learner: UserView, extension: str) -> str:
    return f"recital-{learner.handle}-{utcnow():%Y-%m-%d}.{extension}"  # handles are a-z, 0-9, ._@-


def _document(head: export.ExportHead, learner: UserView) -> Iterator[bytes]:
    """The head's object with an "attempts" array after its last member, a batch at a time."""
    yield _encoded(head.header)[:-1] + b', "attempts": ['
    separator = b""
    for batch in export.batches(head.attempt_ids):
        with container().uow() as uow:
            entries = export.attempt_entries(uow, learner, batch)
        for entry in entries:
            yield separator + _encoded(entry)
            separator = b","
    yield b"]}"


def _encoded(value: dict[str, Any]) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()
