"""The stored result: JSON bytes built in one pass, kept as ``bytea`` on Postgres.

``ScoredAttempt.to_dict()`` is the contract; this is the same document
written straight to JSON by orjson, without the intermediate dicts of
``dataclasses.asdict`` and without the driver's ``json.dumps``: building and
serialising the result dominated batch re-scoring. The dataclasses become
dicts here, by their field names: orjson's own dataclass support reads
``__slots__`` or ``__dict__``, and the mypyc build of ``shared.domain`` the
worker image runs has neither (orjson 3.13 crashed the process on it). The
words (named tuples, which orjson would write as arrays) become dicts too,
by ``word_dicts``, which ``to_dict()`` uses as well. The tests hold it equal to
``to_dict()`` for every golden result, compiled and not.

On Postgres ``scores.result`` holds those bytes as they are (``bytea``, lz4
compressed; migration 0009; the column type is ``shared.db.json_bytes``).
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any

import orjson

from shared.domain.result import Hesitation, ScoredAttempt, Scores, SectionScore, word_dicts

_FIELDS = tuple(field.name for field in fields(ScoredAttempt))
_SCORES = tuple(field.name for field in fields(Scores))
_HESITATION = tuple(field.name for field in fields(Hesitation))
_SECTION = tuple(field.name for field in fields(SectionScore))


def result_json(result: ScoredAttempt) -> bytes:
    """``result.to_dict()`` as JSON (UTF-8 bytes, keys in the contract's order)."""
    return orjson.dumps(_document(result))


def _document(result: ScoredAttempt) -> dict[str, Any]:
    document = {name: getattr(result, name) for name in _FIELDS}  # asdict's key order
    document["scores"] = _plain(result.scores, _SCORES)
    document["hesitations"] = [_plain(h, _HESITATION) for h in result.hesitations]
    document["sections"] = [_plain(s, _SECTION) for s in result.sections]
    document["words"] = word_dicts(result.words)  # compiled with the domain in the worker image
    return document


def _plain(instance: object, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(instance, name) for name in names}
