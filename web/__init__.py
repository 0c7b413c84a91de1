"""Recital's front door: a Flask app factory."""

from __future__ import annotations

import logging

from flask import Flask

from shared.container import Container
from shared.services.submission import Enqueue
from shared.settings import Settings, get_settings
from web.uploads import StagingRequest

MULTIPART_OVERHEAD = 64 * 1024


def create_app(settings: Settings | None = None, enqueue: Enqueue | None = None) -> Flask:
    """Build the app. ``enqueue`` defaults to sending Celery tasks by name to the broker."""
    settings = settings or get_settings()
    app = Flask(__name__)
    # /health and /health/ both answer; no HTML 308 redirects for a missing or doubled slash.
    app.url_map.strict_slashes = False
    app.url_map.merge_slashes = False
    app.request_class = StagingRequest
    app.config["MAX_CONTENT_LENGTH"] = settings.max_upload_bytes + MULTIPART_OVERHEAD
    app.config["MAX_FORM_MEMORY_SIZE"] = 1024 * 1024
    # A request holds a gunicorn thread: storage that hangs gets a short budget (503 after it).
    deadline = settings.storage_web_deadline_seconds
    app.extensions["recital"] = Container(settings, storage_deadline_seconds=deadline)
    app.extensions["recital.enqueue"] = enqueue if enqueue is not None else _celery_enqueuer(settings)

    from web import (
        admin_rescores,  # noqa: F401 - its routes join the admin blueprint
        errors,
    )
    from web.admin import admin
    from web.api import api
    from web.auth import auth
    from web.bodies import limit_non_upload_bodies
    from web.direct_uploads import uploads
    from web.health import health
    from web.metrics import metrics
    from web.openapi import openapi
    from web.pages import pages
    from web.recordings import playback
    from web.security_headers import add_security_headers
    from web.slow_bodies import close_if_unread

    errors.register(app)
    app.before_request(limit_non_upload_bodies)
    app.after_request(add_security_headers)
    app.after_request(close_if_unread)
    app.register_blueprint(api, url_prefix="/api/v1")
    app.register_blueprint(auth, url_prefix="/api/v1/auth")
    app.register_blueprint(admin, url_prefix="/api/v1/admin")
    app.register_blueprint(playback, url_prefix="/api/v1")
    app.register_blueprint(uploads, url_prefix="/api/v1")
    app.register_blueprint(health)
    app.register_blueprint(metrics)
    app.register_blueprint(pages)
    app.register_blueprint(openapi)
    from web import limits

    app.extensions["recital.limiter"] = limits.install(app, settings)
    from web import request_log

    request_log.install(app)
    logging.getLogger("recital").setLevel(logging.INFO)
    return app


def _celery_enqueuer(settings: Settings) -> Enqueue:
    from shared.queue import CeleryEnqueuer, build_celery

    return CeleryEnqueuer(build_celery(settings, name="recital-web"))
