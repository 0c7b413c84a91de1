"""Who may read the metrics: exactly the configured user:password, nobody when none is set."""

from __future__ import annotations

import base64

from pydantic import SecretStr

from shared.observability.access import allowed

SECRET = SecretStr("ops:long-password")


def basic(credentials: str) -> str:
    return "Basic " + base64.b64encode(credentials.encode()).decode()


def test_only_the_configured_credentials_pass() -> None:
    assert allowed(basic("ops:long-password"), SECRET)
    assert allowed("basic " + basic("ops:long-password").split()[1], SECRET)  # the scheme in any case
    for wrong in ("ops:long-passwordx", "ops:", ":long-password", "ops", "ops:long-passwor"):
        assert not allowed(basic(wrong), SECRET), wrong
    assert not allowed(None, SECRET)
    assert not allowed("Bearer ops:long-password", SECRET)
    assert not allowed("Basic not-base64!", SECRET)


def test_nobody_passes_without_configured_credentials() -> None:
    for secret in (None, SecretStr(""), SecretStr("ops:"), SecretStr(":pw")):
        assert not allowed(basic("ops:"), secret)
        assert not allowed(basic(":"), secret)
        assert not allowed(basic(""), secret)
