"""Finding a stored recording to play back: for its learner only, or by a signed link."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from shared.db.repositories.port import AttemptRecord, UnitOfWorkPort
from shared.services.attempts import owned_attempt
from shared.services.errors import ErrorKind, ServiceError
from shared.services.users import UserView


@dataclass(frozen=True)
class StoredRecording:
    attempt_id: uuid.UUID
    key: str
    format: str
    size_bytes: int


def owned_recording(uow: UnitOfWorkPort, learner: UserView, attempt_id: uuid.UUID) -> StoredRecording:
    """This learner's recording; another learner's is reported exactly as an unknown id."""
    return _stored(owned_attempt(uow, learner, attempt_id))


def linked_recording(uow: UnitOfWorkPort, attempt_id: uuid.UUID) -> StoredRecording:
    """The recording a verified link names (the link was issued after the ownership check)."""
    attempt = uow.attempts.get(attempt_id)
    if attempt is None:
        raise _not_found()
    return _stored(attempt)


def _stored(attempt: AttemptRecord) -> StoredRecording:
    return StoredRecording(attempt.id, attempt.storage_key, attempt.format, attempt.size_bytes)


def _not_found() -> ServiceError:
    return ServiceError(ErrorKind.NOT_FOUND, "attempt_not_found", "No attempt with that id.")
