"""OpenAPI schema of the learner's data export (web/auth/export.py, docs/accounts.md)."""

from __future__ import annotations

from typing import Any

STAMP = {"type": "string"}
OPTIONAL_STAMP = {"type": "string", "nullable": True}
UUID = {"type": "string", "format": "uuid"}


def _object(properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "required": sorted(properties), "properties": properties}


_PIECE = _object(
    {
        "id": UUID,
        "title": {"type": "string"},
        "text": {"type": "string"},
        "visibility": {"type": "string", "enum": ["private", "public"]},
        "created_at": STAMP,
    }
)
_TOKEN = _object(
    {
        "name": {"type": "string"},
        "prefix": {"type": "string"},
        "created_at": STAMP,
        "last_used_at": OPTIONAL_STAMP,
    }
)
_ATTEMPT = {
    "allOf": [
        {"$ref": "#/components/schemas/Attempt"},
        {
            "type": "object",
            "required": ["piece_title"],
            "properties": {
                "piece_title": {
                    "type": "string",
                    "nullable": True,
                    "description": "null if the piece is gone, or another's made private since",
                }
            },
        },
    ]
}

SCHEMAS: dict[str, Any] = {
    "Export": _object(
        {
            "format": {"type": "string", "enum": ["recital-export/1"]},
            "exported_at": STAMP,
            "account": {"$ref": "#/components/schemas/User"},
            "api_tokens": {"type": "array", "items": _TOKEN},
            "pieces": {"type": "array", "items": _PIECE, "description": "the pieces the learner owns"},
            "recordings": {"type": "string", "description": "where the recordings are"},
            "attempts": {"type": "array", "items": _ATTEMPT, "description": "oldest first"},
        }
    )
}
