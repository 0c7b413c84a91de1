"""Database adapter: SQLAlchemy models, engine, unit of work, migrations."""
