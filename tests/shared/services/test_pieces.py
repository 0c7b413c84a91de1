"""Changing a piece on the real Postgres: the lock that keeps "nobody has recited it" true."""

from __future__ import annotations

import threading
import time
import uuid

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from shared.container import Container
from shared.db import models
from shared.db.repositories.records import NewAttempt
from shared.services import pieces, users
from shared.services.errors import ServiceError


def test_an_upload_waits_for_a_text_change_and_then_blocks_the_next(pg: Container) -> None:
    with pg.uow() as uow:
        owner = users.ensure_user(uow, f"o-{uuid.uuid4().hex[:8]}")
    with pg.uow() as uow:
        piece_id = pieces.create_piece(uow, owner, "Psalm", "The Lord is my shepherd").id
    changing, uploaded = threading.Event(), threading.Event()
    outcome: list[str] = []

    def upload_during_the_change() -> None:
        changing.wait(5)
        with pg.uow() as uow:
            uow.session.execute(text("SET LOCAL lock_timeout = '300ms'"))
            uow.session.add(models.Attempt(learner_id=owner.id, piece_id=piece_id, storage_key="k",
                                           sha256="0" * 64, size_bytes=1, format="wav"))  # fmt: skip
            try:
                uow.session.flush()  # the foreign key check shares the piece's row
                outcome.append("inserted")
            except OperationalError:
                outcome.append("waited")
        uploaded.set()

    uploader = threading.Thread(target=upload_during_the_change)
    uploader.start()
    with pg.uow() as uow:
        uow.pieces.lock(piece_id)  # what change_piece does first
        changing.set()
        uploaded.wait(5)  # the upload gave up waiting while the lock was held
        uow.pieces.change(piece_id, "Psalm", "The Lord is my shepherd; I shall not want.", "private")
        uow.commit()
    uploader.join(5)
    assert outcome == ["waited"]
    with pg.uow() as uow:  # once an attempt is in, the text is fixed
        uow.session.add(models.Attempt(learner_id=owner.id, piece_id=piece_id, storage_key="k",
                                       sha256="0" * 64, size_bytes=1, format="wav"))  # fmt: skip
        uow.commit()
    with pytest.raises(ServiceError) as refused, pg.uow() as uow:
        pieces.change_piece(uow, owner, piece_id, text="Something else")
    assert refused.value.code == "piece_has_attempts"


def test_an_upload_in_flight_gets_no_attempt_into_a_piece_made_private(pg: Container) -> None:
    with pg.uow() as uow:
        owner = users.ensure_user(uow, f"o-{uuid.uuid4().hex[:8]}")
        stranger = users.ensure_user(uow, f"s-{uuid.uuid4().hex[:8]}")
    with pg.uow() as uow:
        piece_id = pieces.create_piece(uow, owner, "Psalm", "The Lord is my shepherd", "public").id
    inserting, added = threading.Event(), []

    def insert_the_stranger_attempt() -> None:  # the upload's last step, after its access check
        with pg.uow() as uow:
            inserting.set()
            row = NewAttempt(uuid.uuid4(), stranger.id, piece_id, "k", "0" * 64, 1, "wav")
            added.append(uow.attempts.add(row, max_open=10))
            uow.commit()

    uploader = threading.Thread(target=insert_the_stranger_attempt)
    with pg.uow() as uow:
        pieces.owned_piece(uow, owner, piece_id)  # locked, as change_piece does
        assert uow.attempts.count_on_piece(piece_id, except_learner=owner.id) == 0
        uploader.start()
        inserting.wait(5)
        time.sleep(0.3)  # the insert is now waiting on the piece's row
        assert not added
        uow.pieces.change(piece_id, "Psalm", "The Lord is my shepherd", "private")
        uow.commit()
    uploader.join(5)
    assert added == [False]  # it read the piece as committed: private
    with pg.uow() as uow:
        assert uow.attempts.count_on_piece(piece_id) == 0
