"""``python -m bench.eval.rescore ROWS [ROWS…]``: score a run's heard words again.

A rule change in scoring does not change what the engine heard, so the
rows a run saved (``.recital/eval/<name>_rows.json``: heard words, the
analysis's pauses, silences and duration) are scored again with the code as
it is now, in seconds instead of the recognition's many minutes. Prints the
report (``--write DIR``: also writes it). The figures of an engine change
come only from ``python -m bench.eval``, which recognises afresh.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from bench.eval import report
from shared.domain.scoring import ScoringOptions, score_recitation
from shared.domain.transcript import SpokenWord, Transcript
from shared.sounds import MEANING_OR_SOUND


def rescore(row: dict[str, Any]) -> dict[str, Any]:
    analysis = row["analysis"]
    words = tuple(SpokenWord(**w) for w in row["heard"])
    transcript = Transcript(words, "offline", "eval")
    result = score_recitation(
        row["item"]["text"], transcript, ScoringOptions(),
        pauses=[tuple(p) for p in analysis["pauses"]], duration=analysis["duration"],
        silences=[tuple(s) for s in analysis["silences"]], related=MEANING_OR_SOUND,
    )  # fmt: skip
    return {**row, "result": result.to_dict()}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.eval.rescore")
    parser.add_argument("rows", type=Path, nargs="+")
    parser.add_argument("--cases", action="store_true", help="list the cases whose counts changed")
    parser.add_argument(
        "--write",
        type=Path,
        help="also write the report to DIR/<split stem>.json and .md (the rows file's name without "
        "_rows and its tag): the figures of a rule change over recognitions made before it",
    )
    args = parser.parse_args()
    for path in args.rows:
        rows = json.loads(path.read_text())
        new = [rescore(row) for row in rows]
        data = report.tables(new)
        data["wall_seconds"] = 0.0
        print(f"== {path.name} ==")
        print(report.markdown(data))
        if args.write:
            stem = path.name.removesuffix("_rows.json").removesuffix("_before").removesuffix("_base")
            data["rescored_from"] = path.name
            (args.write / f"{stem}.json").write_text(json.dumps(data, indent=1))
            (args.write / f"{stem}.md").write_text(report.markdown(data))
        if args.cases:
            old = report.tables(rows)["cases"]
            for before, after in zip(old, data["cases"], strict=True):
                if before["counts"] != after["counts"]:
                    print(before["name"], before["counts"], "->", after["counts"])


if __name__ == "__main__":
    main()
