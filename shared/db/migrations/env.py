"""Alembic environment: the URL comes from Recital's settings, never from an ini file."""

from __future__ import annotations

import warnings

from alembic import context
from sqlalchemy.exc import SAWarning

from shared.db.engine import build_engine
from shared.db.models import Base
from shared.settings import Settings, get_settings


def _settings() -> Settings:
    url = context.config.attributes.get("database_url")
    settings = get_settings()
    return settings.model_copy(update={"database_url": url}) if url else settings


def run_migrations_online() -> None:
    engine = build_engine(_settings())
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction(), warnings.catch_warnings():
            # SQLite's batch mode copies a table, reflecting those it refers to; users'
            # lower(handle) index (0012) cannot be reflected and is not copied: a warning
            # a newcomer's first `make demo` opened with, about nothing they can act on.
            warnings.filterwarnings(
                "ignore", "Skipped unsupported reflection of expression-based index", SAWarning
            )
            context.run_migrations()
    engine.dispose()


run_migrations_online()
