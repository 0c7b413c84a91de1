"""The ``recital`` command: demo, serve, worker, db upgrade, score, sweep, rescore, flower, users."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence

from pydantic import ValidationError

from shared.settings import get_settings

Handler = Callable[[argparse.Namespace], int]
# Commands a person runs and reads, as opposed to the services (serve, worker, flower).
ONE_SHOT = frozenset({"demo", "score", "db", "users", "rescore", "sweep"})


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="recital", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    commands.add_parser("demo", help="score the bundled sample end to end, no servers needed")

    serve = commands.add_parser("serve", help="development server with an in-process worker")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=5000)

    worker = commands.add_parser("worker", help="a real Celery worker")
    worker.add_argument("--queues", "-Q", type=_queues, default="recordings,rescore,maintenance")
    worker.add_argument("--concurrency", "-c", type=int, default=1)
    worker.add_argument("--beat", action="store_true", help="also run the sweeper schedule")
    worker.add_argument("--name", "-n", help="node name, e.g. recordings-1@%%h")
    worker.add_argument(
        "--nice",
        type=int,
        choices=range(20),
        default=0,
        metavar="0-19",
        help="lower its CPU priority (the rescore worker runs at 19, beside live workers)",
    )

    db = commands.add_parser("db", help="database migrations")
    db.add_argument("action", choices=["upgrade"])

    commands.add_parser("sweep", help="re-send stuck attempts once")

    flower = commands.add_parser("flower", help="Flower, always behind RECITAL_FLOWER_BASIC_AUTH")
    flower.add_argument("--address", default="127.0.0.1")
    flower.add_argument("--port", type=int, default=5555)

    score = commands.add_parser("score", help="score one recording offline (no server)")
    score.add_argument("audio", nargs="?", help="recording file (omit with --transcript-json)")
    score.add_argument("--text-file", required=True, help="the piece's text")
    score.add_argument("--engine", choices=["offline", "openai"], default=None)
    score.add_argument("--transcript-json", help="score this transcript instead of running an engine")
    score.add_argument("--json", action="store_true", help="print the result contract as JSON")

    from cli.rescore_args import add_parser as add_rescore
    from cli.users import add_parser as add_users

    add_rescore(commands)
    add_users(commands)
    return parser


def _queues(text: str) -> str:
    """Recital's own queues only: a misspelt name would start a worker nothing ever reaches."""
    from shared.queue import QUEUES

    names = [name.strip() for name in text.split(",")]
    unknown = [name for name in names if name not in QUEUES]
    if unknown:
        raise argparse.ArgumentTypeError(
            f"{', '.join(unknown) or '(none)'}: the queues are {', '.join(QUEUES)}"
        )
    return ",".join(names)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler = _handlers()[args.command]
    from sqlalchemy.exc import OperationalError, ProgrammingError

    from cli.problems import InputProblem, database_problem
    from shared.wordnet import WordNetMissing

    try:
        _configure_logging(args.command)
        return handler(args)
    except ValidationError as exc:
        print(settings_problem(exc), file=sys.stderr)
        return 2
    except (InputProblem, WordNetMissing) as exc:
        print(f"recital {args.command}: {exc}", file=sys.stderr)
        return 2
    except (OperationalError, ProgrammingError) as exc:  # no database, or no tables yet
        print(f"recital {args.command}: {database_problem(exc, args.command)}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `recital score --json … | head`: the reader has gone, which is no error of ours
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # Python's flush at exit is silent
        return 1


def _configure_logging(command: str) -> None:
    """Recital's log format (docs/operations.md); ``recital serve`` is a development server."""
    from shared.observability.logs import configure_logging

    settings = get_settings()
    development = command == "serve" and "RECITAL_ENVIRONMENT" not in os.environ and not settings.log_format
    if command in ONE_SHOT and not settings.log_format and sys.stderr.isatty():
        # A person at a terminal reads the command's own output: a JSON summary line in
        # the middle of it is noise, a warning is not (RECITAL_LOG_FORMAT still decides).
        configure_logging("text", level=logging.WARNING)
    else:
        configure_logging("text" if development else settings.resolved_log_format)
    for chatty in ("alembic", "celery", "numba"):
        logging.getLogger(chatty).setLevel(logging.WARNING)
    # kombu warns that memory:// has no hostname, which is the point of it.
    logging.getLogger("kombu").setLevel(logging.ERROR)


def settings_problem(exc: ValidationError) -> str:
    """Which variables are wrong and why, never their values (they may be secrets)."""
    lines = ["recital: invalid settings:"]
    for error in exc.errors(include_input=False, include_url=False):
        where = "_".join(str(part) for part in error["loc"]).upper()
        lines.append(f"  RECITAL_{where}: {error['msg']}" if where else f"  {error['msg']}")
    return "\n".join(lines)


def _handlers() -> dict[str, Handler]:
    from cli import commands

    return {
        "demo": commands.demo,
        "serve": commands.serve,
        "worker": commands.worker,
        "db": commands.db,
        "sweep": commands.sweep,
        "flower": commands.flower,
        "score": commands.score,
        "rescore": commands.rescore,
        "users": commands.users,
    }


if __name__ == "__main__":
    sys.exit(main())

__all__ = ["main", "get_settings"]
