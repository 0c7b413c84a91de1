"""Submitting a recording: validate, store, record, then enqueue.

The attempt row commits before the task is sent; if sending fails the
sweeper re-sends it later, so the learner's recording is never lost.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from shared.audio.sniff import EXTENSION_BY_FORMAT, SNIFF_BYTES, sniff_format
from shared.audio.types import AudioError
from shared.db import models
from shared.db.uow import UnitOfWork
from shared.services.errors import ErrorKind, ServiceError
from shared.services.learners import get_or_create_learner
from shared.services.pieces import get_piece
from shared.services.upload import CheckedUpload
from shared.storage import Storage, StorageError
from shared.storage.port import Readable

log = logging.getLogger(__name__)

Enqueue = Callable[[uuid.UUID], None]


@dataclass(frozen=True)
class Submission:
    learner: str
    piece_id: uuid.UUID
    recording: Readable
    idempotency_key: str | None = None


@dataclass(frozen=True)
class Submitted:
    attempt_id: uuid.UUID
    created: bool  # False when an Idempotency-Key replayed an earlier upload


def submit_attempt(
    uow: UnitOfWork, storage: Storage, enqueue: Enqueue, submission: Submission, max_bytes: int
) -> Submitted:
    piece = get_piece(uow, submission.piece_id)
    learner = get_or_create_learner(uow, submission.learner)
    if submission.idempotency_key:
        earlier = _find_by_idempotency(uow, learner.id, submission.idempotency_key)
        if earlier is not None:
            return Submitted(earlier, created=False)
    head = submission.recording.read(SNIFF_BYTES)
    fmt = _sniff(head)
    attempt_id = uuid.uuid4()
    key = f"attempts/{learner.id}/{attempt_id}.{EXTENSION_BY_FORMAT[fmt]}"
    upload = CheckedUpload(head, submission.recording, max_bytes)
    _store(storage, key, upload, fmt)
    attempt = models.Attempt(
        id=attempt_id,
        learner_id=learner.id,
        piece_id=piece.id,
        idempotency_key=submission.idempotency_key,
        storage_key=key,
        sha256=upload.sha256,
        size_bytes=upload.size,
        format=fmt,
    )
    uow.session.add(attempt)
    try:
        uow.commit()
    except IntegrityError:
        # Two retries of one upload raced; the first row wins.
        uow.rollback()
        earlier = _find_by_idempotency(uow, learner.id, submission.idempotency_key or "")
        if earlier is None:
            raise
        return Submitted(earlier, created=False)
    send_after_commit(enqueue, attempt_id)
    return Submitted(attempt_id, created=True)


def send_after_commit(enqueue: Enqueue, attempt_id: uuid.UUID) -> None:
    try:
        enqueue(attempt_id)
    except Exception as exc:  # broker down: the row is safe, the sweeper re-sends
        log.warning("enqueue failed for attempt %s, sweeper will re-send: %s", attempt_id, exc)


def _find_by_idempotency(uow: UnitOfWork, learner_id: uuid.UUID, key: str) -> uuid.UUID | None:
    return uow.session.scalar(
        select(models.Attempt.id).where(
            models.Attempt.learner_id == learner_id, models.Attempt.idempotency_key == key
        )
    )


def _sniff(head: bytes) -> str:
    if not head:
        raise ServiceError(ErrorKind.INVALID, "empty_recording", "The recording is empty.")
    try:
        return sniff_format(head)
    except AudioError as exc:
        raise ServiceError(ErrorKind.UNSUPPORTED, exc.code, exc.message) from exc


def _store(storage: Storage, key: str, upload: CheckedUpload, fmt: str) -> None:
    try:
        storage.put(key, upload, content_type=f"audio/{fmt}")
    except StorageError as exc:
        raise ServiceError(
            ErrorKind.UNAVAILABLE,
            "storage_unavailable",
            "Recording storage is unavailable; try again.",
        ) from exc
