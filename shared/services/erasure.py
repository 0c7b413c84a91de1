"""Deleting a learner's data: one attempt, or a whole account.

Recordings leave storage before their rows leave the database: if anything
fails half-way, what remains is a row whose recording is gone (deleting
again finishes the job), never a recording nobody can reach or delete.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import delete, exists, select, update

from shared.db import models
from shared.db.uow import UnitOfWork
from shared.services.attempts import owned_attempt
from shared.services.errors import ErrorKind, ServiceError
from shared.services.users import UserView
from shared.storage import Storage, StorageError

A = models.Attempt


def delete_attempt(uow: UnitOfWork, storage: Storage, learner: UserView, attempt_id: uuid.UUID) -> None:
    attempt = owned_attempt(uow, learner, attempt_id)
    _remove_recordings(storage, [attempt.storage_key])
    _delete_attempt_rows(uow, [attempt.id])
    uow.commit()


def delete_account(uow: UnitOfWork, storage: Storage, user_id: uuid.UUID) -> int:
    """Every attempt (recordings, transcripts, scores), session and token of the
    user, their private pieces, and the user. Public pieces stay, without an
    owner: other learners may be practising them. Returns the attempts deleted."""
    if uow.session.get(models.User, user_id) is None:
        raise ServiceError(ErrorKind.NOT_FOUND, "user_not_found", "No user with that id.")
    rows = uow.session.execute(select(A.id, A.storage_key).where(A.learner_id == user_id)).all()
    _remove_recordings(storage, [key for _, key in rows])
    _delete_attempt_rows(uow, [attempt_id for attempt_id, _ in rows])
    P = models.Piece
    uow.session.execute(delete(P).where(P.owner_id == user_id, P.visibility == "private"))
    uow.session.execute(update(P).where(P.owner_id == user_id).values(owner_id=None))
    uow.session.execute(delete(models.WebSession).where(models.WebSession.user_id == user_id))
    uow.session.execute(delete(models.ApiToken).where(models.ApiToken.user_id == user_id))
    uow.session.execute(delete(models.User).where(models.User.id == user_id))
    uow.commit()
    return len(rows)


def _remove_recordings(storage: Storage, keys: Sequence[str]) -> None:
    try:
        for key in keys:
            storage.delete(key)
    except StorageError as exc:
        raise ServiceError(
            ErrorKind.UNAVAILABLE, "storage_unavailable", "Recording storage is unavailable; try again."
        ) from exc


def _delete_attempt_rows(uow: UnitOfWork, attempt_ids: Sequence[uuid.UUID]) -> None:
    if not attempt_ids:
        return
    transcript_ids = [
        t for t in uow.session.scalars(select(A.transcript_id).where(A.id.in_(attempt_ids))) if t is not None
    ]
    uow.session.execute(delete(models.CoachingNote).where(models.CoachingNote.attempt_id.in_(attempt_ids)))
    uow.session.execute(delete(models.Score).where(models.Score.attempt_id.in_(attempt_ids)))
    uow.session.execute(delete(models.Analysis).where(models.Analysis.attempt_id.in_(attempt_ids)))
    uow.session.execute(delete(A).where(A.id.in_(attempt_ids)))
    if transcript_ids:  # a transcript is what someone said: it goes unless another attempt shares it
        T = models.Transcript
        shared = exists().where(A.transcript_id == T.id)
        uow.session.execute(delete(T).where(T.id.in_(transcript_ids), ~shared))
