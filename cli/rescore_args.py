"""The ``recital rescore`` arguments: a run's filter, and ``status``/``cancel`` of a run."""

from __future__ import annotations

import argparse
from typing import Any

from cli.problems import InputProblem

# The dry run's defaults: the options themselves default to None, so that one given
# without --dry-run is seen (check_combination).
SAMPLE = 500
SEED = 21
BATCH_SIZE = 200  # None as the option's default: a resume keeps the run's own


def positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def seed(text: str) -> int:
    """A sample's seed, in the range the admin API takes."""
    value = int(text)
    if not 1 <= value <= 2**31:
        raise argparse.ArgumentTypeError(f"must be 1 to {2**31}, not {value}")
    return value


def add_parser(commands: Any) -> None:
    rescore = commands.add_parser("rescore", help="score done attempts again with the current scoring code")
    rescore.add_argument("--piece", help="only this piece's attempts (its id)")
    rescore.add_argument("--learner", help="only this learner's attempts (id or handle)")
    rescore.add_argument("--since", help="only attempts made at or after this ISO date/time (UTC)")
    rescore.add_argument("--until", help="only attempts made before this ISO date/time (UTC)")
    rescore.add_argument("--status", default="done", help="the attempts' status (default done, the only one)")
    rescore.add_argument(
        "--batch-size", type=positive, help=f"attempts per task (default {BATCH_SIZE}; a resume: the run's)"
    )
    rescore.add_argument("--limit", type=positive, help="at most this many attempts, oldest first")
    rescore.add_argument("--inline", action="store_true", help="score here instead of on rescore workers")
    rescore.add_argument(
        "--retranscribe",
        action="store_true",
        help="send the audio to the engine again where other recognition made the transcript "
        "(shared rate limit, spend cap: RECITAL_RETRANSCRIBE_*)",
    )
    rescore.add_argument(
        "--dry-run", action="store_true", help="score a sample without writing and report what would change"
    )
    rescore.add_argument("--sample", type=positive, help=f"dry run: attempts scored (default {SAMPLE})")
    rescore.add_argument("--seed", type=seed, help=f"dry run: the sample's random seed (default {SEED})")
    rescore.add_argument("--json", action="store_true", help="dry run: print the report as JSON")
    actions = rescore.add_subparsers(dest="action")
    status = actions.add_parser(
        "status", help="follow a run (the latest if no id): live progress, then its report"
    )
    status.add_argument("run", nargs="?", help="the run's id (default: the latest run)")
    status.add_argument("--once", action="store_true", help="print the progress once and exit")
    status.add_argument("--json", action="store_true", help="print the run (and report) as JSON, once")
    status.add_argument("--interval", type=float, default=1.0, help="seconds between polls (default 1)")
    cancel = actions.add_parser("cancel", help="cancel a run: batches scoring now finish, the rest stop")
    cancel.add_argument("run", help="the run's id")
    resume = actions.add_parser("resume", help="resume a run paused at its spend cap, under the cap now set")
    resume.add_argument("run", help="the run's id")


def check_combination(args: argparse.Namespace) -> None:
    """Refuse options that contradict each other: a real run must never start from a
    command meant to be a dry run."""
    if args.dry_run and args.retranscribe:
        raise InputProblem("--dry-run scores stored transcripts only; it cannot --retranscribe")
    if args.dry_run:
        _refuse_run_options_in_a_dry_run(args)
        return
    given = [name for name, value in (("--sample", args.sample), ("--seed", args.seed)) if value is not None]
    if args.json and args.action != "status":  # status has a --json of its own
        given.append("--json")
    if given:
        verb = "goes" if len(given) == 1 else "go"
        raise InputProblem(f"{' and '.join(given)} only {verb} with --dry-run (without it a real run starts)")


def _refuse_run_options_in_a_dry_run(args: argparse.Namespace) -> None:
    """A dry run samples with --sample; options of a real run would be silently ignored (QA:
    ``--dry-run --limit 1`` reported every matching attempt)."""
    given = [name for name, value in (("--limit", args.limit), ("--batch-size", args.batch_size),
                                      ("--inline", args.inline or None)) if value is not None]  # fmt: skip
    if given:
        verb = "is an option" if len(given) == 1 else "are options"
        raise InputProblem(f"{' and '.join(given)} {verb} of a real run; a dry run takes --sample and --seed")
