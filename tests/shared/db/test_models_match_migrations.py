"""The models say what the migrations build: Alembic finds nothing to change.

A column, index or constraint added to one and not the other (a model read by
the code but never migrated, or a migration the models do not know) fails here.
"""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from shared.db.models import Base


def test_the_migrated_database_has_what_the_models_declare(pg_url: str) -> None:
    engine = create_engine(pg_url)
    try:
        with engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    finally:
        engine.dispose()
    assert differences == []
