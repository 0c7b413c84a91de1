"""Repositories: what services ask of the database, as ports and SQLAlchemy adapters."""
