"""gunicorn's own log lines keep what went wrong, not the bytes a client sent (web/gunicorn_log.py)."""

from __future__ import annotations

import logging

import pytest
from gunicorn.config import Config
from gunicorn.http.errors import InvalidHeader, NoMoreData

from web.gunicorn_log import ClientBytesKeptOut


@pytest.fixture
def logged(monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> ClientBytesKeptOut:
    log = ClientBytesKeptOut(Config())
    monkeypatch.setattr(log.error_log, "propagate", True)  # to caplog's handler on the root
    log.error_log.setLevel(logging.DEBUG)
    caplog.set_level(logging.DEBUG)
    return log


def test_each_level_keeps_the_clients_bytes_out(
    logged: ClientBytesKeptOut, caplog: pytest.LogCaptureFixture
) -> None:
    header = InvalidHeader("Authorization Bearer rct_SECRET1")
    logged.warning(f"Invalid request from ip=::1: {header}")
    logged.debug(
        "Ignored premature client disconnection. %s", NoMoreData(b"Authorization: Bearer rct_SECRET2")
    )
    logged.exception("Error handling request %s", "/api/v1/recordings/SECRET3.abc.def")
    text = caplog.text
    assert "SECRET" not in text
    assert "Invalid request from ip=::1: Invalid HTTP Header" in text
    assert "Ignored premature client disconnection. NoMoreData" in text
    assert "Error handling request (its path is not logged" in text
    logged.info("Booting worker with pid: %s", 42)  # other lines as they were
    assert "Booting worker with pid: 42" in caplog.text
