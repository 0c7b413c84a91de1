"""Users on SQLAlchemy."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import cast

from sqlalchemy import ColumnElement, Table, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from shared.db import models
from shared.db.repositories.records import Conflict, UserRecord

U = models.User
_INSERT = insert(cast(Table, U.__table__))


class SqlUsers:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, handle: str, password_hash: str | None, role: str, now: datetime) -> UserRecord:
        user = UserRecord(uuid.uuid4(), handle, role, password_hash, now)
        try:  # inserted now, so a taken handle is known here rather than at commit
            self._session.connection().execute(_INSERT, vars(user))
        except IntegrityError as exc:
            raise Conflict(str(exc.orig)) from exc
        return user

    def get(self, user_id: uuid.UUID, hold: bool = False) -> UserRecord | None:
        return self._one(U.id == user_id, hold)

    def by_handle(self, handle: str, hold: bool = False) -> UserRecord | None:
        # The unique index on lower(handle), 0012.
        return self._one(func.lower(U.handle) == handle.lower(), hold)

    def lock(self, user_id: uuid.UUID) -> UserRecord | None:
        # FOR UPDATE: unlike hold's FOR NO KEY UPDATE, it waits for and holds off foreign key checks.
        return self._one(U.id == user_id, hold=True, key_share=False)

    def set_password_hash(self, user_id: uuid.UUID, password_hash: str) -> None:
        self._session.execute(update(U).where(U.id == user_id).values(password_hash=password_hash))

    def set_role(self, user_id: uuid.UUID, role: str) -> None:
        self._session.execute(update(U).where(U.id == user_id).values(role=role))

    def count_role(self, role: str) -> int:
        # Locked for the transaction: it is asked before an admin is removed, and two
        # removals at once must not each count the other as the admin who stays.
        return len(self._session.scalars(select(U.id).where(U.role == role).with_for_update()).all())

    def page(self, limit: int, offset: int) -> tuple[list[UserRecord], int]:
        total = self._session.scalar(select(func.count()).select_from(U)) or 0
        rows = self._session.execute(_COLUMNS.order_by(U.created_at, U.id).limit(limit).offset(offset))
        return [UserRecord(*row) for row in rows.tuples()], total

    def delete(self, user_id: uuid.UUID) -> None:
        try:
            self._session.execute(delete(U).where(U.id == user_id))
        except IntegrityError as exc:  # attempts or pieces still refer to the user
            raise Conflict(str(exc.orig)) from exc

    def _one(
        self, where: ColumnElement[bool], hold: bool = False, key_share: bool = True
    ) -> UserRecord | None:
        query = _COLUMNS.where(where)
        if hold and self._row_lock_needed(where):
            query = query.with_for_update(key_share=key_share)
        found = self._session.execute(query).tuples().one_or_none()
        return UserRecord(*found) if found else None

    def _row_lock_needed(self, where: ColumnElement[bool]) -> bool:
        """The row locked until the transaction ends, against a password change's UPDATE.

        Postgres: FOR NO KEY UPDATE, so two sign-ins of one user take turns (under FOR
        SHARE both held it and both then re-hashed the password: a deadlock, 503) while
        inserts that only refer to the user (FOR KEY SHARE) go on. SQLite: pysqlite
        begins no transaction for a SELECT, so a write of nothing takes SQLite's one
        writer lock for the transaction instead.
        """
        if self._session.get_bind().dialect.name == "sqlite":
            self._session.execute(update(U).where(where).values(handle=U.handle))
            return False
        return True


_COLUMNS = select(U.id, U.handle, U.role, U.password_hash, U.created_at)  # UserRecord's order
