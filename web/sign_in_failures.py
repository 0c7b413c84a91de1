"""Failed sign-ins counted per handle (web/limits.py): the counter's key, and lifting it.

The key is the handle as the database matches it (any case), keyed-hashed, so
the rate-limit store holds no handles. ``recital users unlock``, ``set-password`` and
a learner's own password change clear it: an operator who has helped a learner
locked out by someone else's guesses lets them straight back in.
"""

from __future__ import annotations

import hashlib
import hmac
import logging

from limits.storage import RedisStorage, storage_from_string

from shared.settings import Settings

log = logging.getLogger(__name__)

SCOPE = "sign-in-failures"
SIGNED_IN = ":signed-in"  # the counter of wrong passwords typed again in a session (web/limits.py)
KEY_PREFIX = "recital"  # the Limiter's key_prefix


def handle_key(handle: str, settings: Settings) -> str:
    """The handle's counter name: keyed with ``RECITAL_SIGNING_KEY`` (HMAC-SHA256), so
    neither the store, the limiter's log lines nor a browser's cookie give the handle
    back to a word list (QA: a plain sha256 of "alice" did). Without a key (one
    process, the tests), a plain sha256: the CLI must name the same counter."""
    name = handle.strip().lower().encode()
    key = settings.signing_key
    if key is None:
        return "handle:" + hashlib.sha256(name).hexdigest()[:32]
    return "handle:" + hmac.new(key.get_secret_value().encode(), name, hashlib.sha256).hexdigest()[:32]


def forget_after_change(settings: Settings, handle: str) -> None:
    """After the learner's own password change: a guesser's count of the old password's
    failures no longer stands between the learner and signing in with the new one.
    If the store does not answer, the failures keep counting down by themselves."""
    try:
        clear(settings, handle)
    except Exception as exc:  # redis-py or the limits library: the store did not answer
        log.warning("could not forget failed sign-ins after a password change (%s)", type(exc).__name__)


def clear(settings: Settings, handle: str) -> int | None:
    """Forget the handle's failed sign-ins: how many counting windows held them; None when
    the counters live in each web process's memory (no Redis), where no other process can
    reach them. Every window of the handle goes, whatever its amount and period: the
    library's key names the limit ("…/3/1/day"), and the web's setting may differ from
    this process's (QA: an unlock run without the web's setting cleared nothing)."""
    uri = settings.resolved_rate_limit_storage_url
    if uri.startswith("memory://"):
        return None
    storage = storage_from_string(uri, socket_connect_timeout=2, socket_timeout=2)
    if not isinstance(storage, RedisStorage):  # settings_checks admits Redis or memory only
        raise TypeError(f"the rate-limit store is not Redis ({type(storage).__name__})")
    keys, key = [], handle_key(handle, settings)
    for counter in (key, f"{key}:device:*", key + SIGNED_IN):  # web/known_devices.py, web/limits.py
        pattern = storage.prefixed_key(f"LIMITER/{KEY_PREFIX}/{counter}/{SCOPE}/*")
        keys += list(storage.storage.scan_iter(match=pattern, count=100))
    return int(storage.storage.delete(*keys)) if keys else 0
