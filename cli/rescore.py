"""``recital rescore``: score done attempts again with the current scoring code.

Finds the attempts with no score at the current ``SCORING_VERSION``. With a
real broker it sends them in batches to the ``rescore`` queue, for workers;
with ``--inline`` or the embedded broker it scores them here, batch by batch.
"""

from __future__ import annotations

import argparse
import sys
import uuid
from collections.abc import Iterator, Sequence

from shared.container import Container
from shared.domain.scoring import SCORING_VERSION
from shared.services.errors import ErrorKind, ServiceError
from shared.services.pieces import require_piece
from shared.services.rescoring import RescoreReport, pending_attempts, rescore_attempts
from shared.settings import Settings

Batch = list[uuid.UUID]


def run_rescore(args: argparse.Namespace, settings: Settings) -> int:
    from sqlalchemy.exc import OperationalError, ProgrammingError

    deps = Container(settings)
    try:
        pending = _pending(deps, args.piece, args.limit)
    except ServiceError as exc:
        print(f"--piece {args.piece}: {exc.message}", file=sys.stderr)
        return 2
    except (OperationalError, ProgrammingError) as exc:  # no such table, or no database at all
        reason = str(exc.orig).strip().splitlines()[0]
        print(
            f"cannot read the attempts ({reason}); is the database set up? run: recital db upgrade",
            file=sys.stderr,
        )
        return 2
    if args.dry_run:
        print(f"{_count(len(pending), 'attempt')} would be re-scored at scoring version {SCORING_VERSION}")
        return 0
    batches = list(_batches(pending, args.batch_size))
    if args.inline or settings.embedded_broker:
        return _score_here(deps, batches)
    return _send(settings, batches)


def _pending(deps: Container, piece: str | None, limit: int | None) -> list[uuid.UUID]:
    with deps.uow() as uow:
        piece_id = None if piece is None else require_piece(uow, _uuid(piece))
        return pending_attempts(uow, SCORING_VERSION, piece_id=piece_id, limit=limit)


def _uuid(text: str) -> uuid.UUID:
    try:
        return uuid.UUID(text)
    except ValueError:
        raise ServiceError(ErrorKind.INVALID, "invalid_piece_id", "Not a piece id.") from None


def _batches(ids: Sequence[uuid.UUID], size: int) -> Iterator[Batch]:
    for start in range(0, len(ids), size):
        yield list(ids[start : start + size])


def _score_here(deps: Container, batches: list[Batch]) -> int:
    from rich.console import Console
    from rich.progress import Progress

    total = RescoreReport()
    options = deps.settings.scoring_options()
    with Progress(console=Console(stderr=True), transient=True) as progress:
        bar = progress.add_task("re-scoring", total=sum(map(len, batches)))
        for batch in batches:
            with deps.uow() as uow:
                total.add(rescore_attempts(uow, batch, options))
            progress.advance(bar, len(batch))
    counts = f"re-scored {total.scored}, skipped {total.skipped}, failed {len(total.failed)}"
    print(f"{counts} at scoring version {SCORING_VERSION}")
    for attempt_id, reason in total.failed:
        print(f"failed {attempt_id}: {reason}", file=sys.stderr)
    return 1 if total.failed else 0


def _send(settings: Settings, batches: list[Batch]) -> int:
    from shared.queue import RescoreEnqueuer, build_celery

    send = RescoreEnqueuer(build_celery(settings))
    for sent, batch in enumerate(batches):
        try:
            send(batch)
        except Exception as exc:  # the broker is down: say how far we got
            print(f"could not send batch {sent + 1} of {len(batches)}: {exc}", file=sys.stderr)
            return 1
    attempts = _count(sum(map(len, batches)), "attempt")
    print(f"sent {attempts} in {_count(len(batches), 'batch')} to the rescore queue")
    return 0


def _count(n: int, noun: str) -> str:
    plural = noun + ("es" if noun.endswith("ch") else "s")
    return f"{n} {noun if n == 1 else plural}"
