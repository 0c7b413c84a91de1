"""Deleting a learner's data: one attempt, a piece with their attempts on it, or a whole
account; and, for admins, a shared piece with everyone's attempts on it.

Recordings leave storage before their rows leave the database: if anything
fails half-way, what remains is a row whose recording is gone (deleting
again finishes the job), never a recording nobody can reach or delete.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from shared.db.repositories.port import AttemptRecord, UnitOfWorkPort
from shared.domain.clock import utcnow
from shared.services.attempts import owned_attempt
from shared.services.errors import ErrorKind, ServiceError
from shared.services.pieces import IN_USE, owned_piece
from shared.services.users import UserView
from shared.storage import Storage, StorageError


def delete_attempt(
    uow: UnitOfWorkPort, storage: Storage, learner: UserView, attempt_id: uuid.UUID
) -> AttemptRecord:
    """The learner's attempt, its recording, transcript and scores; returns what was deleted."""
    attempt = owned_attempt(uow, learner, attempt_id)
    _remove_recordings(storage, [attempt.storage_key])
    uow.attempts.delete([attempt.id])
    uow.pieces.drop_released_unrecited()  # its piece, if a departed owner's kept only for it
    uow.commit()
    return attempt


def delete_piece(uow: UnitOfWorkPort, storage: Storage, owner: UserView, piece_id: uuid.UUID) -> int:
    """The owner's piece, the owner's attempts on it and other learners' failed ones;
    refused while another learner has an attempt scored or being scored on it (their
    results would lose their text). Returns the attempts deleted."""
    piece = owned_piece(uow, owner, piece_id)  # locked: an upload arriving now waits, then finds it gone
    if uow.attempts.count_on_piece(piece.id, except_learner=owner.id, except_failed=True):
        raise ServiceError(ErrorKind.CONFLICT, "piece_in_use", IN_USE)
    erased = _erase_attempts(uow, storage, uow.attempts.recordings_on_piece(piece.id))
    uow.pieces.delete(piece.id)
    uow.commit()
    return erased


def remove_piece(uow: UnitOfWorkPort, storage: Storage, piece_id: uuid.UUID) -> int:
    """For admins: a piece and every attempt on it, whoever made them (a shared text
    that must go: abusive, or not the owner's to share). The piece is locked first, so
    an upload arriving now waits and then finds it gone. Returns the attempts deleted."""
    if uow.pieces.lock(piece_id) is None:
        raise ServiceError(ErrorKind.NOT_FOUND, "piece_not_found", "No piece with that id.")
    erased = _erase_attempts(uow, storage, uow.attempts.recordings_on_piece(piece_id))
    uow.pieces.delete(piece_id)
    uow.commit()
    return erased


def delete_account(uow: UnitOfWorkPort, storage: Storage, user_id: uuid.UUID) -> int:
    """Every attempt (recordings, transcripts, scores), session and token of the
    user, their pieces, and the user. A piece another learner has recited stays,
    without an owner, until the last attempt on it goes: their results read it.
    Returns the attempts deleted.

    The user's pieces are locked first, then the user, in the order an upload takes
    them (its piece, then its user's key): an upload, piece, session or token being
    added for the user finishes first and goes too, or waits and then finds the user
    gone (QA: one committed meanwhile failed the user's DELETE, a 500 after the
    recordings had gone). An admin's row is locked with every admin's, when they are
    counted: two admins deleted at once then take turns rather than deadlock."""
    uow.pieces.lock_owned(user_id)
    user = uow.users.get(user_id)
    if user is not None and user.role == "admin" and uow.users.count_role("admin") == 1:
        raise ServiceError(  # nobody could then manage users or re-scoring but from the command line
            ErrorKind.CONFLICT, "last_admin", "This is the only admin; make another admin first."
        )
    if user is None or uow.users.lock(user_id) is None:  # gone meanwhile: deleted by another
        raise ServiceError(ErrorKind.NOT_FOUND, "user_not_found", "No user with that id.")
    erased = _erase_attempts(uow, storage, uow.attempts.recordings_of(user_id))
    # Others' failed attempts keep no piece, as when the owner deletes it (QA).
    _erase_attempts(uow, storage, uow.attempts.failed_on_pieces_of(user_id))
    uow.pieces.release(user_id, utcnow())
    uow.pieces.drop_released_unrecited()  # others' pieces kept only for this user's attempts
    uow.credentials.forget_user(user_id)
    uow.users.delete(user_id)
    uow.commit()
    return erased


def _erase_attempts(uow: UnitOfWorkPort, storage: Storage, rows: Sequence[tuple[uuid.UUID, str]]) -> int:
    """The attempts (id, storage key): recordings first, then rows (the module's order)."""
    _remove_recordings(storage, [key for _, key in rows])
    uow.attempts.delete([attempt_id for attempt_id, _ in rows])
    return len(rows)


def _remove_recordings(storage: Storage, keys: Sequence[str]) -> None:
    try:
        for key in keys:
            storage.delete(key)
    except StorageError as exc:
        raise ServiceError(
            ErrorKind.UNAVAILABLE, "storage_unavailable", "Recording storage is unavailable; try again."
        ) from exc
