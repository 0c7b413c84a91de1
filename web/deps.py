"""Request-scoped access to the container, the enqueuer and the learner."""

from __future__ import annotations

from flask import current_app, request

from shared.container import Container
from shared.services.errors import ErrorKind, ServiceError
from shared.services.learners import validate_handle
from shared.services.submission import Enqueue

LEARNER_HEADER = "X-Learner-Id"


def container() -> Container:
    return current_app.extensions["recital"]


def enqueuer() -> Enqueue:
    return current_app.extensions["recital.enqueue"]


def current_learner() -> str:
    """The learner making the request. A header for now; accounts will replace this seam."""
    handle = request.headers.get(LEARNER_HEADER, "").strip()
    if not handle:
        raise ServiceError(
            ErrorKind.INVALID,
            "learner_required",
            f"Send your learner id in the {LEARNER_HEADER} header.",
        )
    return validate_handle(handle)
