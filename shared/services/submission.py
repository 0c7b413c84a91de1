"""Submitting a recording: validate, store, record, then enqueue.

The attempt row commits before the task is sent; if sending fails the
sweeper re-sends it later, so the learner's recording is never lost.

Every write here is a single statement (the learner, then the attempt, each
committed on its own), so it runs correctly in a unit of work with or without
autocommit; the front door uses autocommit to save two round trips per upload.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import cast

from sqlalchemy import Table, insert, select
from sqlalchemy.exc import IntegrityError

from shared.audio.sniff import EXTENSION_BY_FORMAT, SNIFF_BYTES, sniff_format
from shared.audio.types import AudioError
from shared.db import models
from shared.db.uow import UnitOfWork
from shared.services.errors import ErrorKind, ServiceError
from shared.services.known_ids import KnownIds
from shared.services.learners import get_or_create_learner, validate_handle
from shared.services.staged_upload import StagedFile
from shared.services.upload import CheckedUpload
from shared.storage import Storage, StorageError
from shared.storage.port import Readable

log = logging.getLogger(__name__)

Enqueue = Callable[[uuid.UUID], None]

# One prepared INSERT on the session's connection rather than the ORM's unit
# of work: it runs on every upload, nothing needs the object afterwards, and
# building a new statement per upload cost a tenth of the request's CPU.
_INSERT_ATTEMPT = insert(cast(Table, models.Attempt.__table__))


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
    uow: UnitOfWork,
    storage: Storage,
    enqueue: Enqueue,
    submission: Submission,
    max_bytes: int,
    known: KnownIds | None = None,
) -> Submitted:
    known = known or KnownIds()
    piece_id, learner_id = _piece_and_learner(uow, submission, known)
    if submission.idempotency_key:
        earlier = _find_by_idempotency(uow, learner_id, submission.idempotency_key)
        if earlier is not None:
            return Submitted(earlier, created=False)
    attempt_id = uuid.uuid4()
    stored = _store_recording(storage, f"attempts/{learner_id}/{attempt_id}", submission.recording, max_bytes)
    row = {
        "id": attempt_id,
        "learner_id": learner_id,
        "piece_id": piece_id,
        "idempotency_key": submission.idempotency_key,
        "storage_key": stored.key,
        "sha256": stored.sha256,
        "size_bytes": stored.size,
        "format": stored.format,
    }
    try:
        uow.session.connection().execute(_INSERT_ATTEMPT, row)
        uow.commit()
    except IntegrityError:
        # Two retries of one upload raced; the first row wins.
        uow.rollback()
        earlier = _find_by_idempotency(uow, learner_id, submission.idempotency_key or "")
        if earlier is None:
            known.forget(piece_id, submission.learner)
            _piece_and_learner(uow, submission, known)  # a piece gone since: 404
            raise
        return Submitted(earlier, created=False)
    send_after_commit(enqueue, attempt_id)
    return Submitted(attempt_id, created=True)


def _piece_and_learner(
    uow: UnitOfWork, submission: Submission, known: KnownIds
) -> tuple[uuid.UUID, uuid.UUID]:
    """Both ids from memory, or in one round trip; a learner's first upload
    creates the learner."""
    handle = validate_handle(submission.learner)
    learner_id = known.learner_for(submission.piece_id, handle)
    if learner_id is not None:
        return submission.piece_id, learner_id
    found = uow.session.execute(
        select(models.Piece.id, models.Learner.id)
        .outerjoin(models.Learner, models.Learner.handle == handle)
        .where(models.Piece.id == submission.piece_id)
    ).one_or_none()
    if found is None:
        raise ServiceError(ErrorKind.NOT_FOUND, "piece_not_found", "No piece with that id.")
    piece_id, learner_id = found
    if learner_id is None:
        learner_id = get_or_create_learner(uow, handle).id
    known.remember(piece_id, handle, learner_id)
    return piece_id, learner_id


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


@dataclass(frozen=True)
class _Stored:
    key: str
    format: str
    sha256: str
    size: int


def _store_recording(storage: Storage, stem: str, recording: Readable, max_bytes: int) -> _Stored:
    """Sniff the format, then store under a server-made key (never the client's filename)."""
    if isinstance(recording, StagedFile):  # already hashed and counted as it arrived
        fmt = _sniff(recording.head)
        key = f"{stem}.{EXTENSION_BY_FORMAT[fmt]}"
        _guard_storage(lambda: storage.adopt(key, recording.hand_over(), f"audio/{fmt}"))
        return _Stored(key, fmt, recording.meter.sha256, recording.meter.size)
    head = recording.read(SNIFF_BYTES)
    fmt = _sniff(head)
    key = f"{stem}.{EXTENSION_BY_FORMAT[fmt]}"
    upload = CheckedUpload(head, recording, max_bytes)
    _guard_storage(lambda: storage.put(key, upload, f"audio/{fmt}"))
    return _Stored(key, fmt, upload.meter.sha256, upload.meter.size)


def _guard_storage(store: Callable[[], None]) -> None:
    try:
        store()
    except StorageError as exc:
        raise ServiceError(
            ErrorKind.UNAVAILABLE, "storage_unavailable", "Recording storage is unavailable; try again."
        ) from exc
