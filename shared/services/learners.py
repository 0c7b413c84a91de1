"""Learner identity. A handle is enough for now; accounts come later behind the same seam."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from shared.db import models
from shared.db.uow import UnitOfWork
from shared.services.errors import ErrorKind, ServiceError

HANDLE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,119}$")


def validate_handle(handle: str) -> str:
    if not HANDLE.match(handle):
        raise ServiceError(
            ErrorKind.INVALID,
            "invalid_learner",
            "Learner ids are 1-120 letters, digits, '.', '_', '@' or '-'.",
        )
    return handle


def get_or_create_learner(uow: UnitOfWork, handle: str) -> models.Learner:
    """Find the learner, creating it in its own commit (safe under concurrent first uploads)."""
    validate_handle(handle)
    learner = uow.session.scalar(select(models.Learner).where(models.Learner.handle == handle))
    if learner is not None:
        return learner
    try:
        learner = models.Learner(handle=handle)
        uow.session.add(learner)
        uow.commit()
        return learner
    except IntegrityError:
        uow.rollback()
        return uow.session.scalars(select(models.Learner).where(models.Learner.handle == handle)).one()


def find_learner(uow: UnitOfWork, handle: str) -> models.Learner | None:
    validate_handle(handle)
    return uow.session.scalar(select(models.Learner).where(models.Learner.handle == handle))
