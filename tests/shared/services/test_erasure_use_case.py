"""Deleting an attempt or an account on the in-memory unit of work, with real local storage."""

from __future__ import annotations

import io
import uuid
from datetime import timedelta
from pathlib import Path

import pytest

from shared.domain.clock import utcnow
from shared.services import credentials, erasure, users
from shared.services.errors import ServiceError
from shared.storage import StorageError
from shared.storage.local import LocalStorage
from tests.support.fake_uow import FakeDatabase


def stored_attempt(db: FakeDatabase, storage: LocalStorage, learner: uuid.UUID) -> uuid.UUID:
    attempt_id = db.add_attempt(learner_id=learner)
    storage.put(db.attempt(attempt_id)["storage_key"], io.BytesIO(b"RIFF"), "audio/wav")
    return attempt_id


def test_deleting_an_attempt_removes_its_recording_and_row_and_no_one_elses(tmp_path: Path) -> None:
    db, storage = FakeDatabase(), LocalStorage(tmp_path)
    ada, bob = users.ensure_user(db.uow(), "ada"), users.ensure_user(db.uow(), "bob")
    mine, theirs = stored_attempt(db, storage, ada.id), stored_attempt(db, storage, bob.id)
    key = db.attempt(mine)["storage_key"]
    with pytest.raises(ServiceError) as raised:
        erasure.delete_attempt(db.uow(), storage, ada, theirs)
    assert raised.value.code == "attempt_not_found" and theirs in db.tables.attempts
    erasure.delete_attempt(db.uow(), storage, ada, mine)
    assert mine not in db.tables.attempts and not storage.exists(key)


@pytest.mark.usefixtures("cheap_argon2")
def test_deleting_an_account_removes_everything_but_the_pieces_others_recite(tmp_path: Path) -> None:
    db, storage = FakeDatabase(), LocalStorage(tmp_path)
    ada = users.sign_up(db.uow(), "ada", "correct horse")
    attempts = [stored_attempt(db, storage, ada.id) for _ in range(2)]
    keys = [db.attempt(a)["storage_key"] for a in attempts]
    with db.uow() as uow:
        public = uow.pieces.add(ada.id, "ours", "a b", "public", utcnow())
        unread = uow.pieces.add(ada.id, "shared, unread", "a b", "public", utcnow())
        private = uow.pieces.add(ada.id, "mine", "c d", "private", utcnow())
        uow.commit()
    db.add_attempt(piece_id=public.id)  # another learner practises it
    session = credentials.start_session(db.uow(), ada, timedelta(hours=1))
    _, token = credentials.create_token(db.uow(), ada, "ci")
    assert erasure.delete_account(db.uow(), storage, ada.id) == 2
    assert not any(storage.exists(k) for k in keys)
    assert list(tmp_path.iterdir()) == []  # no empty folder of hers is left either
    assert ada.id not in db.tables.users and not set(attempts) & set(db.tables.attempts)
    assert private.id not in db.tables.pieces and unread.id not in db.tables.pieces
    assert db.tables.pieces[public.id]["owner_id"] is None
    assert credentials.session_user(db.uow(), session.secret) is None
    assert credentials.token_user(db.uow(), token) is None
    with pytest.raises(ServiceError) as raised:
        erasure.delete_account(db.uow(), storage, ada.id)
    assert raised.value.code == "user_not_found"


@pytest.mark.usefixtures("cheap_argon2")
def test_a_departed_owners_piece_goes_with_the_last_attempt_that_kept_it(tmp_path: Path) -> None:
    """QA: it stayed in every learner's library for good, and only an admin could remove it."""
    db, storage = FakeDatabase(), LocalStorage(tmp_path)
    ada, bob, cy = (users.sign_up(db.uow(), name, "correct horse") for name in ("ada", "bob", "cy"))
    with db.uow() as uow:
        kept = uow.pieces.add(ada.id, "shared", "a b", "public", utcnow()).id
        uow.commit()
    bobs, cys = stored_attempt(db, storage, bob.id), stored_attempt(db, storage, cy.id)
    db.set(bobs, piece_id=kept)
    db.set(cys, piece_id=kept)
    erasure.delete_account(db.uow(), storage, ada.id)
    assert db.tables.pieces[kept]["owner_id"] is None and db.tables.pieces[kept]["released_at"]
    erasure.delete_attempt(db.uow(), storage, bob, bobs)
    assert kept in db.tables.pieces  # Cy's result still reads it
    erasure.delete_account(db.uow(), storage, cy.id)  # the last attempt, with its learner
    assert kept not in db.tables.pieces
    legacy = db.add_attempt(learner_id=bob.id)  # a piece from before accounts: ownerless, not released
    legacy_piece = db.attempt(legacy)["piece_id"]
    storage.put(db.attempt(legacy)["storage_key"], io.BytesIO(b"RIFF"), "audio/wav")
    erasure.delete_attempt(db.uow(), storage, bob, legacy)
    assert legacy_piece in db.tables.pieces


