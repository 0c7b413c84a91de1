"""The OpenAPI 3 document, built with apispec from the routes themselves.

Each route's docstring ends with its operation in YAML after ``---``. Building
the document refuses a route without one (``UndocumentedRoute``), and the
tests build it, so a new endpoint cannot ship undescribed. Error responses
every route can give (429 from the rate limiter, 500, 503) are added here
rather than repeated in each docstring. Served at ``/api/openapi.json``.
"""

from __future__ import annotations

import re
from typing import Any

from apispec import APISpec
from apispec.yaml_utils import load_yaml_from_docstring
from flask import Blueprint, Flask, Response, current_app, jsonify

from web import openapi_components as parts
from web.limits import UNLIMITED_BLUEPRINTS
from web.openapi_export import SCHEMAS as EXPORT_SCHEMAS
from web.openapi_rescores import SCHEMAS as RESCORE_SCHEMAS

openapi = Blueprint("openapi", __name__)

DOCUMENT_PATH = "/api/openapi.json"
IGNORED_METHODS = {"HEAD", "OPTIONS"}
EVERYWHERE = {"429": "TooMany", "500": "Internal", "503": "Unavailable"}
# Routes anyone may call (a recording link carries its own signed proof).
PUBLIC = {"auth.sign_up", "auth.sign_in", "health.live", "health.ready", "openapi.document", "playback.play"}


class UndocumentedRoute(RuntimeError):
    """A route has no OpenAPI operation in its docstring."""


@openapi.get(DOCUMENT_PATH)
def document() -> Response:
    """This document.
    ---
    summary: The OpenAPI document
    tags: [meta]
    security: []
    responses:
      200:
        description: OpenAPI 3.0 JSON.
        content:
          application/json:
            schema: {type: object}
    """
    cached = current_app.extensions.get("recital.openapi")
    if cached is None:
        cached = current_app.extensions["recital.openapi"] = build(current_app)
    return jsonify(cached)


def build(app: Flask) -> dict[str, Any]:
    spec = APISpec(
        title="Recital API",
        version="1",
        openapi_version="3.0.3",
        info={"description": "Scores recitations from memory. Accounts: docs/accounts.md."},
        security=[{"token": []}, {"session": []}],
    )
    for name, scheme in parts.SECURITY_SCHEMES.items():
        spec.components.security_scheme(name, scheme)
    for name, schema in {**parts.SCHEMAS, **RESCORE_SCHEMAS, **EXPORT_SCHEMAS}.items():
        spec.components.schema(name, schema)
    for name, response in parts.RESPONSES.items():
        spec.components.response(name, response)
    for name, parameter in parts.PARAMETERS.items():
        spec.components.parameter(name, parameter["in"], parameter)
    for path, operations in _paths(app).items():
        spec.path(path=path, operations=operations)
    return spec.to_dict()


def is_api(endpoint: str) -> bool:
    """Static files, the learner's HTML pages (docs/pages.md) and Prometheus's ``/metrics``
    (docs/operations.md) are not the JSON API."""
    return endpoint not in ("static", "metrics.scrape") and not endpoint.startswith("pages.")


def _paths(app: Flask) -> dict[str, dict[str, Any]]:
    paths: dict[str, dict[str, Any]] = {}
    for rule in app.url_map.iter_rules():
        if not is_api(rule.endpoint):
            continue
        described = load_yaml_from_docstring(app.view_functions[rule.endpoint].__doc__ or "")
        path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule)
        for method in sorted((rule.methods or set()) - IGNORED_METHODS):
            # The operation itself, or keyed by method (apispec's docstring style).
            operation = dict(described.get(method.lower(), described))
            if not operation.get("responses"):
                raise UndocumentedRoute(f"{rule.rule} ({rule.endpoint}) has no OpenAPI YAML in its docstring")
            paths.setdefault(path, {})[method.lower()] = _completed(operation, rule.endpoint)
    return paths


def _completed(operation: dict[str, Any], endpoint: str) -> dict[str, Any]:
    operation.setdefault("operationId", endpoint.replace(".", "_"))
    responses = operation["responses"] = dict(operation["responses"])
    for status, ref in EVERYWHERE.items():
        if status == "429" and endpoint.split(".")[0] in UNLIMITED_BLUEPRINTS:
            continue  # the probes and this document are never rate limited
        responses.setdefault(status, {"$ref": f"#/components/responses/{ref}"})
    if "application/json" in operation.get("requestBody", {}).get("content", {}):
        # Any JSON body over the limit is refused before it is read: 413 body_too_large.
        responses.setdefault("413", {"$ref": "#/components/responses/TooLarge"})
    if endpoint in PUBLIC:
        operation.setdefault("security", [])
    else:
        responses.setdefault("401", {"$ref": "#/components/responses/Unauthorized"})
    return operation
