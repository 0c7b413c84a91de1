"""OpenAPI schemas of the admin re-scoring routes (web/admin_rescores.py, docs/rescoring.md)."""

from __future__ import annotations

from typing import Any

UUID = {"type": "string", "format": "uuid"}
NULLABLE_TEXT = {"type": "string", "nullable": True}
COUNT = {"type": "integer", "minimum": 0}


def _list_of(properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "array",
        "items": {"type": "object", "required": sorted(properties), "properties": properties},
    }


_FILTER = {
    "type": "object",
    "required": ["piece_id", "learner_id", "since", "until", "status"],
    "properties": {
        "piece_id": NULLABLE_TEXT,
        "learner_id": NULLABLE_TEXT,
        "since": NULLABLE_TEXT,
        "until": NULLABLE_TEXT,
        "status": {"type": "string"},
    },
}
_RUN_PROPERTIES: dict[str, Any] = {
    "id": UUID,
    "scoring_version": {"type": "string"},
    "mode": {"type": "string", "enum": ["rescore", "retranscribe"]},
    "filter": _FILTER,
    "state": {"type": "string", "enum": ["running", "cancelled", "finished", "paused"]},
    "total": {"type": "integer", "nullable": True, "description": "null until every batch is sent"},
    "done": COUNT,
    "failed": COUNT,
    "skipped": COUNT,
    "started_by": {"type": "string"},
    "started_at": {"type": "string"},
    "finished_at": NULLABLE_TEXT,
    "spent_audio_seconds": {"type": "number", "description": "re-transcription: audio sent to the engine"},
    "cap_audio_seconds": {"type": "number", "nullable": True, "description": "re-transcription's budget"},
}
_PAIR = {"from": {"type": "string"}, "to": {"type": "string"}, "count": COUNT}
_ACCURACY = {"type": "number"}
REPORT = {
    "type": "object",
    "description": "What the new scoring changed (docs/rescoring.md).",
    "required": [
        "attempts",
        "mean_accuracy_change",
        "histogram",
        "bands",
        "band_moves",
        "moved",
        "largest_changes",
        "word_transitions",
    ],  # fmt: skip
    "properties": {
        "attempts": COUNT,
        "mean_accuracy_change": {"type": "number", "description": "points of accuracy, new − old"},
        "histogram": _list_of({"bucket": {"type": "string"}, "count": COUNT}),
        "bands": _list_of({"name": {"type": "string"}, "min_accuracy": {"type": "number"}}),
        "band_moves": _list_of(_PAIR),
        "moved": _list_of(
            {
                "attempt_id": {"type": "string"},
                "from": {"type": "string"},
                "to": {"type": "string"},
                "old_accuracy": _ACCURACY,
                "new_accuracy": _ACCURACY,
            }
        ),  # fmt: skip
        "largest_changes": _list_of(
            {
                "attempt_id": {"type": "string"},
                "old_accuracy": _ACCURACY,
                "new_accuracy": _ACCURACY,
                "change": _ACCURACY,
                "page": {"type": "string"},
                "api": {"type": "string"},
            }
        ),  # fmt: skip
        "word_transitions": _list_of(_PAIR),
    },
}
_FAILURES = {
    "type": "array",
    "nullable": True,
    "items": {
        "type": "object",
        "required": ["attempt_id", "reason"],
        "properties": {"attempt_id": {"type": "string"}, "reason": {"type": "string"}},
    },
}

SCHEMAS: dict[str, dict[str, Any]] = {
    "NewRescore": {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "piece_id": {"type": "string", "format": "uuid"},
            "learner": {"type": "string", "minLength": 1, "maxLength": 120, "description": "id or handle"},
            "since": {"type": "string", "format": "date-time"},
            "until": {"type": "string", "format": "date-time"},
            "status": {"type": "string", "enum": ["done"]},
            "dry_run": {"type": "boolean"},
            "sample": {"type": "integer", "minimum": 1, "maximum": 5000},
            "seed": {"type": "integer", "minimum": 1, "maximum": 2**31},
            "batch_size": {"type": "integer", "minimum": 1, "maximum": 5000},
        },
    },
    "RescoreRun": {"type": "object", "required": sorted(_RUN_PROPERTIES), "properties": _RUN_PROPERTIES},
    "RescoreRunReport": {
        "type": "object",
        "required": [*sorted(_RUN_PROPERTIES), "report", "failures"],
        "properties": {**_RUN_PROPERTIES, "report": {**REPORT, "nullable": True}, "failures": _FAILURES},
    },
    "RescoreRunPage": {
        "type": "object",
        "required": ["items", "total", "limit", "offset"],
        "properties": {
            "items": {"type": "array", "items": {"$ref": "#/components/schemas/RescoreRun"}},
            "total": COUNT,
            "limit": {"type": "integer"},
            "offset": {"type": "integer"},
        },
    },
    "RescoreDryRun": {
        "type": "object",
        "required": ["dry_run", "matching", "sampled", "failures", "report"],
        "properties": {
            "dry_run": {"type": "boolean"},
            "matching": COUNT,
            "sampled": COUNT,
            "failures": _FAILURES,
            "report": REPORT,
        },
    },
}
