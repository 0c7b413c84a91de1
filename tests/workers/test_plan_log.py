"""The admin API's planning job writes its own summary line, as each batch does."""

from __future__ import annotations

import logging
import uuid
from types import SimpleNamespace
from typing import Any

import pytest

from workers import tasks


def test_the_plan_job_logs_what_it_sent_and_how_long_it_took(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """QA: ops following a run started by the API found only Celery's "succeeded … : 0"."""
    run_id = uuid.uuid4()

    def plan(_uow: Any, run: uuid.UUID, batch_size: int, _send: Any) -> int:
        assert (run, batch_size) == (run_id, 200)
        return 450

    monkeypatch.setattr(tasks, "plan_run", plan)
    monkeypatch.setattr(tasks, "container", lambda: SimpleNamespace(uow=None))
    with caplog.at_level(logging.INFO, logger="recital.tasks"):
        assert tasks.rescore_plan.run(str(run_id), 200) == 450
    (line,) = [r.getMessage() for r in caplog.records if r.name == "recital.tasks"]
    assert line.startswith(f"rescore run={run_id} plan sent=450 plan=") and line.endswith("s")
