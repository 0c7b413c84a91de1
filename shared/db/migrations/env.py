"""Alembic environment: the URL comes from Recital's settings, never from an ini file."""

from __future__ import annotations

from alembic import context

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
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run_migrations_online()
