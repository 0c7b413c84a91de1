"""Liveness and readiness probes."""

from __future__ import annotations

import logging

from flask import Blueprint, Response, jsonify
from sqlalchemy import text

from shared.storage import StorageError
from web.deps import container

health = Blueprint("health", __name__)
log = logging.getLogger("recital.web")
RETRY_AFTER_SECONDS = 5


@health.get("/health/")
def live() -> Response:
    """Liveness: the process answers.
    ---
    summary: Liveness probe
    tags: [probes]
    security: []
    responses:
      200:
        description: Alive.
        content:
          application/json:
            schema: {type: object, required: [status], properties: {status: {type: string, enum: [ok]}}}
    """
    return jsonify({"status": "ok"})


@health.get("/ready")
def ready() -> tuple[Response, int]:
    """Readiness: the database, broker and storage all answer.
    ---
    summary: Readiness probe
    tags: [probes]
    security: []
    responses:
      200:
        description: Ready.
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Readiness'}
      503:
        description: Something it needs is down; checks says what.
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Readiness'}
    """
    checks = {"database": _database(), "broker": _broker(), "storage": _storage()}
    if all(v == "ok" for v in checks.values()):
        return jsonify({"status": "ok", "checks": checks}), 200
    response = jsonify({"status": "unavailable", "checks": checks})
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response, 503


def _database() -> str:
    try:
        with container().engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return "ok"
    except Exception as exc:  # a probe reports; it does not raise
        return f"error: {exc.__class__.__name__}"


def _broker() -> str:
    settings = container().settings
    if settings.embedded_broker:
        return "ok"
    try:
        import redis

        redis.Redis.from_url(settings.broker_url, socket_connect_timeout=2, socket_timeout=2).ping()
        return "ok"
    except Exception as exc:
        return f"error: {exc.__class__.__name__}"


def _storage() -> str:
    try:
        container().storage.check()
        return "ok"
    except StorageError as exc:  # the detail (a path, a bucket) is for the log, not an open probe
        log.warning("readiness: storage check failed: %s", exc)
        return f"error: {exc.__class__.__name__}"
