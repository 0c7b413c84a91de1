"""``python -m bench.eval [--split S] [--quick] [--held-out] [--rounds N] [--conditions a,b]``.

Scores the evaluation set.

With no ``--split`` (``make eval``) every split in turn: main, held_out,
tune and final. For each, prints miscue detection, false alarms, F1,
accuracy-score error, hesitations, insertions, repetitions, self-corrections
and filler costs, overall and per condition, and writes
bench/results/eval[_<split>][_quick].json and .md; at the end issue #23's
table, every split beside its figures before that work
(``eval*_before.json``). The cases are cached in .recital/eval (not committed).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import time
from functools import partial
from pathlib import Path

from bench.eval import report, summary
from bench.eval.cases import ALL_CONDITIONS, CONDITIONS
from bench.eval.run import SPLITS, plan, score_case

ROOT = Path(__file__).resolve().parents[2]


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.eval")
    parser.add_argument("--quick", action="store_true", help="one condition per kind (about a minute)")
    parser.add_argument("--held-out", action="store_true", help="the held-out split (= --split held_out)")
    parser.add_argument(
        "--split",
        choices=SPLITS,
        action="append",
        help="main, held_out, tune (issue #23's shapes, for development) or final "
        "(measured only at the end); repeatable; default all four",
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="synthetic cases per kind and condition (other seeds, texts, voices)",
    )
    parser.add_argument(
        "--conditions",
        default=",".join(CONDITIONS),
        help="comma-separated learner conditions the cases rotate through, of " + ", ".join(ALL_CONDITIONS),
    )
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument("--cache", type=Path, default=ROOT / ".recital" / "eval")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    parser.add_argument("--tag", default="", help="suffix for the result files (e.g. _baseline)")
    args = parser.parse_args()
    args.conditions = tuple(c.strip() for c in args.conditions.split(",") if c.strip())
    unknown = sorted(set(args.conditions) - set(ALL_CONDITIONS))
    if unknown or not args.conditions:
        parser.error(f"unknown condition(s): {', '.join(unknown) or '(none given)'}")
    splits = args.split or (["held_out"] if args.held_out else list(SPLITS))
    for split in splits:
        print(f"== {split} ==")
        print(run_split(split, args))
    tail = ("_quick" if args.quick else "") + (f"_x{args.rounds}" if args.rounds > 1 else "")
    tail += _conditions_tag(args) + args.tag
    if not tail:
        print("Issue #23's figures, before (main at 3f0a1ce) and now:")
        print(summary.table(args.out, splits))


def run_split(split: str, args: argparse.Namespace) -> str:
    items = plan(split, args.quick, args.rounds, args.conditions)
    started = time.perf_counter()
    work = partial(score_case, cache=args.cache)
    if args.jobs > 1:
        from shared.kernels import compile_audio_kernels

        compile_audio_kernels()  # before the fork: two workers compiling at once spoil numba's cache
        with multiprocessing.get_context("fork").Pool(args.jobs) as pool:
            rows = pool.map(work, items, chunksize=1)
    else:
        rows = [work(item) for item in items]
    wall = time.perf_counter() - started
    name = summary.stem(split) + ("_quick" if args.quick else "")
    name += (f"_x{args.rounds}" if args.rounds > 1 else "") + _conditions_tag(args) + args.tag
    # Every case's result and engine words, for looking into single cases.
    args.cache.mkdir(parents=True, exist_ok=True)
    (args.cache / f"{name}_rows.json").write_text(json.dumps(rows))
    return report.write(rows, wall, args.out / name)


def _conditions_tag(args: argparse.Namespace) -> str:
    return "" if args.conditions == CONDITIONS else "_" + "_".join(args.conditions)


if __name__ == "__main__":
    main()
