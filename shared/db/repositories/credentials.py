"""Browser sessions and API tokens on SQLAlchemy, found by the sha256 of their secret."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import ColumnElement, bindparam, delete, func, select, update
from sqlalchemy.orm import Session

from shared.db import models
from shared.db.repositories.records import TokenRecord, TokenUse, UserRecord

U, S, T = models.User, models.WebSession, models.ApiToken
_USER = (U.id, U.handle, U.role, U.password_hash, U.created_at)  # UserRecord's order
_TOKEN = (T.id, T.name, T.prefix, T.created_at, T.last_used_at)  # TokenRecord's order
# Built once: it runs on every API request.
_TOKEN_USE = (
    select(*_USER, T.id, T.last_used_at)
    .join(T, T.user_id == U.id)
    .where(T.token_hash == bindparam("token_hash"), T.revoked_at.is_(None))
)


class SqlCredentials:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add_session(
        self, token_hash: str, user_id: uuid.UUID, csrf_token: str, expires_at: datetime, now: datetime
    ) -> None:
        self._session.add(S(token_hash=token_hash, user_id=user_id, csrf_token=csrf_token, created_at=now,
                            expires_at=expires_at))  # fmt: skip

    def session_user(self, token_hash: str, now: datetime) -> tuple[UserRecord, str] | None:
        query = select(*_USER, S.csrf_token).join(S, S.user_id == U.id)
        found = self._session.execute(
            query.where(S.token_hash == token_hash, S.expires_at > now)
        ).one_or_none()
        return None if found is None else (UserRecord(*found[:5]), found[5])

    def end_session(self, token_hash: str) -> None:
        self._session.execute(delete(S).where(S.token_hash == token_hash))

    def end_expired_sessions(self, now: datetime) -> None:
        self._session.execute(delete(S).where(S.expires_at < now))

    def end_sessions_of(self, user_id: uuid.UUID) -> None:
        self._session.execute(delete(S).where(S.user_id == user_id))

    def add_token(
        self, user_id: uuid.UUID, name: str, token_hash: str, prefix: str, now: datetime
    ) -> TokenRecord:
        token = T(
            id=uuid.uuid4(), user_id=user_id, name=name, token_hash=token_hash, prefix=prefix, created_at=now
        )
        self._session.add(token)
        return TokenRecord(token.id, name, prefix, now, None)

    def live_tokens(self, user_id: uuid.UUID) -> list[TokenRecord]:
        rows = self._session.execute(select(*_TOKEN).where(_live(user_id)).order_by(T.created_at, T.id))
        return [TokenRecord(*row) for row in rows.tuples()]

    def count_live_tokens(self, user_id: uuid.UUID) -> int:
        return self._session.scalar(select(func.count()).select_from(T).where(_live(user_id))) or 0

    def revoke_token(self, token_id: uuid.UUID, user_id: uuid.UUID, now: datetime) -> bool:
        done = self._session.execute(update(T).where(T.id == token_id, _live(user_id)).values(revoked_at=now))
        return bool(done.rowcount)  # type: ignore[attr-defined]

    def revoke_tokens_of(self, user_id: uuid.UUID, now: datetime) -> int:
        done = self._session.execute(update(T).where(_live(user_id)).values(revoked_at=now))
        return int(done.rowcount)  # type: ignore[attr-defined]

    def token_use(self, token_hash: str) -> TokenUse | None:
        row = self._session.execute(_TOKEN_USE, {"token_hash": token_hash}).one_or_none()
        return None if row is None else TokenUse(UserRecord(*row[:5]), row[5], _aware(row[6]))

    def note_token_use(self, token_id: uuid.UUID, now: datetime) -> None:
        self._session.execute(update(T).where(T.id == token_id).values(last_used_at=now))

    def forget_user(self, user_id: uuid.UUID) -> None:
        self._session.execute(delete(S).where(S.user_id == user_id))
        self._session.execute(delete(T).where(T.user_id == user_id))


def _live(user_id: uuid.UUID) -> ColumnElement[bool]:
    return (T.user_id == user_id) & T.revoked_at.is_(None)


def _aware(moment: datetime | None) -> datetime | None:
    # SQLite hands back naive datetimes; they are UTC.
    return moment.replace(tzinfo=UTC) if moment is not None and moment.tzinfo is None else moment
