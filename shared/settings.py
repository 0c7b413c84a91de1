"""One typed settings object for Flask, Celery and the CLI.

Every value comes from a ``RECITAL_*`` environment variable (or a ``.env``
file). The defaults are the embedded mode: a SQLite file, a local storage
directory, an in-process Celery worker and the offline engine, so nothing
needs a server.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from shared import settings_checks

if TYPE_CHECKING:
    from shared.domain.scoring import ScoringOptions

DEFAULT_HOME = Path(".recital")


class Settings(BaseSettings):
    # hide_input_in_errors: a validation error names the variable and the rule,
    # never the value (a bad setting once printed the raw settings, API key included).
    # env_ignore_empty: ".env.example"'s "RECITAL_SIGNING_KEY=" is unset, not a key of
    # nothing (an empty signing key let anyone sign a recording link).
    model_config = SettingsConfigDict(
        env_prefix="RECITAL_",
        env_file=".env",
        extra="ignore",
        frozen=True,
        hide_input_in_errors=True,
        env_ignore_empty=True,
    )

    home: Path = Field(DEFAULT_HOME, description="Folder for embedded data.")
    database_url: str = Field("", description="SQLAlchemy URL; empty: SQLite in home.")
    broker_url: str = Field("memory://", description="Celery broker; memory:// is in-process.")
    storage_url: str = Field("", description="file:///path or gs://bucket; empty: home/storage.")
    storage_web_deadline_seconds: float = Field(
        15.0,
        gt=0,
        description="The web's longest wait on GCS per call, retries included (then 503);"
        " a third per request. Workers keep the client's own retry (about 2 min).",
    )
    transcriber: Literal["offline", "openai"] = "offline"
    fallback_transcriber: Literal["offline", "none"] = "offline"

    max_upload_bytes: int = Field(50 * 1024 * 1024, gt=0)
    # Under gunicorn a request body must arrive within this base allowance plus
    # its length at the minimum rate (50 MB: 30 s + 800 s), or it gets 408.
    # How long a signed URL for a direct upload to GCS stays valid.
    direct_upload_seconds: int = Field(15 * 60, gt=0, le=7 * 24 * 3600)
    # Under gunicorn the headers must arrive within this many seconds of the first byte.
    request_header_seconds: float = Field(10.0, gt=0)
    request_body_seconds: float = Field(30.0, gt=0)
    request_body_min_bytes_per_second: int = Field(64 * 1024, gt=0)
    max_duration_seconds: float = Field(60 * 60, gt=0)
    hesitation_seconds: float = Field(1.0, gt=0)
    prompted_seconds: float = Field(3.0, gt=0)

    # Delivery guarantees (see docs/architecture.md, "Delivery guarantees").
    visibility_timeout_seconds: int = Field(3600, gt=0)
    task_hard_time_limit_seconds: int = Field(1800, gt=0)
    task_soft_time_limit_seconds: int = Field(1700, gt=0)
    # A worker renews its lease every lease_seconds / 4 while it works, so a
    # dead worker's attempt is taken over within about one lease.
    lease_seconds: int = Field(120, ge=4)
    max_deliveries: int = Field(3, ge=1)
    sweep_interval_seconds: float = Field(60.0, gt=0)
    stuck_queued_seconds: float = Field(120.0, gt=0)
    worker_max_memory_per_child_kb: int = Field(3_000_000, gt=0)
    statement_timeout_ms: int = Field(30_000, gt=0)
    # A pooled connection idle this long is pinged before use (it may have
    # outlived a Postgres restart); a busy one is not, saving a round trip.
    db_ping_idle_seconds: float = Field(10.0, ge=0)

    # Accounts (docs/accounts.md). Session cookies are Secure except in development.
    environment: Literal["development", "production"] = "production"
    session_days: float = Field(14.0, gt=0, description="A browser stays signed in this long.")

    # Rate limits (web/limits.py), in the `limits` notation: "20 per minute; 300 per day"
    # (checked when the web app is built; workers never read them).
    rate_limits_enabled: bool = True
    rate_limit_storage_url: str = Field("", description="Empty: the broker's Redis, or memory.")
    # Proxies in front of the web that append to X-Forwarded-For (Cloud Run's
    # front end: 1). Only that many hops are believed; 0 believes none.
    trusted_proxies: int = Field(0, ge=0)
    rate_limit_per_ip: str = "600 per minute"
    rate_limit_sign_in: str = "10 per minute"  # per IP, on sign-in and sign-up
    # Failed sign-ins per handle, from every IP together: what a guesser with many
    # addresses gets against one account (NIST SP 800-63B 5.2.2: at most 100).
    rate_limit_sign_in_failures: str = "100 per day"
    rate_limit_uploads: str = "20 per minute; 300 per day"  # per learner
    rate_limit_writes: str = "60 per minute"  # per learner: pieces, tokens, deletions
    max_queued_attempts: int = Field(10, ge=1, description="Per learner, queued or processing.")

    openai_api_key: SecretStr | None = None
    # Signs short-lived recording links; set it in production (one random value
    # shared by every web process). Empty: a random key per process.
    signing_key: SecretStr | None = None
    # "user:password" for Flower (`recital flower` refuses to start without it).
    flower_basic_auth: SecretStr | None = None
    # Flower's task history survives restarts in this file (Flower's --persistent).
    flower_db: Path | None = Field(None, description="Empty: flower.db in home.")
    # "user:password" for /metrics on the web and the worker exporter (401 without it).
    metrics_basic_auth: SecretStr | None = None
    # `recital worker` serves its metrics on this port (0: no exporter) and address.
    worker_metrics_port: int = Field(0, ge=0, le=65535)
    worker_metrics_address: str = "127.0.0.1"
    # One JSON object per log line (production), or plain text; empty: text in development.
    log_format: Literal["json", "text", ""] = ""
    openai_base_url: str | None = None
    openai_model: str = "whisper-1"
    # With a key set, a chat model rewrites each result's rule-built coaching note
    # after scoring (the text of the note only, never the audio).
    openai_coaching_model: str = "gpt-4o-mini"
    openai_max_request_bytes: int = Field(25 * 1024 * 1024, gt=0)
    # Requests in flight per recording. Chunks are planned in full rounds of
    # this many, so the hour (8 x 7.5 min) is one round: wall time ~ one chunk.
    openai_concurrency: int = Field(8, ge=1)
    openai_chunk_seconds: float = Field(600.0, gt=0, description="Longest chunk sent in one request.")
    openai_min_chunk_seconds: float = Field(
        60.0, gt=0, description="Recordings are not cut shorter than this just to run in parallel."
    )
    openai_timeout_seconds: float = Field(120.0, gt=0, description="Per request.")
    openai_max_attempts: int = Field(5, ge=1, description="Tries per chunk on 429, 5xx and timeouts.")
    # After this many attempts in a row fail on a retryable error the breaker
    # opens and attempts go straight to the fallback engine for the reset time.
    openai_breaker_failures: int = Field(5, ge=1)
    openai_breaker_reset_seconds: float = Field(60.0, ge=0)
    # Re-transcription runs (`recital rescore --retranscribe`, docs/rescoring.md): one
    # rate limit shared by every worker (a token bucket in Redis), and a spend cap per
    # run in audio minutes and/or money at a price per audio minute.
    retranscribe_requests_per_minute: float = Field(60.0, gt=0)
    retranscribe_audio_minutes_per_hour: float = Field(600.0, gt=0)
    retranscribe_cap_audio_minutes: float | None = Field(None, gt=0)
    retranscribe_cap_money: float | None = Field(None, gt=0)
    retranscribe_price_per_minute: float = Field(0.006, gt=0)
    # A rescore worker pauses while live attempts are being processed on its
    # machine (its CPU group; empty: the host name), at most this long each time;
    # 0 turns it off (shared/live_work.py, docs/operations.md "Sharing the cores").
    rescore_give_way_seconds: float = Field(2.0, ge=0)
    cpu_group: str = ""

    # URLs and notations are checked at load, not at first use (shared/settings_checks.py).
    _database_url = field_validator("database_url")(settings_checks.database_url)
    _storage_url = field_validator("storage_url")(settings_checks.storage_url)
    _unset_if_blank = field_validator(
        "openai_api_key", "signing_key", "flower_basic_auth", "metrics_basic_auth", mode="before"
    )(settings_checks.unset_if_blank)
    _signing_key = field_validator("signing_key")(settings_checks.signing_key)
    _openai_api_key = field_validator("openai_api_key")(settings_checks.openai_api_key)
    _rate_limits = field_validator(
        "rate_limit_per_ip",
        "rate_limit_sign_in",
        "rate_limit_sign_in_failures",
        "rate_limit_uploads",
        "rate_limit_writes",
    )(settings_checks.rate_limit)

    @model_validator(mode="after")
    def _prompted_is_a_long_hesitation(self) -> Settings:
        # Only a hesitation can mark a word prompted (docs/scoring.md), so a
        # shorter prompted_seconds would be silently the hesitation threshold.
        if self.prompted_seconds < self.hesitation_seconds:
            raise ValueError("RECITAL_PROMPTED_SECONDS must not be below RECITAL_HESITATION_SECONDS")
        return self

    @model_validator(mode="after")
    def _engine_has_its_key(self) -> Settings:
        settings_checks.engine_has_its_key(self.transcriber, self.openai_api_key)
        return self

    @model_validator(mode="after")
    def _time_limits_fit_visibility(self) -> Settings:
        # A task that outlives the broker's visibility timeout is delivered
        # twice; refuse to start with limits that allow it.
        if self.task_hard_time_limit_seconds >= self.visibility_timeout_seconds:
            raise ValueError(
                "RECITAL_TASK_HARD_TIME_LIMIT_SECONDS must be below RECITAL_VISIBILITY_TIMEOUT_SECONDS"
            )
        if self.task_soft_time_limit_seconds >= self.task_hard_time_limit_seconds:
            raise ValueError(
                "RECITAL_TASK_SOFT_TIME_LIMIT_SECONDS must be below RECITAL_TASK_HARD_TIME_LIMIT_SECONDS"
            )
        return self

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{(self.home / 'recital.db').resolve()}"

    @property
    def resolved_storage_url(self) -> str:
        return self.storage_url or (self.home / "storage").resolve().as_uri()

    @property
    def resolved_rate_limit_storage_url(self) -> str:
        if self.rate_limit_storage_url:
            return self.rate_limit_storage_url
        return self.broker_url if self.redis_broker else "memory://"

    @property
    def resolved_flower_db(self) -> Path:
        return self.flower_db or self.home / "flower.db"

    @property
    def resolved_log_format(self) -> Literal["json", "text"]:
        if self.log_format:
            return self.log_format
        return "text" if self.environment == "development" else "json"

    @property
    def embedded_broker(self) -> bool:
        return self.broker_url.startswith("memory://")

    @property
    def redis_broker(self) -> bool:
        """The broker is Redis, which the rate limits, the queue readings and shared marks can use too."""
        return self.broker_url.startswith(("redis://", "rediss://"))

    def retranscribe_cap_seconds(self) -> float | None:
        """A re-transcription run's budget in audio seconds: the tighter cap, if any."""
        caps = [self.retranscribe_cap_audio_minutes]
        if self.retranscribe_cap_money is not None:
            caps.append(self.retranscribe_cap_money / self.retranscribe_price_per_minute)
        given = [cap * 60 for cap in caps if cap is not None]
        return min(given) if given else None

    def scoring_options(self) -> ScoringOptions:
        """The scoring knobs: the same for processing, re-scoring and ``recital score``."""
        from shared.domain.scoring import ScoringOptions  # the web needs no scoring code

        return ScoringOptions(
            hesitation_seconds=self.hesitation_seconds, prompted_seconds=self.prompted_seconds
        )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
