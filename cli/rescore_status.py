"""Following a re-scoring run from its row: a live progress bar, then its report.

Everything here reads the ``rescore_runs`` table, so ``recital rescore status``
re-attaches from any machine that reaches the database.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import uuid
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from shared.container import Container
from shared.db.repositories.runs_port import RunRecord
from shared.services.rescore_reports import run_report
from shared.services.rescore_runs import (
    cancel_run,
    failures,
    latest_run,
    plan_run,
    require_run,
    run_batch,
)
from shared.services.rescore_views import run_json
from shared.services.rescoring import RescoreReport


def follow(deps: Container, args: argparse.Namespace) -> int:
    run = _load(deps, args.run)
    if args.json:  # the admin API's shape: report and failures null while it runs
        stopped = run.state != "running"
        report = _report(deps, run) if stopped else None
        failed = _failures(deps, run) if stopped else None
        print(json.dumps({**run_json(run), "report": report, "failures": failed}))
        return _exit_status(run)
    if args.once or run.state != "running":
        print(summary(run))
    else:
        run = _watch(deps, run, args.interval)
        print(summary(run))
    if run.state != "running":
        _print_failures(deps, run)
        print_report(_report(deps, run))
    return _exit_status(run)


def _exit_status(run: RunRecord) -> int:
    """The same however the run is followed (docs/rescoring.md): 1 once any attempt failed."""
    return 1 if run.failed else 0


def _load(deps: Container, run_text: str | None) -> RunRecord:
    from cli.rescore import _uuid

    with deps.uow() as uow:
        return latest_run(uow) if run_text is None else require_run(uow, _uuid(run_text, "run"))


def _report(deps: Container, run: RunRecord) -> dict[str, Any]:
    with deps.uow() as uow:
        return run_report(uow, run)


def _failures(deps: Container, run: RunRecord) -> list[dict[str, str]]:
    with deps.uow() as uow:
        return [{"attempt_id": str(a), "reason": r} for a, r in failures(uow, run.id)]


def _watch(deps: Container, run: RunRecord, interval: float) -> RunRecord:
    if not sys.stderr.isatty():
        return _watch_in_lines(deps, run, interval)
    started, first = time.monotonic(), run.counted
    columns = (
        TextColumn("[bold]re-scoring[/bold]"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("failed {task.fields[failed]}  {task.fields[rate]}/s"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=Console(stderr=True)) as progress:
        bar = progress.add_task("run", total=run.total, failed=run.failed, rate="-")
        while run.state == "running":
            time.sleep(interval)
            with deps.uow() as uow:
                run = require_run(uow, run.id)
            rate = (run.counted - first) / max(time.monotonic() - started, 1e-6)
            progress.update(
                bar, completed=run.counted, total=run.total, failed=run.failed, rate=f"{rate:.0f}"
            )
    return run


def _watch_in_lines(deps: Container, run: RunRecord, interval: float) -> RunRecord:
    """No terminal (a log, a pipe, CI): rich draws no bar there, so a summary line on
    stderr whenever the counts move, instead of nothing until the run ends (QA)."""
    shown = None
    while run.state == "running":
        if (run.counted, run.total) != shown:
            print(summary(run), file=sys.stderr, flush=True)
            shown = (run.counted, run.total)
        time.sleep(interval)
        with deps.uow() as uow:
            run = require_run(uow, run.id)
    return run


def summary(run: RunRecord) -> str:
    total = "?" if run.total is None else str(run.total)
    line = (
        f"run {run.id} {run.state}: done {run.done}, failed {run.failed}, skipped {run.skipped} "
        f"of {total} at scoring version {run.scoring_version} (started by {run.started_by})"
    )
    if run.mode == "retranscribe":
        cap = "no cap" if run.cap_audio_seconds is None else f"cap {run.cap_audio_seconds / 60:.2f} min"
        line += f"; re-transcribed audio {run.spent_audio_seconds / 60:.2f} min ({cap})"
    return line


def cancel(deps: Container, run_id: uuid.UUID) -> int:
    with deps.uow() as uow:
        run = cancel_run(uow, run_id)
    print(summary(run))
    return 0


def score_here(deps: Container, run_id: uuid.UUID, batch_size: int, limit: int | None) -> int:
    """The run's batches scored in this process, as a worker would, with a progress bar."""
    total = RescoreReport()
    options = deps.settings.scoring_options()
    with deps.uow() as uow:
        retranscribing = require_run(uow, run_id).mode == "retranscribe"
    with Progress(console=Console(stderr=True), transient=True) as progress:
        bar = progress.add_task("re-scoring", total=None)

        def score(run: uuid.UUID, batch_no: int, ids: list[uuid.UUID]) -> None:
            if retranscribing:
                report = _retranscribe_here(deps, run, batch_no, ids)
            else:
                with deps.uow() as uow:
                    report = run_batch(uow, run, batch_no, ids, options)
            if report is not None:
                total.add(report)
            progress.advance(bar, len(ids))

        plan_run(deps.uow, run_id, batch_size, score, limit)
    with deps.uow() as uow:
        run = require_run(uow, run_id)
    counts = f"re-scored {total.scored}, skipped {total.skipped}, failed {len(total.failed)}"
    print(f"{counts} at scoring version {run.scoring_version}")
    print(summary(run))
    for attempt_id, reason in total.failed:
        print(f"failed {attempt_id}: {reason}", file=sys.stderr)
    return 1 if total.failed else 0


