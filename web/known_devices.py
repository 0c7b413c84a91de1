"""Browsers a learner has signed in from: their failed sign-ins are counted apart.

Failed sign-ins are counted per handle (web/limits.py), so a stranger failing
on purpose could keep a learner out until an operator unlocked them. A
successful sign-in or sign-up therefore leaves a signed, long-lived cookie
naming the handle's counter, a random nonce and a stamp of the account's
current password (OWASP's "device cookies"). A sign-in that carries it for the
handle it names, with the stamp still current, is counted against that
browser, not the handle: the learner's own browser still gets in while a
stranger's guesses keep the handle locked everywhere else.

The cookie signs nobody in and holds no handle (only the counter's keyed hash)
nor password (only a keyed hash of the user's id and password hash). Forging
one needs ``RECITAL_SIGNING_KEY``. A new password, an operator's included,
makes every cookie of the old one a stranger's (QA: cookies collected before a
password change each kept a budget of guesses at the new one), as does a new
account under a deleted one's handle. Each successful sign-in gives the
browser a new nonce, so its own typos are forgotten then.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from typing import Any

from flask import g, request
from itsdangerous import BadSignature
from werkzeug.sansio.response import Response as BaseResponse

from shared.services import users
from web.deps import container
from web.recording_links import serializer
from web.sign_in_failures import handle_key

COOKIE = "recital_device"
MAX_AGE_SECONDS = 365 * 86400
MAX_HANDLES = 5  # a family's shared laptop; the oldest handle is forgotten first
_SALT = "recital.known-device"
log = logging.getLogger("recital.web")


def remember(response: BaseResponse, handle: str, fingerprint: str | None, *, secure: bool) -> None:
    """After a successful sign-in or sign-up: this browser now knows ``handle`` with the
    password ``fingerprint`` names (``users.password_fingerprint``, read in the sign-in's
    own transaction)."""
    if fingerprint is None:
        return
    key = handle_key(handle, container().settings)
    entries = [[key, secrets.token_hex(12), _stamp(fingerprint)]] + [e for e in _entries() if e[0] != key]
    response.set_cookie(
        COOKIE,
        serializer(_SALT).dumps(entries[:MAX_HANDLES]),
        max_age=MAX_AGE_SECONDS,
        httponly=True,
        samesite="Lax",
        secure=secure,
        path="/",
    )


def counter_for(handle: str) -> str:
    """The failure counter a password typed for ``handle`` falls under: this browser's
    own when it has signed in with the handle's current password before, else the
    handle's. Never raises (it is a rate-limit key function)."""
    key = handle_key(handle, container().settings)
    try:
        mine = [entry for entry in _entries() if entry[0] == key]
        current = _current_stamp(handle) if mine else None
    except Exception:  # noqa: BLE001 - see learner_or_ip in web/limits.py: never raise here
        log.warning("device cookie unreadable; counted as the handle's", exc_info=True)
        return key
    for _, nonce, stamp in mine:
        if current is not None and hmac.compare_digest(stamp, current):
            return f"{key}:device:{nonce}"
    return key


def _current_stamp(handle: str) -> str | None:
    """Read once per request (the limiter asks before and after the view)."""
    stamps: dict[str, str | None] = g.setdefault("known_device_stamps", {})
    if handle not in stamps:
        try:
            with container().uow() as uow:
                fingerprint = users.password_fingerprint(uow, handle)
        except Exception as exc:  # noqa: BLE001 - a database that is down: a browser like any other
            log.warning("could not read the account for a device cookie (%s)", type(exc).__name__)
            fingerprint = None
        stamps[handle] = None if fingerprint is None else _stamp(fingerprint)
    return stamps[handle]


def _stamp(fingerprint: str) -> str:
    secret = serializer(_SALT).secret_key  # RECITAL_SIGNING_KEY, as the signature's
    return hmac.new(secret, fingerprint.encode(), hashlib.sha256).hexdigest()[:32]


def _entries() -> list[list[str]]:
    raw = request.cookies.get(COOKIE)
    if not raw:
        return []
    try:
        loaded: Any = serializer(_SALT).loads(raw, max_age=MAX_AGE_SECONDS)
    except BadSignature:  # tampered, from another key, or expired: a browser like any other
        return []
    if not isinstance(loaded, list):
        return []
    return [e for e in loaded if isinstance(e, list) and len(e) == 3 and all(isinstance(v, str) for v in e)]
