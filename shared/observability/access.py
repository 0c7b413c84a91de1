"""Who may read the metrics: HTTP basic auth against ``RECITAL_METRICS_BASIC_AUTH``.

The same protection as Flower (``user:password`` from the environment). With
no credentials configured every request is refused: metrics name queues,
engines and volumes, which are nobody's business by default.
"""

from __future__ import annotations

import base64
import binascii
import hmac

from pydantic import SecretStr

CHALLENGE = 'Basic realm="recital metrics", charset="UTF-8"'


def configured(secret: SecretStr | None) -> bool:
    """Both halves of ``user:password`` are set."""
    user, _, password = (secret.get_secret_value() if secret else "").partition(":")
    return bool(user and password)


def allowed(authorization: str | None, secret: SecretStr | None) -> bool:
    """Whether an ``Authorization`` header carries exactly the configured ``user:password``."""
    if not configured(secret) or not authorization:
        return False
    scheme, _, encoded = authorization.partition(" ")
    if scheme.lower() != "basic":
        return False
    try:
        given = base64.b64decode(encoded.strip(), validate=True)
    except (binascii.Error, ValueError):
        return False
    expected = secret.get_secret_value().encode() if secret else b""
    return hmac.compare_digest(given, expected)  # constant time: no guessing by timing
