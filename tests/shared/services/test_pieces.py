"""Changing a piece on the real Postgres: the lock that keeps "nobody has recited it" true."""

from __future__ import annotations

import threading
import uuid

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from shared.container import Container
from shared.db import models
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
