"""Settings checked when they are loaded: URLs, rate limits and the scoring thresholds.

A bad value must stop start-up with the variable named (never its value),
not fail later at first use with a traceback that may print it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from pydantic import ValidationError
from sqlalchemy import text

from shared.db.engine import build_engine
from shared.settings import Settings
from shared.storage.factory import build_storage

SECRET = "hunter2SECRET"


def refusal(**values: object) -> tuple[tuple[str | int, ...], str]:
    """Where the one settings error is and everything it says (input included, if any)."""
    with pytest.raises(ValidationError) as caught:
        Settings(**values)  # type: ignore[arg-type]
    (error,) = caught.value.errors(include_url=False)
    return error["loc"], str(caught.value)


# --- RECITAL_DATABASE_URL


@pytest.mark.parametrize(
    ("given", "loaded"),
    [
        ("postgres://u:pw@h/x", "postgresql+psycopg://u:pw@h/x"),
        ("postgresql://u:pw@h:5433/x?sslmode=require", "postgresql+psycopg://u:pw@h:5433/x?sslmode=require"),
        ("POSTGRES://u@h/x", "postgresql+psycopg://u@h/x"),
        ("postgresql+psycopg://u:p%40ss@h/x", "postgresql+psycopg://u:p%40ss@h/x"),
        ("sqlite:///relative/recital.db", "sqlite:///relative/recital.db"),
        ("sqlite:////abs/recital.db", "sqlite:////abs/recital.db"),
        ("sqlite://", "sqlite://"),
    ],
)
def test_driverless_postgres_urls_become_psycopg_and_others_stay(given: str, loaded: str) -> None:
    assert Settings(database_url=given).database_url == loaded


def test_a_postgres_url_from_the_environment_reaches_a_real_database(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The form Heroku and Cloud SQL hand out: SQLAlchemy has no "postgres" dialect.
    monkeypatch.setenv("RECITAL_DATABASE_URL", "postgres://" + pg_url.split("://", 1)[1])
    engine = build_engine(Settings())
    try:
        with engine.connect() as connection:
            assert connection.execute(text("select 1")).scalar() == 1
    finally:
        engine.dispose()


def test_the_embedded_default_is_still_sqlite_in_home(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path)
    assert settings.database_url == ""
    assert settings.resolved_database_url == f"sqlite:///{(tmp_path / 'recital.db').resolve()}"
    engine = build_engine(settings)
    try:
        with engine.connect() as connection:
            assert connection.execute(text("select 1")).scalar() == 1
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    "given",
    [
        f"mysql://u:{SECRET}@h/x",
        f"postgresql+psycopg2://u:{SECRET}@h/x",  # a driver not installed: not rewritten, refused
        f"postgresql+asyncpg://u:{SECRET}@h/x",
        f"u:{SECRET}@h/x",  # no scheme
        SECRET,
        f"postgres://u:{SECRET}@h:port/x",  # malformed: port is not a number
    ],
)
def test_an_unusable_database_url_is_a_settings_error_without_its_value(given: str) -> None:
    loc, said = refusal(database_url=given)
    assert loc == ("database_url",)
    assert "database URL" in said and SECRET not in said


# --- RECITAL_STORAGE_URL


@pytest.mark.parametrize(
    "given", ["file:///srv/recital/storage", "file://localhost/srv/x", "gs://bucket/prefix"]
)
def test_a_storage_url_the_factory_can_use_is_accepted(given: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STORAGE_EMULATOR_HOST", "http://127.0.0.1:1")  # no credentials needed, no call made
    settings = Settings(storage_url=given)
    assert settings.resolved_storage_url == given
    build_storage(settings.resolved_storage_url)  # the two lists of schemes agree


def test_the_embedded_storage_default_still_builds(tmp_path: Path) -> None:
    build_storage(Settings(home=tmp_path).resolved_storage_url)


@pytest.mark.parametrize(
    "given",
    [
        f"s3://{SECRET}",
        f"/srv/{SECRET}",  # a bare path: the factory wants file://
        f"file://{SECRET}/storage",  # a host: the factory would drop it and use /storage
        "gs://",
        f"http://[{SECRET}",
        "file://",
    ],
)
def test_an_unusable_storage_url_is_a_settings_error_without_its_value(given: str) -> None:
    loc, said = refusal(storage_url=given)
    assert loc == ("storage_url",)
    assert "storage URL" in said and SECRET not in said


# --- RECITAL_RATE_LIMIT_*

RATE_LIMITS = ["rate_limit_per_ip", "rate_limit_sign_in", "rate_limit_uploads", "rate_limit_writes"]


@pytest.mark.parametrize("field", RATE_LIMITS)
@pytest.mark.parametrize("given", [SECRET, "", "ten per minute", "10 per fortnight"])
def test_a_rate_limit_the_limiter_cannot_read_is_a_settings_error(field: str, given: str) -> None:
    loc, said = refusal(**{field: given})
    assert loc == (field,)
    assert "rate limit" in said and SECRET not in said


@pytest.mark.parametrize(
    "given", ["10 per minute", "10/minute", "20 per minute; 300 per day", "5 per 30 seconds"]
)
def test_the_limits_notation_is_accepted(given: str) -> None:
    assert Settings(rate_limit_uploads=given).rate_limit_uploads == given


def test_settings_load_where_the_rate_limiter_is_not_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    # The worker image has no `limits` (requirements/web.txt) and never reads
    # the rate limits; loading its settings must not need the library.
    monkeypatch.setitem(sys.modules, "limits", None)
    assert Settings(rate_limit_sign_in="garbage").rate_limit_sign_in == "garbage"


# --- RECITAL_HESITATION_SECONDS and RECITAL_PROMPTED_SECONDS


def test_prompted_below_a_hesitation_is_refused() -> None:
    loc, said = refusal(hesitation_seconds=5, prompted_seconds=1)
    assert loc == ()
    assert "RECITAL_PROMPTED_SECONDS" in said and "RECITAL_HESITATION_SECONDS" in said


@pytest.mark.parametrize(("hesitation", "prompted"), [(1.0, 3.0), (2.0, 2.0)])
def test_prompted_at_or_above_a_hesitation_is_accepted(hesitation: float, prompted: float) -> None:
    settings = Settings(hesitation_seconds=hesitation, prompted_seconds=prompted)
    assert settings.scoring_options().prompted_seconds == prompted


SECRET_FIELDS = ("openai_api_key", "signing_key", "flower_basic_auth", "metrics_basic_auth")


@pytest.mark.parametrize("field", SECRET_FIELDS)
@pytest.mark.parametrize("given", ["", "  "])
def test_a_secret_set_to_nothing_is_unset(field: str, given: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """.env.example lists each secret as NAME= : that is not a secret of "" (QA: an empty
    signing key signed links anyone could forge; an empty API key turned on the coach)."""
    monkeypatch.setenv(f"RECITAL_{field.upper()}", given)
    assert getattr(Settings(), field) is None
    assert getattr(Settings(**{field: given}), field) is None


@pytest.mark.parametrize("given", ["not-set", " not-set\n"])
def test_the_deployments_placeholder_key_is_refused(given: str) -> None:
    """Terraform's placeholder, passed on as a key, would fail every request to OpenAI."""
    loc, said = refusal(openai_api_key=given)
    assert loc == ("openai_api_key",) and "deploy/README.md, step 5" in said
    assert Settings(openai_api_key="sk-not-set-but-real").openai_api_key is not None


def test_the_openai_engine_without_its_key_is_refused_at_load(monkeypatch: pytest.MonkeyPatch) -> None:
    """Not at each recording: a worker would fail every attempt with engine_not_configured."""
    monkeypatch.setenv("RECITAL_TRANSCRIBER", "openai")
    with pytest.raises(ValidationError) as caught:
        Settings()
    said = str(caught.value)
    assert "RECITAL_OPENAI_API_KEY" in said and "RECITAL_TRANSCRIBER=offline" in said
    monkeypatch.setenv("RECITAL_OPENAI_API_KEY", "sk-test")
    assert Settings().transcriber == "openai"
    assert Settings(transcriber="offline").openai_api_key is not None


def test_a_short_signing_key_is_refused_without_its_value() -> None:
    with pytest.raises(ValidationError) as caught:
        Settings(signing_key="guessable-key")
    assert "at least 32 characters" in str(caught.value) and "guessable" not in str(caught.value)
    assert Settings(signing_key="k" * 32).signing_key is not None
