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

from shared.audio.sniff import EXTENSION_BY_FORMAT, SNIFF_BYTES, sniff_format
from shared.audio.types import AudioError
from shared.db.repositories.port import UnitOfWorkPort
from shared.db.repositories.records import Conflict, NewAttempt
from shared.services import idempotency
from shared.services.errors import ErrorKind, ServiceError, signed_out
from shared.services.known_ids import KnownIds
from shared.services.staged_upload import StagedFile, UploadMeter
from shared.services.upload import CheckedUpload
from shared.storage import Storage, StorageError
from shared.storage.port import Readable

log = logging.getLogger(__name__)

Enqueue = Callable[[uuid.UUID], None]
TEXT_CHANGED = (
    "The piece's text was changed after you opened it, so this recording was not kept."
    " Open the piece again to see its text, then record it again."
)


@dataclass(frozen=True)
class Submission:
    learner: uuid.UUID  # the signed-in user's id, never a client-sent value
    piece_id: uuid.UUID
    recording: Readable
    idempotency_key: str | None = None
    text_version: int | None = None  # the piece's text the learner saw; None: not said


@dataclass(frozen=True)
class Submitted:
    attempt_id: uuid.UUID
    created: bool  # False when an Idempotency-Key replayed an earlier upload


def submit_attempt(
    uow: UnitOfWorkPort,
    storage: Storage,
    enqueue: Enqueue,
    submission: Submission,
    max_bytes: int,
    known: KnownIds | None = None,
    max_queued: int | None = None,
) -> Submitted:
    """``max_queued``: refuse (429) a learner who already has this many attempts
    waiting or being scored; nothing of the refused upload is kept."""
    known = known or KnownIds()
    key = idempotency.validate_key(submission.idempotency_key)  # before anything is stored
    learner_id = submission.learner
    piece_id = allowed_piece(uow, learner_id, submission.piece_id, known)
    earlier = idempotency.find_earlier(uow, learner_id, key) if key else None
    if earlier is not None:
        sha256 = _digest(submission.recording, max_bytes)
        return Submitted(idempotency.replay(earlier, piece_id, sha256), created=False)
    attempt_id = uuid.uuid4()
    stored = _store_recording(storage, f"attempts/{learner_id}/{attempt_id}", submission.recording, max_bytes)
    row = NewAttempt(
        attempt_id, learner_id, piece_id, stored.key, stored.sha256, stored.size, stored.format, key,
        submission.text_version,
    )  # fmt: skip
    try:
        added = uow.attempts.add(row, max_open=max_queued)
        uow.commit()
    except Conflict:
        uow.rollback()
        discard_object(storage, stored.key)  # the loser of a race leaves no orphaned object
        replayed = _after_lost_race(uow, submission, known, learner_id, stored.sha256)
        if replayed is None:
            raise
        return replayed
    except uow.database_errors:
        # Lost while the recording arrived (a long upload across a failover): the
        # learner gets 503, and no recording may stay that no row names, where no
        # deletion (account erasure included) would ever find it. Should the insert
        # have committed after all, that attempt fails with a reason, not silently.
        discard_object(storage, stored.key)
        raise
    if not added:
        discard_object(storage, stored.key)
        recheck_piece(uow, learner_id, piece_id, known, submission.text_version)
        raise queue_full(max_queued or 0)
    send_after_commit(enqueue, attempt_id)
    return Submitted(attempt_id, created=True)


def _after_lost_race(
    uow: UnitOfWorkPort, submission: Submission, known: KnownIds, learner_id: uuid.UUID, sha256: str
) -> Submitted | None:
    """Two uploads with one key raced and the other row won: replay it (or 409).
    None when no row holds the key: the insert failed for another reason."""
    key = submission.idempotency_key
    earlier = idempotency.find_earlier(uow, learner_id, key) if key else None
    if earlier is None:
        if uow.users.get(learner_id) is None:  # the account was deleted while this waited for it
            raise signed_out()
        recheck_piece(uow, learner_id, submission.piece_id, known)
        return None
    return Submitted(idempotency.replay(earlier, submission.piece_id, sha256), created=False)


