"""Failed sign-ins counted per handle (web/limits.py): the counter's key, and lifting it.

The key is the handle as the database matches it (any case), hashed, so the
rate-limit store holds no handles. ``recital users unlock``, ``set-password`` and
a learner's own password change clear it: an operator who has helped a learner
locked out by someone else's guesses lets them straight back in.
"""

from __future__ import annotations

import hashlib
import logging

from limits import parse_many
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from shared.settings import Settings

log = logging.getLogger(__name__)

SCOPE = "sign-in-failures"
KEY_PREFIX = "recital"  # the Limiter's key_prefix


def handle_key(handle: str) -> str:
    return "handle:" + hashlib.sha256(handle.strip().lower().encode()).hexdigest()[:32]


def forget_after_change(settings: Settings, handle: str) -> None:
    """After the learner's own password change: a guesser's count of the old password's
    failures no longer stands between the learner and signing in with the new one.
    If the store does not answer, the failures keep counting down by themselves."""
    try:
        clear(settings, handle)
    except Exception as exc:  # redis-py or the limits library: the store did not answer
        log.warning("could not forget failed sign-ins after a password change (%s)", type(exc).__name__)


def clear(settings: Settings, handle: str) -> bool:
    """Forget the handle's failed sign-ins. False when the counters live in each web
    process's memory (no Redis), where no other process can reach them."""
    uri = settings.resolved_rate_limit_storage_url
    if uri.startswith("memory://"):
        return False
    storage = storage_from_string(uri, socket_connect_timeout=2, socket_timeout=2)
    window = MovingWindowRateLimiter(storage)
    for item in parse_many(settings.rate_limit_sign_in_failures):
        window.clear(item, KEY_PREFIX, handle_key(handle), SCOPE)  # key_for adds "LIMITER/"
    return True