@pytest.mark.usefixtures("cheap_argon2")
def test_a_departing_owners_piece_with_only_others_failed_attempts_goes_with_them(tmp_path: Path) -> None:
    db, storage = FakeDatabase(), LocalStorage(tmp_path)
    cleo, ben = (
        users.sign_up(db.uow(), "cleo", "correct horse"),
        users.sign_up(db.uow(), "ben", "correct horse"),
    )
    with db.uow() as uow:
        wept = uow.pieces.add(cleo.id, "Jesus wept", "Jesus wept.", "public", utcnow()).id
        kept = uow.pieces.add(cleo.id, "Psalm", "The Lord is my shepherd.", "public", utcnow()).id
        uow.commit()
    silent, scored = stored_attempt(db, storage, ben.id), stored_attempt(db, storage, ben.id)
    db.set(silent, piece_id=wept, status="failed", error_code="too_quiet")
    db.set(scored, piece_id=kept, status="done")
    key = db.attempt(silent)["storage_key"]
    erasure.delete_account(db.uow(), storage, cleo.id)
    assert wept not in db.tables.pieces and silent not in db.tables.attempts and not storage.exists(key)
    assert kept in db.tables.pieces and scored in db.tables.attempts  # Ben's result reads it


class BrokenStorage(LocalStorage):
    def delete(self, key: str) -> None:
        raise StorageError("bucket unreachable")


def test_rows_stay_when_storage_is_down_so_deleting_again_finishes(tmp_path: Path) -> None:
    db, storage = FakeDatabase(), BrokenStorage(tmp_path)
    ada = users.ensure_user(db.uow(), "ada")
    attempt_id = db.add_attempt(learner_id=ada.id)
    with pytest.raises(ServiceError) as raised:
        erasure.delete_account(db.uow(), storage, ada.id)
    assert raised.value.code == "storage_unavailable"
    assert attempt_id in db.tables.attempts and ada.id in db.tables.users


def test_the_only_admin_cannot_be_deleted_until_there_is_another(tmp_path: Path) -> None:
    db, storage = FakeDatabase(), LocalStorage(tmp_path)
    root = users.ensure_user(db.uow(), "root")
    users.set_role(db.uow(), "root", "admin")
    with pytest.raises(ServiceError) as raised:
        erasure.delete_account(db.uow(), storage, root.id)
    assert raised.value.code == "last_admin" and root.id in db.tables.users
    users.ensure_user(db.uow(), "deputy")
    users.set_role(db.uow(), "deputy", "admin")
    erasure.delete_account(db.uow(), storage, root.id)
    assert root.id not in db.tables.users


def test_deleting_a_piece_takes_the_owners_attempts_and_is_refused_while_others_recite_it(
    tmp_path: Path,
) -> None:
    db, storage = FakeDatabase(), LocalStorage(tmp_path)
    ada, bob = users.ensure_user(db.uow(), "ada"), users.ensure_user(db.uow(), "bob")
    with db.uow() as uow:
        solo = uow.pieces.add(ada.id, "solo", "a b", "private", utcnow()).id
        shared = uow.pieces.add(ada.id, "shared", "c d", "public", utcnow()).id
        uow.commit()
    on_solo = [stored_attempt(db, storage, ada.id) for _ in range(2)]
    for attempt_id in on_solo:
        db.set(attempt_id, piece_id=solo)
    elsewhere = stored_attempt(db, storage, ada.id)
    theirs = stored_attempt(db, storage, bob.id)
    db.set(theirs, piece_id=shared)
    with pytest.raises(ServiceError) as refused:
        erasure.delete_piece(db.uow(), storage, ada, shared)
    assert refused.value.code == "piece_in_use" and shared in db.tables.pieces
    with pytest.raises(ServiceError) as not_hers:
        erasure.delete_piece(db.uow(), storage, bob, solo)
    assert not_hers.value.code == "piece_not_found"
    keys = [db.attempt(a)["storage_key"] for a in on_solo]
    assert erasure.delete_piece(db.uow(), storage, ada, solo) == 2
    assert solo not in db.tables.pieces and not any(a in db.tables.attempts for a in on_solo)
    assert not any(storage.exists(key) for key in keys)
    assert elsewhere in db.tables.attempts and theirs in db.tables.attempts


def test_deleting_a_piece_takes_other_learners_failed_attempts_with_it(tmp_path: Path) -> None:
    db, storage = FakeDatabase(), LocalStorage(tmp_path)
    ada, bob = users.ensure_user(db.uow(), "ada"), users.ensure_user(db.uow(), "bob")
    with db.uow() as uow:
        shared = uow.pieces.add(ada.id, "shared", "c d", "public", utcnow()).id
        uow.commit()
    failed = stored_attempt(db, storage, bob.id)  # silence: failed too_quiet, never scored
    db.set(failed, piece_id=shared, status="failed", error_code="too_quiet")
    key = db.attempt(failed)["storage_key"]
    assert erasure.delete_piece(db.uow(), storage, ada, shared) == 1
    assert shared not in db.tables.pieces and failed not in db.tables.attempts and not storage.exists(key)
