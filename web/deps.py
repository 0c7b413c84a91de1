"""Request-scoped access to the container and the enqueuer (who is asking: web/identity.py)."""

from __future__ import annotations

from flask import current_app

from shared.container import Container
from shared.services.submission import Enqueue


def container() -> Container:
    return current_app.extensions["recital"]


def enqueuer() -> Enqueue:
    return current_app.extensions["recital.enqueue"]