def _digest(recording: Readable, max_bytes: int) -> str:
    """The recording's sha256, without storing it (a replay compares, then drops it)."""
    if isinstance(recording, StagedFile):  # hashed as it arrived
        return recording.meter.sha256
    meter = UploadMeter(max_bytes)
    while chunk := recording.read(1024 * 1024):
        meter.add(chunk)
    return meter.sha256


def discard_object(storage: Storage, key: str) -> None:
    try:
        storage.delete(key)
    except StorageError as exc:  # logged with the key, so ops can remove it by hand
        log.error("could not delete orphaned recording %s: %s", key, exc)


def allowed_piece(
    uow: UnitOfWorkPort, learner_id: uuid.UUID, piece_id: uuid.UUID, known: KnownIds
) -> uuid.UUID:
    """The piece, if it is the learner's own (from memory, or one round trip) or public
    (one round trip: it may have been made private); any other piece is reported exactly
    as an unknown one."""
    if known.may_submit(piece_id, learner_id):
        return piece_id
    found = uow.pieces.access(piece_id)
    public = found is not None and found.visibility == "public"
    if found is None or not (public or found.owner_id == learner_id):
        raise ServiceError(ErrorKind.NOT_FOUND, "piece_not_found", "No piece with that id.")
    if found.owner_id == learner_id:
        known.remember_owner(piece_id, learner_id)
    return piece_id


def recheck_piece(
    uow: UnitOfWorkPort,
    learner_id: uuid.UUID,
    piece_id: uuid.UUID,
    known: KnownIds,
    text_version: int | None = None,
) -> None:
    """After an insert that added nothing: the piece looked up afresh, not from memory;
    one deleted or made private since the first check is 404 (``piece_not_found``), one
    whose text is no longer at ``text_version`` is 409 (``piece_text_changed``)."""
    known.forget(piece_id)
    allowed_piece(uow, learner_id, piece_id, known)
    check_text_version(uow, piece_id, text_version)


def check_text_version(uow: UnitOfWorkPort, piece_id: uuid.UUID, text_version: int | None) -> None:
    """409 ``piece_text_changed`` when the piece's text has moved on from ``text_version``;
    400 for a version it never had. None (not said) passes."""
    piece = uow.pieces.get(piece_id) if text_version is not None else None
    if piece is None or text_version is None or piece.text_version == text_version:
        return
    if text_version > piece.text_version:
        message = f"This piece's text is at version {piece.text_version}; send the text_version it shows."
        raise ServiceError(ErrorKind.INVALID, "invalid_text_version", message)
    raise ServiceError(ErrorKind.CONFLICT, "piece_text_changed", TEXT_CHANGED)


def queue_full(max_queued: int) -> ServiceError:
    # Counted in the insert's own statement, one round trip less per upload than
    # counting first; the recording stored for a refused upload is removed again.
    # Two uploads racing may both fit under the cap: it bounds a learner's share
    # of the queue, it is not an exact quota (the rate limit is exact).
    return ServiceError(
        ErrorKind.TOO_MANY,
        "too_many_queued_attempts",
        f"You have {max_queued} recording{'' if max_queued == 1 else 's'} waiting to be scored; "
        "try again when one is done.",
    )


def send_after_commit(enqueue: Enqueue, attempt_id: uuid.UUID) -> bool:
    """Whether the message went; a broker that is down loses nothing (the sweeper re-sends)."""
    try:
        enqueue(attempt_id)
    except Exception as exc:  # broker down: the row is safe, the sweeper re-sends
        log.warning("enqueue failed for attempt %s, sweeper will re-send: %s", attempt_id, exc)
        return False
    return True


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
