"""The browser session's cookie: started at sign-in (API and pages alike), ended at
sign-out, cleared when the account goes."""

from __future__ import annotations

from datetime import timedelta
from typing import TypeVar

from werkzeug.wrappers import Response as BaseResponse

from shared.db.repositories.port import UnitOfWorkPort
from shared.services import credentials, users
from web import known_devices
from web.deps import container
from web.identity import SESSION_COOKIE, session_secret

R = TypeVar("R", bound=BaseResponse)


def attach_session(response: BaseResponse, user: users.UserView, uow: UnitOfWorkPort | None = None) -> str:
    """Start a browser session for ``user`` and set its cookie on ``response`` (the API
    and the sign-in pages alike); returns the session's CSRF token. With ``uow``, in
    that transaction (a sign-in's, which holds the user's row)."""
    settings = container().settings
    lifetime = timedelta(days=settings.session_days)
    secure = settings.environment != "development"  # both cookies: HTTPS only outside `recital serve`
    if uow is not None:
        session = credentials.start_session(uow, user, lifetime)
        fingerprint = users.password_fingerprint(uow, user.handle)  # a rehash in this sign-in included
    else:
        with container().uow() as own:
            session = credentials.start_session(own, user, lifetime)
            fingerprint = users.password_fingerprint(own, user.handle)
    response.set_cookie(
        SESSION_COOKIE,
        session.secret,
        max_age=int(settings.session_days * 86400),
        httponly=True,
        samesite="Lax",
        secure=secure,
        path="/",
    )
    known_devices.remember(response, user.handle, fingerprint, secure=secure)
    return session.csrf_token


def end_browser_session(response: R) -> R:
    """End this request's session (if any) and clear its cookie on ``response``."""
    secret = session_secret()
    if secret:
        with container().uow() as uow:
            credentials.end_session(uow, secret)
    return without_cookie(response)


def without_cookie(response: R) -> R:
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="Lax")
    return response
