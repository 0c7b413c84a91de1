"""Shared parts of the OpenAPI document: schemas, error responses, parameters, auth schemes.

Routes refer to these by ``$ref`` in their docstrings (see web/openapi.py).
"""

from __future__ import annotations

from typing import Any

ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string", "description": "machine-readable, e.g. piece_not_found"},
                "message": {"type": "string", "description": "a sentence for people"},
            },
        }
    },
}
STAMP = {"type": "string", "format": "date-time"}
OPTIONAL_STAMP = {"type": "string", "nullable": True}
UUID = {"type": "string", "format": "uuid"}


def _page(item: str) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["items", "total", "limit", "offset"],
        "properties": {
            "items": {"type": "array", "items": {"$ref": f"#/components/schemas/{item}"}},
            "total": {"type": "integer", "minimum": 0},
            "limit": {"type": "integer"},
            "offset": {"type": "integer"},
        },
    }


SCHEMAS: dict[str, dict[str, Any]] = {
    "Error": ERROR,
    "Credentials": {
        "type": "object",
        "required": ["handle", "password"],
        "properties": {
            "handle": {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9._@-]{0,119}$"},
            "password": {"type": "string", "minLength": 8, "maxLength": 256},
        },
    },
    "User": {
        "type": "object",
        "required": ["id", "handle", "role", "created_at"],
        "properties": {
            "id": UUID,
            "handle": {"type": "string"},
            "role": {"type": "string", "enum": ["learner", "admin"]},
            "created_at": {"type": "string"},
        },
    },
    "SignedIn": {
        "type": "object",
        "required": ["user", "csrf_token"],
        "properties": {
            "user": {"$ref": "#/components/schemas/User"},
            "csrf_token": {
                "type": "string",
                "nullable": True,
                "description": "send as X-CSRF-Token on unsafe requests with the cookie; null with a token",
            },
        },
    },
    "Token": {
        "type": "object",
        "required": ["id", "name", "prefix", "created_at", "last_used_at"],
        "properties": {
            "id": UUID,
            "name": {"type": "string"},
            "prefix": {"type": "string"},
            "created_at": {"type": "string"},
            "last_used_at": OPTIONAL_STAMP,
        },
    },
    "NewToken": {
        "allOf": [
            {"$ref": "#/components/schemas/Token"},
            {
                "type": "object",
                "required": ["token"],
                "properties": {"token": {"type": "string", "pattern": "^rct_"}},
            },
        ]
    },
    "NewPiece": {
        "type": "object",
        "required": ["title", "text"],
        "additionalProperties": False,
        "properties": {
            "title": {"type": "string", "minLength": 1, "maxLength": 300},
            "text": {"type": "string", "minLength": 1, "maxLength": 200000},
            "visibility": {"type": "string", "enum": ["private", "public"], "default": "private"},
        },
    },
    "PieceChanges": {
        "type": "object",
        "minProperties": 1,
        "additionalProperties": False,
        "properties": {
            "title": {"type": "string", "minLength": 1, "maxLength": 300},
            "text": {"type": "string", "minLength": 1, "maxLength": 200000},
            "visibility": {"type": "string", "enum": ["private", "public"]},
        },
    },
    "Piece": {
        "type": "object",
        "required": [
            "id",
            "title",
            "text",
            "word_count",
            "text_version",
            "visibility",
            "owned",
            "created_at",
        ],
        "properties": {
            "id": UUID,
            "title": {"type": "string"},
            "text": {"type": "string"},
            "word_count": {"type": "integer", "minimum": 0},
            "text_version": {
                "type": "integer",
                "minimum": 1,
                "description": "one more at each change of the text; send it with an upload "
                "so a recording of an older text is refused (409 piece_text_changed)",
            },
            "visibility": {"type": "string", "enum": ["private", "public"]},
            "owned": {"type": "boolean", "description": "the caller owns it"},
            "created_at": {"type": "string"},
        },
    },
    "Submitted": {
        "type": "object",
        "required": ["id", "status_url", "created"],
        "properties": {
            "id": UUID,
            "status_url": {"type": "string"},
            "created": {"type": "boolean", "description": "false when an Idempotency-Key replayed"},
        },
    },
    "Attempt": {
        "type": "object",
        "required": ["id", "piece_id", "status", "stage", "format", "size_bytes", "sha256", "created_at"],
        "properties": {
            "id": UUID,
            "piece_id": UUID,
            "status": {"type": "string", "enum": ["queued", "processing", "done", "failed"]},
            "stage": {"type": "string"},
            "format": {"type": "string"},
            "size_bytes": {"type": "integer"},
            "sha256": {"type": "string"},
            "duration_seconds": {"type": "number", "nullable": True},
            "delivery_count": {"type": "integer"},
            "warnings": {"type": "array", "items": {}},
            "error": {
                "type": "object",
                "nullable": True,
                "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
            },
            "created_at": OPTIONAL_STAMP,
            "started_at": OPTIONAL_STAMP,
            "finished_at": OPTIONAL_STAMP,
            "result": {
                "type": "object",
                "nullable": True,
                "description": "the result contract (docs/scoring.md)",
            },
            "coaching_note": {
                "type": "string",
                "nullable": True,
                "description": "once done: a short, specific note on what to practise (docs/pages.md)",
            },
        },
    },
    "Readiness": {
        "type": "object",
        "required": ["status", "checks"],
        "properties": {
            "status": {"type": "string", "enum": ["ok", "unavailable"]},
            "checks": {"type": "object", "additionalProperties": {"type": "string"}},
        },
    },
    "PiecePage": _page("Piece"),
    "AttemptPage": _page("Attempt"),
    "UserPage": _page("User"),
}

