"""Following a run where there is no terminal: a line whenever the counts move (QA: rich
draws no bar into a pipe, so `recital rescore status` printed nothing until the end)."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest

from cli import rescore_status
from shared.db.repositories.runs_port import RunFilter, RunRecord
from shared.domain.clock import utcnow

RUN = RunRecord(uuid.uuid4(), "v", "rescore", RunFilter(), "running", 40, 0, 0, 0, "ops", utcnow(), None)


class Polled:
    """Deps with a unit of work and nothing in it: the test's ``require_run`` is the poll."""

    @contextlib.contextmanager
    def uow(self) -> Iterator[None]:
        yield None


def test_a_run_followed_into_a_pipe_prints_a_line_each_time_its_counts_move(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    polls = iter([replace(RUN, done=10), replace(RUN, done=10), replace(RUN, done=30),
                  replace(RUN, state="finished", done=40)])  # fmt: skip
    monkeypatch.setattr(rescore_status, "require_run", lambda _uow, _id: next(polls))
    deps: Any = Polled()
    last = rescore_status._watch(deps, RUN, interval=0)  # capsys: stderr is no terminal
    lines = capsys.readouterr().err.splitlines()
    assert [line.split(": ", 1)[1].split(",")[0] for line in lines] == ["done 0", "done 10", "done 30"]
    assert last.state == "finished"
