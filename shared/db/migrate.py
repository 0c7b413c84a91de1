"""Run Alembic migrations programmatically (``recital db upgrade``)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

from shared.settings import Settings

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(settings: Settings) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["database_url"] = settings.resolved_database_url
    return config


def upgrade(settings: Settings, revision: str = "head") -> tuple[str | None, str | None]:
    """Migrate to ``revision``; the database's revision before and after (None: no schema)."""
    before = current_revision(settings)
    command.upgrade(alembic_config(settings), revision)
    return before, current_revision(settings)


def current_revision(settings: Settings) -> str | None:
    from alembic.runtime.migration import MigrationContext

    from shared.db.engine import build_engine

    engine = build_engine(settings)  # as the migrations connect: SQLite's folder made, psycopg 3
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()
