"""Log lines as JSON objects (or text in development), with the request and attempt ids."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from shared.observability import context
from shared.observability.logs import configure_logging
from shared.settings import Settings


@pytest.fixture
def lines() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    configure_logging("json", stream)
    yield stream
    context.clear()
    configure_logging("text")


def test_a_json_line_carries_the_message_the_extras_and_the_ids(lines: io.StringIO) -> None:
    context.bind(request_id="req-1", attempt_id="a1")
    logging.getLogger("recital.test").info(
        "job %s", "done", extra={"timings": {"decode": 0.5}, "delivery": 1}
    )
    context.clear()
    logging.getLogger("recital.test").warning("no ids here")
    first, second = (json.loads(line) for line in lines.getvalue().splitlines())
    assert first["message"] == "job done" and first["level"] == "INFO" and first["logger"] == "recital.test"
    assert (first["request_id"], first["attempt_id"]) == ("req-1", "a1")
    assert first["timings"] == {"decode": 0.5} and first["delivery"] == 1
    assert first["timestamp"].endswith("+00:00")  # ISO 8601 in UTC
    assert "request_id" not in second and "attempt_id" not in second and second["level"] == "WARNING"


def test_a_line_naming_its_own_attempt_keeps_it(lines: io.StringIO) -> None:
    context.bind(attempt_id="from-context")
    logging.getLogger("recital.test").info("x", extra={"attempt_id": "its-own"})
    assert json.loads(lines.getvalue())["attempt_id"] == "its-own"


def test_text_lines_for_development() -> None:
    stream = io.StringIO()
    configure_logging("text", stream)
    try:
        context.bind(request_id="req-2")
        logging.getLogger("recital.test").info("hello")
    finally:
        context.clear()
        configure_logging("text")
    line = stream.getvalue().strip()
    assert line.endswith("INFO recital.test hello [request_id=req-2]")
    with pytest.raises(ValueError):
        json.loads(line)


def test_the_format_follows_the_environment_unless_set() -> None:
    assert Settings().resolved_log_format == "json"
    assert Settings(environment="development").resolved_log_format == "text"
    assert Settings(environment="development", log_format="json").resolved_log_format == "json"
    assert Settings(log_format="text").resolved_log_format == "text"


def test_configuring_twice_keeps_one_handler() -> None:
    configure_logging("json", io.StringIO())
    configure_logging("text", io.StringIO())
    try:
        assert [h.get_name() for h in logging.getLogger().handlers].count("recital") == 1
    finally:
        configure_logging("text")
