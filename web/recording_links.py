"""Short-lived, signed links to a recording (itsdangerous, ``RECITAL_SIGNING_KEY``).

A learner never gets a storage URL or a permanent path: ``GET
/attempts/{id}/recording`` checks ownership, then issues a link valid for
``LINK_SECONDS`` that names only the attempt. Every web process must share the
key (set ``RECITAL_SIGNING_KEY``); without it each process signs with its own
random key, which is fine for one process and the tests.
"""

from __future__ import annotations

import logging
import secrets
import uuid

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from shared.services.errors import ErrorKind, ServiceError

LINK_SECONDS = 300
_SALT = "recital.recording-link"
log = logging.getLogger("recital.web")


def serializer(salt: str = _SALT) -> URLSafeTimedSerializer:
    """A signer for one purpose (``salt``), keyed by ``RECITAL_SIGNING_KEY``."""
    return URLSafeTimedSerializer(_secret(), salt=salt)


def _secret() -> str:
    found: str | None = current_app.extensions.get("recital.signing_secret")
    if found is None:
        key = current_app.extensions["recital"].settings.signing_key
        if key is None:
            log.warning("RECITAL_SIGNING_KEY is not set: signed links work only in this process")
        found = key.get_secret_value() if key is not None else secrets.token_hex(32)
        current_app.extensions["recital.signing_secret"] = found
    return found


def sign(attempt_id: uuid.UUID) -> str:
    return str(serializer().dumps(str(attempt_id)))


def verify(token: str) -> uuid.UUID:
    """The attempt a valid, unexpired link names; 403 with a specific code otherwise."""
    try:
        return uuid.UUID(serializer().loads(token, max_age=LINK_SECONDS))
    except SignatureExpired:
        raise ServiceError(
            ErrorKind.FORBIDDEN, "recording_link_expired", "This link has expired; ask for a new one."
        ) from None
    except (BadSignature, ValueError, TypeError):
        raise ServiceError(ErrorKind.FORBIDDEN, "recording_link_invalid", "This link is not valid.") from None
