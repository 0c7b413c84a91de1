"""The app every page test drives: the embedded database in a fresh home, no queue."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from shared.db.migrate import upgrade
from shared.settings import Settings
from web import create_app


@pytest.fixture
def app(tmp_path: Path) -> Flask:
    settings = Settings(home=tmp_path, environment="development")
    upgrade(settings)
    return create_app(settings, enqueue=lambda _id: None)
