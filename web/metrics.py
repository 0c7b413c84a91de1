"""``GET /metrics``: Prometheus's page, behind the metrics credentials (docs/operations.md).

Not part of the JSON API (it is Prometheus's text format, for a scraper), so
it is left out of the OpenAPI document. The broker and database readings are
taken at scrape time; the registry is built once per process.
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, request
from prometheus_client import CollectorRegistry
from prometheus_client.exposition import choose_encoder
from prometheus_client.registry import Collector

from shared.container import Container
from shared.db.repositories.runs_port import RunRecord
from shared.observability.access import CHALLENGE, allowed
from shared.observability.exposition import registry
from shared.observability.readings import DatabaseReadings, QueueReadings, ScrapeErrors
from shared.queue import QUEUES
from shared.services.operations import attempt_counts, recent_runs
from web.deps import container
from web.errors import error_response

metrics = Blueprint("metrics", __name__)

REFUSAL_MESSAGE = "Metrics need the metrics credentials."


@metrics.get("/metrics")
def scrape() -> Response | tuple[Response, int]:
    if not allowed(request.headers.get("Authorization"), container().settings.metrics_basic_auth):
        response, status = error_response(401, "authentication_required", REFUSAL_MESSAGE)
        response.headers["WWW-Authenticate"] = CHALLENGE
        return response, status
    # As the worker exporter answers (prometheus-client's own negotiation): the text
    # format version the scraper asks for in Accept, its content type set once.
    encode, content_type = choose_encoder(request.headers.get("Accept", ""))
    return Response(encode(_registry()), content_type=content_type)


def _registry() -> CollectorRegistry:
    served: CollectorRegistry | None = current_app.extensions.get("recital.metrics")
    if served is None:
        deps = container()
        sources: dict[str, DatabaseReadings | QueueReadings] = {
            "database": DatabaseReadings(lambda: _attempts(deps), lambda: _runs(deps))
        }
        if deps.settings.redis_broker:
            sources["queues"] = QueueReadings(deps.settings.broker_url, QUEUES)
        readings: list[Collector] = [*sources.values(), ScrapeErrors(sources)]
        served = current_app.extensions["recital.metrics"] = registry(readings)
    return served


def _attempts(deps: Container) -> dict[str, int]:
    with deps.uow() as uow:
        return attempt_counts(uow)


def _runs(deps: Container) -> list[RunRecord]:
    with deps.uow() as uow:
        return recent_runs(uow)
