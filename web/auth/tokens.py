"""/api/v1/auth/tokens: list, create and revoke the user's API tokens."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify, make_response

from shared.domain.clock import rfc3339
from shared.services import credentials
from web.auth.blueprint import auth
from web.bodies import json_object
from web.deps import container
from web.identity import current_learner, signed_in_with
from web.ids import parse_uuid
from web.params import string_field


@auth.get("/tokens")
def list_tokens() -> Response:
    """The user's live API tokens (never their secrets).
    ---
    summary: List API tokens
    tags: [auth]
    responses:
      200:
        description: Tokens, oldest first.
        content:
          application/json:
            schema:
              type: object
              required: [items]
              properties:
                items: {type: array, items: {$ref: '#/components/schemas/Token'}}
      401: {$ref: '#/components/responses/Unauthorized'}
    """
    with container().uow() as uow:
        tokens = credentials.list_tokens(uow, current_learner())
    return jsonify({"items": [_token_json(t) for t in tokens]})


@auth.post("/tokens")
def create_token() -> tuple[Response, int]:
    """Create a named API token. Its secret is in this response only.
    ---
    summary: Create an API token
    tags: [auth]
    requestBody:
      required: true
      content:
        application/json:
          schema:
            type: object
            required: [name]
            properties:
              name: {type: string, minLength: 1, maxLength: 100}
    responses:
      201:
        description: The token; ``token`` is shown this once.
        content:
          application/json:
            schema: {$ref: '#/components/schemas/NewToken'}
      400: {$ref: '#/components/responses/BadRequest'}
      401: {$ref: '#/components/responses/Unauthorized'}
      403: {$ref: '#/components/responses/Forbidden'}
      409: {$ref: '#/components/responses/Conflict'}
      422: {$ref: '#/components/responses/Unprocessable'}
    """
    user = current_learner()
    name = string_field(json_object("Send a JSON object with a name."), "name", "invalid_token_name")
    with container().uow() as uow:
        token, secret = credentials.create_token(uow, user, name, signed_in_with())
    return jsonify({**_token_json(token), "token": secret}), 201


@auth.delete("/tokens/<token_id>")
def revoke_token(token_id: str) -> Response:
    """Revoke one of the user's tokens; it stops working at once.
    ---
    summary: Revoke an API token
    tags: [auth]
    parameters:
      - {in: path, name: token_id, required: true, schema: {type: string}}
    responses:
      204: {description: Revoked.}
      401: {$ref: '#/components/responses/Unauthorized'}
      403: {$ref: '#/components/responses/Forbidden'}
      404: {$ref: '#/components/responses/NotFound'}
    """
    user = current_learner()
    with container().uow() as uow:
        credentials.revoke_token(uow, user, parse_uuid(token_id, "token"))
    return make_response("", 204)


def _token_json(token: credentials.TokenView) -> dict[str, Any]:
    last_used = rfc3339(token.last_used_at)
    return {
        "id": str(token.id),
        "name": token.name,
        "prefix": token.prefix,
        "created_at": rfc3339(token.created_at),
        "last_used_at": last_used,
    }
