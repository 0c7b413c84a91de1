"""Browsers a learner has signed in from: their failed sign-ins are counted apart.

Failed sign-ins are counted per handle (web/limits.py), so a stranger failing
on purpose could keep a learner out until an operator unlocked them. A
successful sign-in or sign-up therefore leaves a signed, long-lived cookie
naming the handle's counter and a random nonce (OWASP's "device cookies"). A
sign-in that carries it for the handle it names is counted against that
browser, not the handle: the learner's own browser still gets in while a
stranger's guesses keep the handle locked everywhere else.

The cookie signs nobody in and holds no handle (only the counter's hash).
Forging one needs ``RECITAL_SIGNING_KEY``; a stolen one buys its holder the
same number of guesses as the handle's own limit, no more. Each successful
sign-in gives the browser a new nonce, so its own typos are forgotten then.
"""

from __future__ import annotations

import secrets
from typing import Any

from flask import request
from itsdangerous import BadSignature
from werkzeug.sansio.response import Response as BaseResponse

from web.recording_links import serializer
from web.sign_in_failures import handle_key

COOKIE = "recital_device"
MAX_AGE_SECONDS = 365 * 86400
MAX_HANDLES = 5  # a family's shared laptop; the oldest handle is forgotten first
_SALT = "recital.known-device"


def remember(response: BaseResponse, handle: str, *, secure: bool) -> None:
    """After a successful sign-in or sign-up: this browser now knows ``handle``."""
    key = handle_key(handle)
    entries = [(key, secrets.token_hex(12))] + [e for e in _entries() if e[0] != key]
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
    """The failure counter a sign-in naming ``handle`` falls under: this browser's own
    when it has signed in with the handle before, else the handle's. Never raises
    (it is a rate-limit key function)."""
    key = handle_key(handle)
    for known, nonce in _entries():
        if known == key:
            return f"{key}:device:{nonce}"
    return key


def _entries() -> list[tuple[str, str]]:
    raw = request.cookies.get(COOKIE)
    if not raw:
        return []
    try:
        loaded: Any = serializer(_SALT).loads(raw, max_age=MAX_AGE_SECONDS)
    except BadSignature:  # tampered, from another key, or expired: a browser like any other
        return []
    if not isinstance(loaded, list):
        return []
    return [(k, n) for k, n in (e for e in loaded if isinstance(e, list) and len(e) == 2) if _texts(k, n)]


def _texts(*values: object) -> bool:
    return all(isinstance(v, str) for v in values)
