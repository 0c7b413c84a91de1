"""The one seam that turns a request into a user.

In order: an ``Authorization: Bearer rct_…`` API token, then the browser's
session cookie (with its CSRF token required on unsafe methods). Nothing a
client asserts about itself is believed: ``X-Learner-Id`` and the like are
ignored. An identity-aware proxy (Google IAP, or any gateway that forwards a
signed JWT from an identity provider) would plug in here as a third source:
verify the assertion header's signature and audience, then map its subject
to a user (see docs/accounts.md). Routes and pages only ever call
``current_learner()`` / ``current_admin()``; services take the ``UserView``.
"""

from __future__ import annotations

import hmac

from flask import g, request

from shared.services import credentials
from shared.services.errors import ErrorKind, ServiceError
from shared.services.users import UserView
from web.deps import container

SESSION_COOKIE = "recital_session"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"  # the same token as a hidden form field, for server-rendered pages
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_UNSET = object()


def current_learner() -> UserView:
    """The signed-in user (learner or admin), or 401."""
    user = optional_user()
    if user is None:
        raise ServiceError(
            ErrorKind.UNAUTHENTICATED,
            "authentication_required",
            "Sign in, or send an API token as 'Authorization: Bearer rct_…'.",
        )
    return user


def current_admin() -> UserView:
    user = current_learner()
    if not user.is_admin:
        raise ServiceError(ErrorKind.FORBIDDEN, "admin_only", "Only an admin may do this.")
    return user


def optional_user() -> UserView | None:
    """The user, or None for an anonymous request; resolved once per request."""
    found = g.get("recital_user", _UNSET)
    if found is _UNSET:
        found = _resolve()
        g.recital_user = found
    return found


def session_csrf_token() -> str | None:
    """The CSRF token of the cookie session behind this request (pages put it in forms)."""
    optional_user()
    return g.get("recital_csrf")


def session_secret() -> str | None:
    return request.cookies.get(SESSION_COOKIE) or None


def signed_in_with() -> str | None:
    """The secret this request was signed in with: its API token, else its session's."""
    token = bearer_secret()
    return token.strip() if token is not None else session_secret()


def bearer_secret() -> str | None:
    """What ``Authorization: Bearer …`` carries; None for no header or another scheme.

    Another scheme is no API token: a browser that has opened ``/metrics`` sends its
    Basic credentials with every request to the site (that protection space is ``/``),
    and taking them for a bad token sent its learner to sign in again and again (QA)."""
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    return secret if scheme.lower() == "bearer" else None


def _resolve() -> UserView | None:
    token = bearer_secret()
    if token is not None:
        return _from_token(token)
    secret = session_secret()
    if secret:
        return _from_session(secret)
    return None


def _from_token(secret: str) -> UserView:
    user = None
    if secret.startswith(credentials.TOKEN_PREFIX):
        # Autocommit: one SELECT, and at most once a minute one UPDATE, each its
        # own statement, so no BEGIN and ROLLBACK round trips on every API request.
        with container().uow(autocommit=True) as uow:
            user = credentials.token_user(uow, secret.strip())
    if user is None:  # a bad token never falls back to a cookie
        raise ServiceError(
            ErrorKind.UNAUTHENTICATED, "invalid_token", "That API token is unknown or revoked."
        )
    return user


def _from_session(secret: str) -> UserView | None:
    with container().uow() as uow:
        found = credentials.session_user(uow, secret)
    if found is None:
        return None  # expired or signed out: anonymous
    user, csrf = found
    g.recital_csrf = csrf
    if request.method not in SAFE_METHODS and not _csrf_matches(csrf):
        raise ServiceError(
            ErrorKind.FORBIDDEN,
            "csrf_failed",
            f"Send the session's CSRF token in the {CSRF_HEADER} header (or the {CSRF_FIELD} form field).",
        )
    return user


def _csrf_matches(expected: str) -> bool:
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        sent = request.form.get(CSRF_FIELD)
    return sent is not None and hmac.compare_digest(sent.encode(), expected.encode())
