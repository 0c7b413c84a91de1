"""Who is looking at a page. Pages ask here; the identity seam answers."""

from __future__ import annotations

from flask import request

from shared.services.learners import HANDLE

LEARNER_COOKIE = "recital_learner"


def signed_in() -> str | None:
    """The signed-in learner's handle, or None."""
    handle = request.cookies.get(LEARNER_COOKIE, "")
    return handle if HANDLE.match(handle) else None
