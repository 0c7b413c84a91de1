"""Large recordings straight to GCS: a signed PUT URL, then a checked completion.

``grant_upload`` fixes everything in advance (attempt id, server-made key,
content type, exact size, sha256) and returns a V4 URL bound to the type and
size. ``complete_upload`` reads the object back before anything is queued:
its size and sha256 must be what was declared and its first bytes a format
on the allow-list; otherwise the object is deleted and the client told why.
Completing twice returns the same attempt.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, replace

from shared.audio.sniff import SNIFF_BYTES, sniff_format
from shared.audio.types import AudioError
from shared.db.repositories.port import UnitOfWorkPort
from shared.db.repositories.records import Conflict, NewAttempt
from shared.services.errors import ErrorKind, ServiceError
from shared.services.known_ids import KnownIds
from shared.services.staged_upload import UploadMeter, too_large
from shared.services.submission import (
    Enqueue,
    Submitted,
    allowed_piece,
    check_text_version,
    discard_object,
    queue_full,
    recheck_piece,
    send_after_commit,
)
from shared.storage import RecordingMissing, Storage, StorageError
from shared.storage.port import DirectUploadUnavailable, SignedUpload

_CONTENT_TYPE = re.compile(r"audio/[a-z0-9.+-]{1,40}")
_SHA256 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class UploadGrant:
    """What the client promised; signed by the front door into the ``upload_id``."""

    attempt_id: uuid.UUID
    learner: str  # the user's id (signed into the upload_id with the rest)
    piece_id: uuid.UUID
    key: str
    content_type: str
    size: int
    sha256: str
    text_version: int | None = None  # the piece's text the learner recited; None: not said


def grant_upload(
    uow: UnitOfWorkPort,
    storage: Storage,
    grant: UploadGrant,
    max_bytes: int,
    seconds: int,
    known: KnownIds,
    max_queued: int | None = None,
) -> tuple[UploadGrant, SignedUpload]:
    """``max_queued``: a learner with this many attempts waiting is refused (429)
    before sending the file; completion enforces the cap again, in its insert."""
    _check_promise(grant, max_bytes)
    learner_id = uuid.UUID(grant.learner)
    allowed_piece(uow, learner_id, grant.piece_id, known)
    check_text_version(uow, grant.piece_id, grant.text_version)  # before the file is sent, not after
    if max_queued is not None and uow.attempts.count_open(learner_id, max_queued) >= max_queued:
        raise queue_full(max_queued)
    key = f"attempts/{learner_id}/{grant.attempt_id}.upload"
    try:
        return replace(grant, key=key), storage.sign_upload(key, grant.content_type, grant.size, seconds)
    except DirectUploadUnavailable:
        raise ServiceError(
            ErrorKind.CONFLICT,
            "direct_upload_unavailable",
            "This server stores recordings locally; upload the file to /attempts instead.",
        ) from None
    except StorageError as exc:
        raise _storage_unavailable() from exc


def _check_promise(grant: UploadGrant, max_bytes: int) -> None:
    if not _CONTENT_TYPE.fullmatch(grant.content_type):
        raise ServiceError(
            ErrorKind.UNSUPPORTED, "unsupported_media_type", "content_type must be audio/<type>."
        )
    if not _SHA256.fullmatch(grant.sha256):
        raise ServiceError(
            ErrorKind.INVALID, "invalid_sha256", "sha256 is the file's digest in 64 lowercase hex."
        )
    if grant.size < 1:
        raise ServiceError(ErrorKind.INVALID, "empty_recording", "The recording is empty.")
    if grant.size > max_bytes:
        raise too_large(max_bytes)


def complete_upload(
    uow: UnitOfWorkPort,
    storage: Storage,
    enqueue: Enqueue,
    grant: UploadGrant,
    known: KnownIds,
    max_queued: int | None = None,
) -> Submitted:
    """``max_queued``: the learner's cap on open attempts, as a multipart upload has it
    (it was not applied here, so direct uploads could fill the queue)."""
    learner_id = uuid.UUID(grant.learner)
    allowed_piece(uow, learner_id, grant.piece_id, known)
    if uow.attempts.get(grant.attempt_id) is not None:
        return Submitted(grant.attempt_id, created=False)  # completed before: replay
    fmt = _check_object(storage, grant)
    row = NewAttempt(grant.attempt_id, learner_id, grant.piece_id, grant.key, grant.sha256, grant.size, fmt,
                     text_version=grant.text_version)  # fmt: skip
    try:
        added = uow.attempts.add(row, max_open=max_queued)
        uow.commit()
    except Conflict:
        uow.rollback()  # a concurrent completion of the same upload won
        if uow.attempts.get(grant.attempt_id) is None:
            raise
        return Submitted(grant.attempt_id, created=False)
    if not added:  # the piece was made private, deleted or its text changed; or the queue is full
        try:
            recheck_piece(uow, learner_id, grant.piece_id, known, grant.text_version)
        except ServiceError:
            discard_object(storage, grant.key)  # refused for good: the uploaded object goes
            raise
        if max_queued is None:
            raise ServiceError(ErrorKind.NOT_FOUND, "piece_not_found", "No piece with that id.")
        # The object stays: the same upload_id completes once an attempt is scored.
        raise queue_full(max_queued)
    send_after_commit(enqueue, grant.attempt_id)
    return Submitted(grant.attempt_id, created=True)


def _check_object(storage: Storage, grant: UploadGrant) -> str:
    """The object's format, after its size, digest and first bytes are checked."""
    try:
        stream = storage.open_read(grant.key)
    except RecordingMissing:
        raise ServiceError(
            ErrorKind.CONFLICT, "upload_incomplete", "Nothing has been uploaded to the URL yet."
        ) from None
    except StorageError as exc:  # out of reach, not absent: the client must not upload again
        raise _storage_unavailable() from exc
    meter, head = UploadMeter(grant.size), b""
    try:
        while chunk := stream.read(1024 * 1024):
            head = head or chunk[:SNIFF_BYTES]
            meter.add(chunk)
    except ServiceError:  # more bytes than promised
        return _reject(storage, grant, "The uploaded file is larger than declared.")
    except StorageError as exc:  # dropped while read back: the object stays for a retry
        raise _storage_unavailable() from exc
    finally:
        stream.close()
    if meter.size != grant.size or meter.sha256 != grant.sha256:
        return _reject(storage, grant, "The uploaded file's size or sha256 is not what was declared.")
    try:
        return sniff_format(head)
    except AudioError as exc:
        storage.delete(grant.key)
        raise ServiceError(ErrorKind.UNSUPPORTED, exc.code, exc.message) from exc


def _reject(storage: Storage, grant: UploadGrant, message: str) -> str:
    storage.delete(grant.key)
    raise ServiceError(ErrorKind.UNPROCESSABLE, "upload_mismatch", message + " Upload it again.")


def _storage_unavailable() -> ServiceError:
    return ServiceError(
        ErrorKind.UNAVAILABLE, "storage_unavailable", "Recording storage is unavailable; try again."
    )
