"""Browser sessions and API tokens: random secrets handed out once, kept as sha256.

A leaked database gives no usable credential. Secrets are 256 bits from
``secrets``, so a plain sha256 (not a slow hash) is enough to store them.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, delete, func, select, update

from shared.db import models
from shared.db.uow import UnitOfWork
from shared.domain.clock import utcnow
from shared.services.errors import ErrorKind, ServiceError
from shared.services.users import UserView, view

TOKEN_PREFIX = "rct_"
MAX_TOKENS = 50
MAX_NAME = 100
# last_used_at is written at most this often per token: a busy client would
# otherwise cost a write on every request.
LAST_USED_EVERY = timedelta(minutes=1)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class NewSession:
    secret: str  # goes in the cookie, never stored
    csrf_token: str
    expires_at: datetime


@dataclass(frozen=True)
class TokenView:
    id: uuid.UUID
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None


def start_session(uow: UnitOfWork, user: UserView, lifetime: timedelta) -> NewSession:
    secret, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    expires = utcnow() + lifetime
    uow.session.add(
        models.WebSession(token_hash=digest(secret), user_id=user.id, csrf_token=csrf, expires_at=expires)
    )
    uow.session.execute(delete(models.WebSession).where(models.WebSession.expires_at < utcnow()))
    uow.commit()
    return NewSession(secret, csrf, expires)


def session_user(uow: UnitOfWork, secret: str) -> tuple[UserView, str] | None:
    """The session's user and CSRF token, or None if unknown or expired."""
    found = uow.session.execute(
        select(models.User, models.WebSession.csrf_token)
        .join(models.WebSession, models.WebSession.user_id == models.User.id)
        .where(models.WebSession.token_hash == digest(secret), models.WebSession.expires_at > utcnow())
    ).one_or_none()
    return None if found is None else (view(found[0]), found[1])


def end_session(uow: UnitOfWork, secret: str) -> None:
    uow.session.execute(delete(models.WebSession).where(models.WebSession.token_hash == digest(secret)))
    uow.commit()


def create_token(uow: UnitOfWork, user: UserView, name: str) -> tuple[TokenView, str]:
    """A new token and its secret, which is shown this once."""
    if not 1 <= len(name.strip()) <= len(name) <= MAX_NAME:
        raise ServiceError(
            ErrorKind.UNPROCESSABLE, "invalid_token_name", f"Name the token (1-{MAX_NAME} characters)."
        )
    count = uow.session.scalar(select(func.count()).select_from(models.ApiToken).where(_live(user.id)))
    if (count or 0) >= MAX_TOKENS:
        raise ServiceError(
            ErrorKind.CONFLICT, "too_many_tokens", f"Revoke a token first (at most {MAX_TOKENS})."
        )
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = models.ApiToken(user_id=user.id, name=name.strip(), token_hash=digest(secret), prefix=secret[:12])
    uow.session.add(token)
    uow.commit()
    return _token_view(token), secret


def list_tokens(uow: UnitOfWork, user: UserView) -> list[TokenView]:
    rows = uow.session.scalars(
        select(models.ApiToken).where(_live(user.id)).order_by(models.ApiToken.created_at, models.ApiToken.id)
    )
    return [_token_view(t) for t in rows]


def revoke_token(uow: UnitOfWork, user: UserView, token_id: uuid.UUID) -> None:
    done = uow.session.execute(
        update(models.ApiToken)
        .where(models.ApiToken.id == token_id, _live(user.id))
        .values(revoked_at=utcnow())
    )
    if done.rowcount != 1:  # type: ignore[attr-defined]
        raise ServiceError(ErrorKind.NOT_FOUND, "token_not_found", "No token with that id.")
    uow.commit()


def token_user(uow: UnitOfWork, secret: str) -> UserView | None:
    """The token's user if it is live; notes its use (at most once a minute)."""
    found = uow.session.execute(
        select(models.User, models.ApiToken.id, models.ApiToken.last_used_at)
        .join(models.ApiToken, models.ApiToken.user_id == models.User.id)
        .where(models.ApiToken.token_hash == digest(secret), models.ApiToken.revoked_at.is_(None))
    ).one_or_none()
    if found is None:
        return None
    user, token_id, last_used = found
    now = utcnow()
    if last_used is None or _aware(last_used) < now - LAST_USED_EVERY:
        uow.session.execute(
            update(models.ApiToken).where(models.ApiToken.id == token_id).values(last_used_at=now)
        )
        uow.commit()
    return view(user)


def _live(user_id: uuid.UUID) -> ColumnElement[bool]:
    return (models.ApiToken.user_id == user_id) & models.ApiToken.revoked_at.is_(None)


def _aware(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; they are UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=utcnow().tzinfo)


def _token_view(token: models.ApiToken) -> TokenView:
    return TokenView(token.id, token.name, token.prefix, token.created_at, token.last_used_at)
