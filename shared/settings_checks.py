"""Checks on settings whose values are URLs or notations, not plain numbers.

Each one runs when the settings are loaded, so a bad value stops every
process at start with the variable named, instead of failing (with a
traceback showing the value) at first use. The messages never contain the
value: a database URL can carry a password.
"""

from __future__ import annotations

from urllib.parse import urlparse

from pydantic import SecretStr

# psycopg 3 is the project's driver. The driver-less forms are what Heroku,
# Cloud SQL and many tools hand out; SQLAlchemy reads them as psycopg2 (not
# installed) or, for postgres://, as no dialect at all.
POSTGRES = "postgresql+psycopg"
_DRIVERLESS_POSTGRES = frozenset({"postgres", "postgresql"})
_DATABASE_SCHEMES = frozenset({POSTGRES, "sqlite", "sqlite+pysqlite"})
_DATABASE_USAGE = "use postgresql+psycopg://, postgresql://, postgres:// or sqlite:///path"


def database_url(value: str) -> str:
    """The URL with a driver-less Postgres scheme rewritten to psycopg 3; empty stays empty."""
    if not value:  # the embedded default: SQLite in home (Settings.resolved_database_url)
        return value
    scheme, separator, rest = value.partition("://")
    scheme = scheme.lower()
    if scheme in _DRIVERLESS_POSTGRES:
        scheme = POSTGRES
    if not separator or scheme not in _DATABASE_SCHEMES:
        raise ValueError(f"unsupported database URL; {_DATABASE_USAGE}")
    # Only the scheme is rewritten: the rest (password escapes, query) stays as given.
    url = f"{scheme}://{rest}"
    _require_sqlalchemy_parses(url)
    return url


def _require_sqlalchemy_parses(url: str) -> None:
    # Imported here: only a non-default database URL pays for SQLAlchemy at load.
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        make_url(url)
    except (ArgumentError, ValueError):  # their messages quote the URL, so none is passed on
        raise ValueError(f"malformed database URL; {_DATABASE_USAGE}") from None


def storage_url(value: str) -> str:
    """The URL if ``shared.storage.factory.build_storage`` can use it; empty stays empty."""
    if not value:  # the embedded default: home/storage (Settings.resolved_storage_url)
        return value
    try:
        parsed = urlparse(value)
    except ValueError:  # e.g. an unclosed [ in the host
        parsed = None
    # The factory takes file:// (a local path; a host would be silently dropped)
    # and gs://bucket[/prefix]; anything else fails there, at the first request.
    if parsed is not None and parsed.scheme == "file" and parsed.path and parsed.netloc in ("", "localhost"):
        return value
    if parsed is not None and parsed.scheme == "gs" and parsed.netloc:
        return value
    raise ValueError("unsupported storage URL; use file:///absolute/path or gs://bucket[/prefix]")


def rate_limit(value: str) -> str:
    """The value if the web's rate limiter (``limits.parse_many``, web/limits.py) can read it."""
    try:
        from limits import parse_many
    except ImportError:
        # The worker image has no web dependencies, and workers never read the
        # rate limits; the web image has the library, so the web still checks.
        return value
    try:
        parse_many(value)
    except ValueError:  # its message quotes the value
        raise ValueError(
            'not a rate limit; use the limits notation, e.g. "20 per minute; 300 per day"'
        ) from None
    return value


MIN_SIGNING_KEY_CHARS = 32


def unset_if_blank(value: object) -> object:
    """A secret given as nothing (or spaces) is not given: no key of "" signs or opens anything."""
    if isinstance(value, str) and not value.strip():
        return None
    return value


def signing_key(value: SecretStr | None) -> SecretStr | None:
    """Long enough that nobody guesses it: whoever knows the key can sign any recording link."""
    if value is not None and len(value.get_secret_value()) < MIN_SIGNING_KEY_CHARS:
        raise ValueError(
            f"RECITAL_SIGNING_KEY must be at least {MIN_SIGNING_KEY_CHARS} characters: "
            "a random value, e.g. from openssl rand -hex 32"
        )
    return value


# The first version Terraform writes of the OpenAI key's secret (deploy/terraform/secrets.tf).
OPENAI_KEY_PLACEHOLDER = "not-set"


def openai_api_key(value: SecretStr | None) -> SecretStr | None:
    """Never the deployment's placeholder: sent as a key, every request to OpenAI fails."""
    if value is not None and value.get_secret_value().strip() == OPENAI_KEY_PLACEHOLDER:
        raise ValueError(
            f"RECITAL_OPENAI_API_KEY is the placeholder {OPENAI_KEY_PLACEHOLDER}: "
            "add the real key (deploy/README.md, step 5) or leave it unset"
        )
    return value


def engine_has_its_key(transcriber: str, key: SecretStr | None) -> None:
    """The OpenAI engine needs its key before the first recording, not at it.

    Without this check a worker starts, takes every recording and fails each
    one (``engine_not_configured``) with no fallback: the learner is told the
    engine failed for a setting only ops can change.
    """
    if transcriber == "openai" and key is None:
        raise ValueError(
            "RECITAL_TRANSCRIBER=openai needs RECITAL_OPENAI_API_KEY; "
            "set it, or use RECITAL_TRANSCRIBER=offline"
        )
