"""What a one-shot command logs: text warnings for a person at a terminal, JSON for machines."""

from __future__ import annotations

import io
import logging
import os
from collections.abc import Iterator

import pytest

from cli import main


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture(autouse=True)
def clean() -> Iterator[None]:
    """No RECITAL_ settings from the environment; the root logger as it was afterwards."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    with pytest.MonkeyPatch.context() as patch:
        for name in [n for n in os.environ if n.startswith("RECITAL_")]:
            patch.delenv(name)
        main.get_settings.cache_clear()
        yield
    main.get_settings.cache_clear()
    root.handlers[:] = handlers
    root.setLevel(level)


def logged(monkeypatch: pytest.MonkeyPatch, stream: io.StringIO, command: str) -> str:
    monkeypatch.setattr("sys.stderr", stream)
    main._configure_logging(command)
    logging.getLogger("recital.processing").info("attempt=x status=done decode=0.008s")
    logging.getLogger("recital.processing").warning("the engine fell back")
    return stream.getvalue()


def test_a_person_at_a_terminal_sees_warnings_as_text_not_json_summaries(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    shown = logged(monkeypatch, Terminal(), "demo")
    assert "status=done" not in shown and "the engine fell back" in shown and not shown.startswith("{")


def test_a_pipe_and_a_service_keep_the_json_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    assert '"message": "attempt=x status=done' in logged(monkeypatch, io.StringIO(), "demo")
    assert '"message": "attempt=x status=done' in logged(monkeypatch, Terminal(), "worker")
