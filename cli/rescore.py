"""``recital rescore``: score done attempts again with the current scoring code.

Every run is a record (``rescore_runs``): the command starts one for the
attempts matching its filter and no score at the current ``SCORING_VERSION``.
With a real broker it sends them in batches to the ``rescore`` queue, for
workers, and prints the run's id (``recital rescore status RUN`` follows it
from any machine); with ``--inline`` or the embedded broker it scores them
here, batch by batch. ``--dry-run`` scores a sample and reports, writing nothing.
"""

from __future__ import annotations

import argparse
import getpass
import json
import socket
import sys
import uuid

from cli.rescore_args import BATCH_SIZE, SAMPLE, SEED, check_combination
from shared.container import Container
from shared.db.repositories.runs_port import RunFilter
from shared.domain.scoring import SCORING_VERSION
from shared.services.errors import ErrorKind, ServiceError
from shared.services.rescore_runs import find_learner
from shared.services.rescore_views import parse_moment
from shared.settings import Settings


def run_rescore(args: argparse.Namespace, settings: Settings) -> int:
    from cli.rescore_status import cancel, follow

    check_combination(args)
    deps = Container(settings)
    try:  # a database that is down or not set up: cli.main says so for every command
        if args.action == "status":
            return follow(deps, args)
        if args.action == "cancel":
            return cancel(deps, _uuid(args.run, "run"))
        if args.action == "resume":
            return _resume(deps, _uuid(args.run, "run"), args)
        where = _filter(deps, args)
        if args.dry_run:
            return _dry_run(deps, where, args)
        return _start(deps, where, args)
    except ServiceError as exc:
        print(f"recital rescore: {exc.message}", file=sys.stderr)
        return 2


def _filter(deps: Container, args: argparse.Namespace) -> RunFilter:
    from shared.services.rescore_runs import check_filter

    with deps.uow() as uow:
        learner = None if args.learner is None else find_learner(uow, args.learner)
        where = RunFilter(
            piece_id=None if args.piece is None else _uuid(args.piece, "piece"),
            learner_id=learner,
            since=parse_moment(args.since, "since"),
            until=parse_moment(args.until, "until"),
            status=args.status,
        )
        check_filter(uow, where)
    return where


def _uuid(text: str, what: str) -> uuid.UUID:
    try:
        return uuid.UUID(text)
    except ValueError:
        raise ServiceError(ErrorKind.INVALID, f"invalid_{what}_id", f"Not a {what} id.") from None


def _dry_run(deps: Container, where: RunFilter, args: argparse.Namespace) -> int:
    from cli.rescore_status import print_report
    from shared.services.rescore_reports import dry_run

    sample = SAMPLE if args.sample is None else args.sample
    seed = SEED if args.seed is None else args.seed
    with deps.uow() as uow:
        found = dry_run(uow, where, deps.settings.scoring_options(), sample, seed)
    if args.json:  # the API's dry run, failures included
        failures = [{"attempt_id": str(attempt_id), "reason": reason} for attempt_id, reason in found.failed]
        answer = {"matching": found.matching, "sampled": found.sampled, "failures": failures}
        print(json.dumps({**answer, "report": found.report}))
        return 0
    print(f"{_count(found.matching, 'attempt')} would be re-scored at scoring version {SCORING_VERSION}")
    print(f"scored a sample of {found.sampled} (seed {seed}) without writing:")
    for attempt_id, reason in found.failed:
        print(f"would fail {attempt_id}: {reason}", file=sys.stderr)
    print_report(found.report)
    return 0


def _start(deps: Container, where: RunFilter, args: argparse.Namespace) -> int:
    from shared.services.rescore_runs import start_run

    mode = "retranscribe" if args.retranscribe else "rescore"
    cap = deps.settings.retranscribe_cap_seconds() if args.retranscribe else None
    with deps.uow() as uow:
        run = start_run(uow, where, _who(), mode, cap, args.batch_size, args.limit)
    return _go(deps, run.id, args, args.batch_size or BATCH_SIZE, args.limit)


def _resume(deps: Container, run_id: uuid.UUID, args: argparse.Namespace) -> int:
    """The run's own scope: its batch size (unless --batch-size says otherwise) and what its
    limit leaves, never every pending attempt of its filter."""
    from shared.services.rescore_runs import left_to_send, resume_run

    with deps.uow() as uow:
        run = resume_run(uow, run_id, deps.settings.retranscribe_cap_seconds())
    batch_size = args.batch_size or run.batch_size or BATCH_SIZE
    return _go(deps, run_id, args, batch_size, left_to_send(run))


def _go(
    deps: Container, run_id: uuid.UUID, args: argparse.Namespace, batch_size: int, limit: int | None
) -> int:
    if args.inline or deps.settings.embedded_broker:
        from cli.rescore_status import score_here

        return score_here(deps, run_id, batch_size, limit)
    return _send(deps, run_id, batch_size, limit)


def _who() -> str:
    return f"cli:{getpass.getuser()}@{socket.gethostname()}"


def _send(deps: Container, run_id: uuid.UUID, batch_size: int, limit: int | None) -> int:
    from shared.queue import RescoreEnqueuer, build_celery
    from shared.services.rescore_runs import cancel_run, plan_run

    send = RescoreEnqueuer(build_celery(deps.settings))
    batches = 0

    def counted(run: uuid.UUID, batch_no: int, ids: list[uuid.UUID]) -> None:
        nonlocal batches
        send.batch(run, batch_no, ids)
        batches += 1

    try:
        sent = plan_run(deps.uow, run_id, batch_size, counted, limit)
    except Exception as exc:  # the broker is down: say how far we got, and stop the run
        print(f"could not send batch {batches + 1} ({_count(batches, 'batch')} sent): {exc}", file=sys.stderr)
        with deps.uow() as uow:
            cancel_run(uow, run_id)
        print(f"run {run_id} cancelled; start a new run to send the rest", file=sys.stderr)
        return 1
    print(f"sent {_count(sent, 'attempt')} in {_count(batches, 'batch')} to the rescore queue")
    print(f"run {run_id}: follow it with: recital rescore status {run_id}")
    return 0


def _count(n: int, noun: str) -> str:
    plural = noun + ("es" if noun.endswith("ch") else "s")
    return f"{n} {noun if n == 1 else plural}"
