"""What an OpenAI refusal tells the pipeline: retry later, or fail with a reason.

A 408, 409, 429 or a 5xx is worth another try (after the server's ``Retry-After``);
a 401 or 403 is our credentials' fault (``engine_unavailable``, for the
fallback); any other status is the request's fault, reported without the key
or anything that looks like one (the API echoes masked keys in some messages).
"""

from __future__ import annotations

import re

import openai

from shared.transcription.openai.retry import RetryableError, parse_retry_after
from shared.transcription.port import TranscriptionError

# What the SDK itself retries (its retries are off: retry.py decides): a request
# timeout (a gateway's 408), a conflict (409), a rate limit; and every 5xx.
RETRIED = frozenset({408, 409, 429})
_SECRETISH = re.compile(r"\b(sk|key)-[A-Za-z0-9_\-*]{6,}")


def classify_status(exc: openai.APIStatusError, key: str) -> Exception:
    """The error to raise for a refused request: retryable, ``engine_unavailable``
    (credentials), or ``engine_rejected``."""
    status = exc.status_code
    if status in RETRIED or status >= 500:
        headers = {k.lower(): v for k, v in exc.response.headers.items()}
        return RetryableError(f"HTTP {status}", parse_retry_after(headers))
    if status in (401, 403):
        # Our key or project, not this recording: the service is unavailable to us.
        # Retryable, so the fallback scores the attempt and the breaker (and its
        # alert, which names the key) opens; "record it again" could not help.
        return TranscriptionError(
            "engine_unavailable", f"OpenAI refused Recital's credentials (HTTP {status})", retryable=True
        )
    detail = f": {redact(_error_message(exc), key)}"
    return TranscriptionError(
        "engine_rejected",
        f"OpenAI rejected the request (HTTP {status}){detail}",
        retryable=False,
    )


def redact(text: str, key: str) -> str:
    """The text without the key or anything shaped like a key."""
    return _SECRETISH.sub("[redacted]", text.replace(key, "[redacted]") if key else text)


def _error_message(exc: openai.APIStatusError) -> str:
    body = exc.body
    if isinstance(body, dict):
        message = body.get("message")
        if isinstance(message, str):
            return message[:300]
    return type(exc).__name__