_ERRORS = {
    "BadRequest": "The request is malformed (code says how).",
    "Unauthorized": "No valid credentials: sign in, or send a bearer token.",
    "Forbidden": (
        "Signed in, but not allowed (admin_only, not_owner), or the CSRF token is missing (csrf_failed)."
    ),
    "NotFound": "No such thing, or not yours: both look the same.",
    "Conflict": (
        "Clashes with what exists (handle_taken, too_many_tokens, idempotency_key_reused, "
        "piece_has_attempts, piece_in_use, piece_text_changed, last_admin)."
    ),
    "TooLarge": "The body is over the limit.",
    "Unsupported": "The recording's format is not one Recital reads.",
    "Unprocessable": "Well-formed but not acceptable (code says why).",
    "TooMany": "Rate limited (rate_limited) or too many attempts queued; wait Retry-After seconds.",
    "Internal": "A fault on the server's side.",
    "Unavailable": "The database or storage is unavailable; retry after Retry-After seconds.",
}
RETRY_AFTER = {"description": "seconds to wait", "schema": {"type": "integer"}}
RESPONSES: dict[str, dict[str, Any]] = {
    name: {
        "description": text,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        **({"headers": {"Retry-After": RETRY_AFTER}} if name in ("TooMany", "Unavailable") else {}),
    }
    for name, text in _ERRORS.items()
}
PARAMETERS: dict[str, dict[str, Any]] = {
    "limit": {
        "in": "query",
        "name": "limit",
        "required": False,
        "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20},
    },
    "offset": {
        "in": "query",
        "name": "offset",
        "required": False,
        "schema": {"type": "integer", "minimum": 0, "maximum": 9223372036854775807, "default": 0},
    },
}
SECURITY_SCHEMES: dict[str, dict[str, Any]] = {
    "token": {"type": "http", "scheme": "bearer", "description": "an API token, rct_…"},
    "session": {
        "type": "apiKey",
        "in": "cookie",
        "name": "recital_session",
        "description": "a browser session; unsafe methods also need the X-CSRF-Token header",
    },
}
