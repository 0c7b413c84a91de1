"""Idempotency keys: a client's retry replays its first upload, and nothing else does.

The key is checked before anything is read or stored (a bad key is the
client's mistake: 400, not a failed insert and an orphaned object). A key
seen before replays the earlier attempt only for the same piece and the same
recording (sha256); anything else is a 409, so a reused key never silently
hands back somebody's earlier, different attempt.
"""

from __future__ import annotations

import re
import uuid

from shared.db.repositories.port import UnitOfWorkPort
from shared.db.repositories.records import KeyedAttempt
from shared.services.errors import ErrorKind, ServiceError

MAX_KEY_CHARS = 200  # the column's width (models.Attempt.idempotency_key)
_KEY = re.compile(rf"[\x21-\x7e]{{1,{MAX_KEY_CHARS}}}")  # visible ASCII: a UUID fits


Earlier = KeyedAttempt


def validate_key(key: str | None) -> str | None:
    """The key as given (None when absent), or a 400 ``idempotency_key_invalid``."""
    if key is None or key == "":
        return None
    if not _KEY.fullmatch(key):
        raise ServiceError(
            ErrorKind.INVALID,
            "idempotency_key_invalid",
            f"Idempotency-Key must be 1-{MAX_KEY_CHARS} visible ASCII characters (a UUID is ideal).",
        )
    return key


def find_earlier(uow: UnitOfWorkPort, learner_id: uuid.UUID, key: str) -> Earlier | None:
    return uow.attempts.keyed(learner_id, key)


def replay(earlier: Earlier, piece_id: uuid.UUID, sha256: str) -> uuid.UUID:
    """The earlier attempt when this request repeats it; 409 when the key is reused."""
    if earlier.piece_id != piece_id or earlier.sha256 != sha256:
        raise ServiceError(
            ErrorKind.CONFLICT,
            "idempotency_key_reused",
            "This Idempotency-Key was used for a different recording or piece; use a new key.",
        )
    return earlier.attempt_id
