"""Attempts through the real services: submitted, processed by the offline engine, and
(for re-scoring) scored "long ago" at an old scoring version."""

from __future__ import annotations

import uuid
from pathlib import Path

from sqlalchemy import select

from shared.container import Container
from shared.db import models
from shared.services.pieces import create_piece
from shared.services.submission import Submission, submit_attempt
from shared.services.users import UserView, ensure_user

# No other test recites this: transcripts are cached per recording and text in a
# database the whole session shares (tests/shared/services/test_processing.py
# counts engine calls for its own text).
TEXT = "He restoreth my soul: he leadeth me in the paths of righteousness."
LEARNER = "proc"
OLD_VERSION = "2000.01.1"


def learner(deps: Container, handle: str = LEARNER) -> UserView:
    """A user made through the services (no password: these tests never sign in)."""
    with deps.uow() as uow:
        return ensure_user(uow, handle)


def new_piece(deps: Container, text: str = TEXT) -> uuid.UUID:
    with deps.uow() as uow:
        return create_piece(uow, learner(deps), "Psalm", text).id


def submit(deps: Container, piece_id: uuid.UUID, audio: Path, handle: str = LEARNER) -> uuid.UUID:
    with deps.uow() as uow, audio.open("rb") as recording:
        submission = Submission(learner=learner(deps, handle).id, piece_id=piece_id, recording=recording)
        return submit_attempt(uow, deps.storage, lambda _id: None, submission, 10**8).attempt_id


def processed(deps: Container, piece_id: uuid.UUID, audio: Path, handle: str = LEARNER) -> uuid.UUID:
    """An attempt submitted and scored by the real pipeline, in this process."""
    from shared.services.processing import run_attempt_job

    attempt_id = submit(deps, piece_id, audio, handle)
    outcome = run_attempt_job(attempt_id, deps.processing_context())
    assert outcome.status == "done", outcome
    return attempt_id


def scored_long_ago(deps: Container, piece_id: uuid.UUID, audio: Path) -> uuid.UUID:
    """A done attempt whose only score row (and its result) says an old scoring version."""
    attempt_id = processed(deps, piece_id, audio)
    with deps.uow() as uow:
        score = uow.session.scalars(select(models.Score).filter_by(attempt_id=attempt_id)).one()
        score.scoring_version = OLD_VERSION
        score.result = {**score.result, "scoring_version": OLD_VERSION}
        uow.commit()
    return attempt_id