def _retranscribe_here(
    deps: Container, run_id: uuid.UUID, batch_no: int, ids: list[uuid.UUID]
) -> RescoreReport | None:
    from shared.rate_bucket import retranscribe_limit
    from shared.services.retranscription import Engine, retranscribe_batch

    limit = retranscribe_limit(deps.settings)
    engine = Engine(deps.transcriber(), deps.storage, limit, deps.settings.max_duration_seconds)
    return retranscribe_batch(deps.uow, engine, run_id, batch_no, ids, deps.settings.scoring_options())


def _print_failures(deps: Container, run: RunRecord) -> None:
    with deps.uow() as uow:
        for attempt_id, reason in failures(uow, run.id):
            print(f"failed {attempt_id}: {reason}", file=sys.stderr)


def print_report(report: dict[str, Any], console: Console | None = None) -> None:
    """The change report as rich tables (the JSON shape is in docs/rescoring.md)."""
    console = console or Console(width=120)
    mean = report["mean_accuracy_change"]
    compared = f"{report['attempts']} attempt{'' if report['attempts'] == 1 else 's'} compared"
    console.print(f"{compared}; mean accuracy change {mean:+.2f} points")
    console.print(_table("accuracy change (points)", ("change", "attempts"),
                         [(b["bucket"], b["count"]) for b in report["histogram"]]))  # fmt: skip
    bands = ", ".join(f"{b['name']} >= {b['min_accuracy']:g}" for b in report["bands"])
    moves = [(m["from"], m["to"], m["count"]) for m in report["band_moves"]]
    console.print(_table(f"moved across a band ({bands})", ("from", "to", "attempts"), moves))
    largest = [(c["attempt_id"], f"{c['old_accuracy']:g}", f"{c['new_accuracy']:g}", f"{c['change']:+g}",
                c["page"]) for c in report["largest_changes"]]  # fmt: skip
    console.print(_table("largest changes", ("attempt", "old", "new", "change", "page"), largest))
    words = [(t["from"], t["to"], t["count"]) for t in report["word_transitions"]]
    console.print(_table("words whose status changed", ("from", "to", "words"), words))


def _table(title: str, headers: tuple[str, ...], rows: list[tuple[Any, ...]]) -> Table:
    # A narrow table would wrap its title over several lines.
    table = Table(title=title, title_justify="left", min_width=len(title) + 4)
    for header in headers:
        table.add_column(header)
    for row in rows:
        table.add_row(*(str(cell) for cell in row))
    return table
