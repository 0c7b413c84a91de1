"""/api/v1/pieces: create, list, read, change and delete pieces."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify, make_response, request, url_for

from shared.domain.clock import rfc3339
from shared.services import erasure, pieces
from shared.services.errors import ErrorKind, ServiceError
from web.api.blueprint import api
from web.bodies import json_object
from web.deps import container
from web.identity import current_learner
from web.ids import parse_uuid
from web.params import page_args

PIECE_FIELDS = ("title", "text", "visibility")


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
    unknown = sorted(set(body) - set(PIECE_FIELDS))
    if unknown:  # a misspelt "visiblity": "public" must not make a private piece unnoticed
        message = f"{', '.join(unknown)}: not a field of a piece. Send title, text and visibility."
        raise ServiceError(ErrorKind.UNPROCESSABLE, "invalid_piece", message)
    fields = _piece_fields(body, ("title", "text"))
    title, text = str(fields["title"]), str(fields["text"])
    visibility = "private" if fields["visibility"] is None else fields["visibility"]
    with container().uow() as uow:
        piece = pieces.create_piece(uow, owner, title, text, visibility)
    location = url_for("api.get_piece", piece_id=piece.id)
    return jsonify(_piece_json(piece)), 201, {"Location": location}


@api.get("/pieces")
def list_pieces() -> Response:
    """The caller's own pieces, then every other public piece, each newest first; ``q`` keeps those
    whose title or text contains it (case, accents, curly quotes and hyphens aside).
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


@api.patch("/pieces/<piece_id>")
def change_piece(piece_id: str) -> Response:
    """Change your piece: any of title, visibility, and the text while nobody has recited it.
    ---
    summary: Change a piece
    tags: [pieces]
    parameters:
      - {in: path, name: piece_id, required: true, schema: {type: string}}
    requestBody:
      required: true
      content:
        application/json:
          schema: {$ref: '#/components/schemas/PieceChanges'}
    responses:
      200:
        description: The piece as changed.
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Piece'}
      400: {$ref: '#/components/responses/BadRequest'}
      401: {$ref: '#/components/responses/Unauthorized'}
      403: {$ref: '#/components/responses/Forbidden'}
      404: {$ref: '#/components/responses/NotFound'}
      409: {$ref: '#/components/responses/Conflict'}
      422: {$ref: '#/components/responses/Unprocessable'}
    """
    owner = current_learner()
    body = json_object("Send a JSON object with any of title, text and visibility.")
    unknown = sorted(set(body) - set(PIECE_FIELDS))
    if unknown or not body:  # a misspelt "visiblity" must not leave a piece public unnoticed
        named = f"{', '.join(unknown)}: not a field of a piece. " if unknown else ""
        message = f"{named}Send any of title, text and visibility."
        raise ServiceError(ErrorKind.UNPROCESSABLE, "invalid_piece_change", message)
    fields = _piece_fields(body)
    with container().uow() as uow:
        piece = pieces.change_piece(uow, owner, parse_uuid(piece_id, "piece"), **fields)
    return jsonify(_piece_json(piece))


@api.delete("/pieces/<piece_id>")
def delete_piece(piece_id: str) -> Response:
    """Delete your piece and your attempts on it (recordings, transcripts, scores); refused
    while another learner has attempts on it.
    ---
    summary: Delete a piece
    tags: [pieces]
    parameters:
      - {in: path, name: piece_id, required: true, schema: {type: string}}
    responses:
      204: {description: Deleted.}
      401: {$ref: '#/components/responses/Unauthorized'}
      403: {$ref: '#/components/responses/Forbidden'}
      404: {$ref: '#/components/responses/NotFound'}
      409: {$ref: '#/components/responses/Conflict'}
      503: {$ref: '#/components/responses/Unavailable'}
    """
    owner = current_learner()
    deps = container()
    with deps.uow() as uow:
        erasure.delete_piece(uow, deps.storage, owner, parse_uuid(piece_id, "piece"))
    return make_response("", 204)


def _piece_fields(body: dict[str, Any], required: tuple[str, ...] = ()) -> dict[str, str | None]:
    """title, text and visibility as sent (None when absent); anything but a string is
    refused, null included (``{"title": null}`` changes nothing, so it must say so)."""
    missing = [name for name in required if name not in body]
    if missing:  # as every other route answers a field not sent (QA)
        raise ServiceError(ErrorKind.INVALID, "missing_field", f"Send {' and '.join(missing)}.")
    fields = {name: body.get(name) for name in PIECE_FIELDS}
    wrong = any(name in body and not isinstance(body[name], str) for name in PIECE_FIELDS)
    if wrong:
        raise ServiceError(
            ErrorKind.UNPROCESSABLE, "invalid_piece", "title, text and visibility must be strings."
        )
    return fields


def _piece_json(piece: pieces.PieceView) -> dict[str, Any]:
    return {
        "id": str(piece.id),
        "title": piece.title,
        "text": piece.text,
        "word_count": piece.word_count,
        "text_version": piece.text_version,
        "visibility": piece.visibility,
        "owned": piece.owned,
        "created_at": rfc3339(piece.created_at),
    }
