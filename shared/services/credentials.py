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

from shared.db.repositories.port import UnitOfWorkPort
from shared.db.repositories.records import TokenRecord
from shared.domain.clock import utcnow
from shared.services.errors import ErrorKind, ServiceError, signed_out
from shared.services.stored_text import one_line, shows_something
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


TokenView = TokenRecord  # what the owner sees: never the secret, nor its hash


def start_session(uow: UnitOfWorkPort, user: UserView, lifetime: timedelta) -> NewSession:
    secret, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    now = utcnow()
    expires = now + lifetime
    uow.credentials.add_session(digest(secret), user.id, csrf, expires, now)
    uow.credentials.end_expired_sessions(now)
    uow.commit()
    return NewSession(secret, csrf, expires)


def session_user(uow: UnitOfWorkPort, secret: str) -> tuple[UserView, str] | None:
    """The session's user and CSRF token, or None if unknown or expired."""
    found = uow.credentials.session_user(digest(secret), utcnow())
    return None if found is None else (view(found[0]), found[1])


def end_session(uow: UnitOfWorkPort, secret: str) -> None:
    uow.credentials.end_session(digest(secret))
    uow.commit()


def create_token(
    uow: UnitOfWorkPort, user: UserView, name: str, signed_in_with: str | None = None
) -> tuple[TokenView, str]:
    """A new token and its secret, which is shown this once.

    ``signed_in_with``: the session or token secret the request came with. The user's
    row is held and that credential read again, so a password change ending it at this
    moment cannot leave a new token behind: the change waits and then revokes this one
    too, or it went first and the request is refused as signed out. The row is held
    before the tokens are counted, so tokens asked for at once take turns at the cap
    (QA: twelve at once with 46 live made 53).
    """
    one_line(name, "token name")
    if not (1 <= len(name.strip()) <= len(name) <= MAX_NAME and shows_something(name)):
        raise ServiceError(
            ErrorKind.UNPROCESSABLE, "invalid_token_name", f"Name the token (1-{MAX_NAME} characters)."
        )
    held = uow.users.get(user.id, hold=True)
    if held is None or (signed_in_with is not None and not _still_signed_in(uow, user, signed_in_with)):
        raise signed_out()
    if uow.credentials.count_live_tokens(user.id) >= MAX_TOKENS:
        raise ServiceError(
            ErrorKind.CONFLICT, "too_many_tokens", f"Revoke a token first (at most {MAX_TOKENS})."
        )
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = uow.credentials.add_token(user.id, name.strip(), digest(secret), secret[:12], utcnow())
    uow.commit()
    return token, secret


def _still_signed_in(uow: UnitOfWorkPort, user: UserView, secret: str) -> bool:
    if secret.startswith(TOKEN_PREFIX):
        found = uow.credentials.token_use(digest(secret))
        return found is not None and found.user.id == user.id
    session = session_user(uow, secret)
    return session is not None and session[0].id == user.id


def list_tokens(uow: UnitOfWorkPort, user: UserView) -> list[TokenView]:
    return uow.credentials.live_tokens(user.id)


def revoke_token(uow: UnitOfWorkPort, user: UserView, token_id: uuid.UUID) -> None:
    if not uow.credentials.revoke_token(token_id, user.id, utcnow()):
        raise ServiceError(ErrorKind.NOT_FOUND, "token_not_found", "No token with that id.")
    uow.commit()


def token_user(uow: UnitOfWorkPort, secret: str) -> UserView | None:
    """The token's user if it is live; notes its use (at most once a minute)."""
    found = uow.credentials.token_use(digest(secret))
    if found is None:
        return None
    now = utcnow()
    if found.last_used_at is None or found.last_used_at < now - LAST_USED_EVERY:
        uow.credentials.note_token_use(found.token_id, now)
        uow.commit()
    return view(found.user)
