"""The OpenAPI document: every route described, and the served API held to it by schemathesis."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from shared.db.migrate import upgrade
from shared.settings import Settings
from tests.support.auth import bearer, token_for
from web import create_app
from web.openapi import UndocumentedRoute, build, is_api

# Deleting the account would sign the fuzzing learner out of every later call;
# tests/web/test_privacy.py covers it.
EXCLUDED = ("/api/v1/auth/me", "DELETE")
EXAMPLES_PER_OPERATION = 25
# A schema-valid body can still be refused on its meaning (a title of spaces,
# a text with no words, a wrong current password): 422 with a code, by design.
NOT_APPLICABLE: list[Any] = [positive_data_acceptance]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Flask, str]]:
    home = tmp_path_factory.mktemp("openapi")
    # Limits are exact and tested in test_limits.py; here they would answer most calls 429.
    app_settings = Settings(home=home, rate_limits_enabled=False)
    upgrade(app_settings)
    yield create_app(app_settings, enqueue=lambda _id: None), token_for(app_settings)


@pytest.fixture(scope="module")
def api_schema(served: tuple[Flask, str]) -> Any:
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", served[0])
    # Refusing invalid input with 413 is a refusal too: a text just over its
    # maxLength in multi-byte characters is over the 1 MB JSON limit.
    schema.config.checks.negative_data_rejection.expected_statuses.append("413")
    return schema


def test_every_route_and_method_is_described(served: tuple[Flask, str]) -> None:
    app = served[0]
    document = app.test_client().get("/api/openapi.json").get_json()
    described = {(path, method.upper()) for path, ops in document["paths"].items() for method in ops}
    routes = {
        (rule.rule.replace("<", "{").replace(">", "}"), method)
        for rule in app.url_map.iter_rules()
        if is_api(rule.endpoint)
        for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}
    }
    assert routes == described
    for path, method in described:
        operation = document["paths"][path][method.lower()]
        unlimited = path in ("/health/", "/ready", "/api/openapi.json")  # test below
        everywhere = {"500", "503"} if unlimited else {"429", "500", "503"}
        assert everywhere <= set(operation["responses"]), (path, method)
        if operation.get("security") != []:
            assert "401" in operation["responses"], (path, method)
    assert set(document["components"]["securitySchemes"]) == {"token", "session"}


def test_the_document_is_valid_openapi(api_schema: Any) -> None:
    api_schema.validate()  # against the OpenAPI 3.0 meta-schema; raises on a malformed document
    broken = schemathesis.openapi.from_dict(
        {**api_schema.raw_schema, "paths": {"/x": {"get": {"responses": 1}}}}
    )
    with pytest.raises(Exception, match="responses"):
        broken.validate()


def test_a_route_without_a_description_is_refused(served: tuple[Flask, str]) -> None:
    app = Flask("bare")

    @app.get("/undocumented")
    def undocumented() -> str:
        return "no docstring"

    with pytest.raises(UndocumentedRoute, match="/undocumented"):
        build(app)


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=str)
def test_the_api_keeps_to_its_document(
    api_schema: Any, served: tuple[Flask, str], mode: GenerationMode
) -> None:
    """No 5xx, and every status, header and body as documented, for valid and for invalid input.

    Driven through hypothesis directly: schemathesis's own pytest plugin does not
    load under pytest 9 (it reads a private attribute pytest dropped)."""
    statuses: Counter[int] = Counter()
    failures: list[str] = []
    for result in api_schema.get_all_operations():
        operation = result.ok()
        if (operation.path, operation.method.upper()) == EXCLUDED:
            continue

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,  # the same calls on every run: a failure here is a change's, not luck's
        )
        def check(case: Any) -> None:
            response = case.call_and_validate(headers=bearer(served[1]), excluded_checks=NOT_APPLICABLE)
            statuses[response.status_code] += 1

        try:
            check()
        except Unsatisfiable:  # nothing to make invalid: an operation without inputs
            continue
        except Exception as exc:  # collect every operation's failure, then report them together
            failures.append(f"{operation.label}: {str(exc)[:1500]}")
    print(f"schemathesis {mode}: {sum(statuses.values())} calls, statuses {dict(sorted(statuses.items()))}")
    assert not failures, "\n\n".join(failures)
    assert not [s for s in statuses if s >= 500]


def test_the_probes_and_the_document_promise_no_429(tmp_path: Path) -> None:
    """They are exempt from every rate limit (web/limits.py), so the document says no 429 (QA)."""
    settings = Settings(home=tmp_path)
    upgrade(settings)
    paths = create_app(settings).test_client().get("/api/openapi.json").get_json()["paths"]
    for path in ("/health/", "/ready", "/api/openapi.json"):
        assert "429" not in paths[path]["get"]["responses"], path
    assert "429" in paths["/api/v1/pieces"]["get"]["responses"]
