"""The stored result: JSON bytes built in one pass, kept as ``bytea`` on Postgres.

``ScoredAttempt.to_dict()`` is the contract; this is the same document
written straight to JSON by orjson, without the intermediate dicts of
``dataclasses.asdict`` and without the driver's ``json.dumps``: building and
serialising the result dominated batch re-scoring. orjson writes the slotted
dataclasses and the ``WordStatus`` enum itself; only the words (named tuples,
which it would write as arrays) become dicts. The tests hold it equal to
``to_dict()`` for every golden result.

On Postgres ``scores.result`` holds those bytes as they are (``bytea``, lz4
compressed; migration 0009; the column type is ``shared.db.json_bytes``).
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any

import orjson

from shared.domain.result import ScoredAttempt, WordResult

_FIELDS = tuple(field.name for field in fields(ScoredAttempt))
# The word's keys are spelled out below (a dict display is twice as fast as dict(zip())):
# a field added to WordResult must be added there too.
_WORD_FIELDS = ("expected", "spoken", "status", "start", "end", "index", "prompted")
if WordResult._fields != _WORD_FIELDS:  # pragma: no cover - a guard for the next field
    raise ImportError(f"result_json writes {_WORD_FIELDS}, WordResult has {WordResult._fields}")


def result_json(result: ScoredAttempt) -> bytes:
    """``result.to_dict()`` as JSON (UTF-8 bytes, keys in the contract's order)."""
    return orjson.dumps(_document(result))


def _document(result: ScoredAttempt) -> dict[str, Any]:
    document = {name: getattr(result, name) for name in _FIELDS}  # asdict's key order
    document["words"] = [
        {"expected": e, "spoken": s, "status": st, "start": a, "end": b, "index": i, "prompted": p}
        for e, s, st, a, b, i, p in result.words
    ]
    return document
