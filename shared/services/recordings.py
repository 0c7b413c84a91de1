"""Finding a stored recording to play back: for its learner only, or by a signed link."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from shared.db import models
from shared.db.uow import UnitOfWork
from shared.services.errors import ErrorKind, ServiceError
from shared.services.learners import find_learner


@dataclass(frozen=True)
class StoredRecording:
    attempt_id: uuid.UUID
    key: str
    format: str
    size_bytes: int


def owned_recording(uow: UnitOfWork, learner: str, attempt_id: uuid.UUID) -> StoredRecording:
    """This learner's recording; another learner's is reported exactly as an unknown id."""
    owner = find_learner(uow, learner)
    attempt = uow.session.get(models.Attempt, attempt_id)
    if attempt is None or owner is None or attempt.learner_id != owner.id:
        raise _not_found()
    return _stored(attempt)


def linked_recording(uow: UnitOfWork, attempt_id: uuid.UUID) -> StoredRecording:
    """The recording a verified link names (the link was issued after the ownership check)."""
    attempt = uow.session.get(models.Attempt, attempt_id)
    if attempt is None:
        raise _not_found()
    return _stored(attempt)


def _stored(attempt: models.Attempt) -> StoredRecording:
    return StoredRecording(attempt.id, attempt.storage_key, attempt.format, attempt.size_bytes)


def _not_found() -> ServiceError:
    return ServiceError(ErrorKind.NOT_FOUND, "attempt_not_found", "No attempt with that id.")
