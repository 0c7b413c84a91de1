"""Submitting a recording: validate, store, record, then enqueue.

The attempt row commits before the task is sent; if sending fails the
sweeper re-sends it later, so the learner's recording is never lost.
"""

from __future__ import annotations

import hashlib
import logging
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from shared.audio.sniff import EXTENSION_BY_FORMAT, sniff_format
from shared.audio.types import AudioError
from shared.db import models
from shared.db.uow import UnitOfWork
from shared.services.errors import ErrorKind, ServiceError
from shared.services.learners import get_or_create_learner
from shared.services.pieces import get_piece
from shared.storage import Storage, StorageError

log = logging.getLogger(__name__)

Enqueue = Callable[[uuid.UUID], None]
CHUNK = 1024 * 1024
SNIFF_BYTES = 64


@dataclass(frozen=True)
class Submission:
    learner: str
    piece_id: uuid.UUID
    recording: BinaryIO
    idempotency_key: str | None = None


@dataclass(frozen=True)
class Submitted:
    attempt_id: uuid.UUID
    created: bool  # False when an Idempotency-Key replayed an earlier upload


@dataclass(frozen=True)
class _Spooled:
    file: BinaryIO
    sha256: str
    size: int
    format: str


def submit_attempt(
    uow: UnitOfWork, storage: Storage, enqueue: Enqueue, submission: Submission, max_bytes: int
) -> Submitted:
    piece = get_piece(uow, submission.piece_id)
    learner = get_or_create_learner(uow, submission.learner)
    if submission.idempotency_key:
        earlier = _find_by_idempotency(uow, learner.id, submission.idempotency_key)
        if earlier is not None:
            return Submitted(earlier, created=False)
    spooled = _spool(submission.recording, max_bytes)
    attempt_id = uuid.uuid4()
    key = f"attempts/{learner.id}/{attempt_id}.{EXTENSION_BY_FORMAT[spooled.format]}"
    with spooled.file:
        _store(storage, key, spooled)
    attempt = models.Attempt(
        id=attempt_id,
        learner_id=learner.id,
        piece_id=piece.id,
        idempotency_key=submission.idempotency_key,
        storage_key=key,
        sha256=spooled.sha256,
        size_bytes=spooled.size,
        format=spooled.format,
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


def _spool(recording: BinaryIO, max_bytes: int) -> _Spooled:
    """Copy the upload to a temporary file, hashing and checking it on the way."""
    digest, size = hashlib.sha256(), 0
    spool = tempfile.SpooledTemporaryFile(max_size=8 * CHUNK)  # noqa: SIM115 - closed by caller
    while chunk := recording.read(CHUNK):
        size += len(chunk)
        if size > max_bytes:
            spool.close()
            raise ServiceError(
                ErrorKind.TOO_LARGE,
                "recording_too_large",
                f"Recordings are limited to {max_bytes // (1024 * 1024)} MB.",
            )
        digest.update(chunk)
        spool.write(chunk)
    spool.seek(0)
    head = spool.read(SNIFF_BYTES)
    spool.seek(0)
    if size == 0:
        spool.close()
        raise ServiceError(ErrorKind.INVALID, "empty_recording", "The recording is empty.")
    try:
        fmt = sniff_format(head)
    except AudioError as exc:
        spool.close()
        raise ServiceError(ErrorKind.UNSUPPORTED, exc.code, exc.message) from exc
    return _Spooled(spool, digest.hexdigest(), size, fmt)  # type: ignore[arg-type]


def _store(storage: Storage, key: str, spooled: _Spooled) -> None:
    try:
        storage.put(key, spooled.file, content_type=f"audio/{spooled.format}")
    except StorageError as exc:
        raise ServiceError(
            ErrorKind.UNAVAILABLE, "storage_unavailable", "Recording storage is unavailable; try again."
        ) from exc
