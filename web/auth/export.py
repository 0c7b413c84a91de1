"""/api/v1/auth/me/export: the learner's own data as one JSON file, streamed."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from flask import Response, stream_with_context

from shared.domain.clock import utcnow
from shared.services import export
from shared.services.users import UserView
from web.auth.blueprint import auth
from web.deps import container
from web.identity import current_learner


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
    filename = f"recital-{learner.handle}-{utcnow():%Y-%m-%d}.json"  # handles are a-z, 0-9, ._@-
    return Response(
        stream_with_context(_document(head, learner)),
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


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
