"""``python -m bench.eval [--quick] [--held-out] [--rounds N] [--conditions a,b]``: score the evaluation set.

Prints miscue detection, false alarms, F1, accuracy-score error,
hesitations, insertions, repetitions, self-corrections and filler costs,
overall and per condition; writes bench/results/eval[_held_out|_quick].json
and .md. The cases are cached in .recital/eval (not committed).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import time
from functools import partial
from pathlib import Path

from bench.eval import report
from bench.eval.cases import ALL_CONDITIONS, CONDITIONS
from bench.eval.run import plan, score_case

ROOT = Path(__file__).resolve().parents[2]


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.eval")
    parser.add_argument("--quick", action="store_true", help="one condition per kind (about a minute)")
    parser.add_argument("--held-out", action="store_true", help="the held-out texts, voices and seeds")
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="synthetic cases per kind and condition (other seeds, texts, voices)",
    )
    parser.add_argument(
        "--conditions",
        default=",".join(CONDITIONS),
        help=f"comma-separated learner conditions the cases rotate through (of {', '.join(ALL_CONDITIONS)})",
    )
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument("--cache", type=Path, default=ROOT / ".recital" / "eval")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    parser.add_argument("--tag", default="", help="suffix for the result files (e.g. _baseline)")
    args = parser.parse_args()
    conditions = tuple(c.strip() for c in args.conditions.split(",") if c.strip())
    unknown = sorted(set(conditions) - set(ALL_CONDITIONS))
    if unknown or not conditions:
        parser.error(f"unknown condition(s): {', '.join(unknown) or '(none given)'}")
    items = plan(args.held_out, args.quick, args.rounds, conditions)
    started = time.perf_counter()
    work = partial(score_case, cache=args.cache)
    if args.jobs > 1:
        with multiprocessing.get_context("fork").Pool(args.jobs) as pool:
            rows = pool.map(work, items, chunksize=1)
    else:
        rows = [work(item) for item in items]
    wall = time.perf_counter() - started
    name = "eval" + ("_held_out" if args.held_out else "") + ("_quick" if args.quick else "")
    name += f"_x{args.rounds}" if args.rounds > 1 else ""
    name += ("" if conditions == CONDITIONS else "_" + "_".join(conditions)) + args.tag
    # Every case's result and engine words, for looking into single cases.
    args.cache.mkdir(parents=True, exist_ok=True)
    (args.cache / f"{name}_rows.json").write_text(json.dumps(rows))
    print(report.write(rows, wall, args.out / name))


if __name__ == "__main__":
    main()
