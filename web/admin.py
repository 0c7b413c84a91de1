"""/api/v1/admin: what only admins may do (learners get 403, anonymous callers 401)."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, make_response

from shared.services import erasure, users
from web.auth import user_json
from web.deps import container
from web.identity import current_admin
from web.ids import parse_uuid
from web.params import page_args

admin = Blueprint("admin", __name__)


@admin.get("/users")
def list_users() -> Response:
    """Every user, oldest first.
    ---
    summary: List users (admin)
    tags: [admin]
    parameters:
      - limit
      - offset
    responses:
      200:
        description: A page of users.
        content:
          application/json:
            schema: {$ref: '#/components/schemas/UserPage'}
      400: {$ref: '#/components/responses/BadRequest'}
      401: {$ref: '#/components/responses/Unauthorized'}
      403: {$ref: '#/components/responses/Forbidden'}
    """
    current_admin()
    limit, offset = page_args()
    with container().uow() as uow:
        items, total = users.list_users(uow, limit, offset)
    return jsonify({"items": [user_json(u) for u in items], "total": total, "limit": limit, "offset": offset})


@admin.delete("/pieces/<piece_id>")
def remove_piece(piece_id: str) -> Response:
    """Remove a piece, shared or not, with every learner's attempts on it and their recordings.
    ---
    summary: Remove a piece and everyone's attempts on it (admin)
    description: >-
      For a shared text that must go (abusive, or not its owner's to share). The
      learners who practised it lose those attempts; nothing else of theirs changes.
    tags: [admin]
    parameters:
      - {in: path, name: piece_id, required: true, schema: {type: string}}
    responses:
      200:
        description: Removed; how many attempts went with it.
        content:
          application/json:
            schema:
              type: object
              required: [deleted_attempts]
              properties:
                deleted_attempts: {type: integer, minimum: 0}
      401: {$ref: '#/components/responses/Unauthorized'}
      403: {$ref: '#/components/responses/Forbidden'}
      404: {$ref: '#/components/responses/NotFound'}
      503: {$ref: '#/components/responses/Unavailable'}
    """
    current_admin()
    deps = container()
    with deps.uow() as uow:
        deleted = erasure.remove_piece(uow, deps.storage, parse_uuid(piece_id, "piece"))
    return jsonify({"deleted_attempts": deleted})


@admin.delete("/users/<user_id>")
def delete_user(user_id: str) -> Response:
    """Delete a user and all their data, as deleting their own account does.
    ---
    summary: Delete a user's data (admin)
    tags: [admin]
    parameters:
      - {in: path, name: user_id, required: true, schema: {type: string}}
    responses:
      204: {description: Deleted.}
      401: {$ref: '#/components/responses/Unauthorized'}
      403: {$ref: '#/components/responses/Forbidden'}
      404: {$ref: '#/components/responses/NotFound'}
      409: {$ref: '#/components/responses/Conflict'}
      503: {$ref: '#/components/responses/Unavailable'}
    """
    current_admin()
    deps = container()
    with deps.uow() as uow:
        erasure.delete_account(uow, deps.storage, parse_uuid(user_id, "user"))
    return make_response("", 204)
