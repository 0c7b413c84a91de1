"""``python -m bench.eval.misses ROWS [--kind K] [--seed-from N]``: what each case got wrong.

The figures say how often; this says where. For each synthetic case of a
run's saved rows (``.recital/eval/<name>_rows.json``) with anything wrong,
prints what the voice said (pauses in brackets), what the engine heard, and
each word the result got wrong: a miscue not detected (``MISS``), a right
word reported wrong (``FALSE ALARM``), a repair not recognised (``REPAIR
MISSED``), a repair reported where none was made (``REPAIR UNFOUNDED``) and
an inserted or repeated word not reported (``EXTRA MISSED``). Read it for
the tune split's rounds, never for final (docs/scoring.md, "Evaluation").
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from bench.eval.metrics import RIGHT, WRONG, reported_near
from bench.eval.run import built_case


def case_misses(row: dict[str, Any]) -> list[str]:
    """One line per thing the result got wrong in this row, in piece order."""
    truth, result = row["truth"], row["result"]
    placed = {w["index"]: w for w in result["words"] if w["index"] is not None}
    out = []
    for i, true in enumerate(truth["statuses"]):
        word = placed.get(i, {"status": "omitted", "expected": None, "spoken": None})
        said, where = word["status"], f"@{i} {word.get('expected')!r} heard {word.get('spoken')!r}"
        if true in WRONG and said not in WRONG:
            out.append(f"MISS {true} {where}: {said}")
        elif true in RIGHT and said in WRONG:
            out.append(f"FALSE ALARM {where}: {said}")
        elif true == "self_corrected" and said != "self_corrected":
            out.append(f"REPAIR MISSED {where}: {said}")
        elif said == "self_corrected" and true != "self_corrected":
            out.append(f"REPAIR UNFOUNDED {where}")
    out += [
        f"EXTRA MISSED {kind} after @{anchor}"
        for anchor, kind in truth["extras"]
        if kind != "filler" and not reported_near(anchor, result)
    ]
    return out


def said_text(item: dict[str, Any]) -> str:
    """What the synthetic case's voice said, a pause after a word in brackets."""
    tokens = built_case(item).tokens
    return " ".join(t.text + (f" [{t.pause:.2f}s]" if t.pause else "") for t in tokens)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.eval.misses")
    parser.add_argument("rows", type=Path)
    parser.add_argument("--kind", default="", help="only cases whose kind contains this (sc_, insert…)")
    parser.add_argument("--seed-from", type=int, default=0, help="only cases seeded from N (one round)")
    args = parser.parse_args()
    for row in json.loads(args.rows.read_text()):
        item = row["item"]
        if item["type"] != "synth" or args.kind not in item["kind"] or item["seed"] < args.seed_from:
            continue
        lines = case_misses(row)
        if lines:
            print(f"== {item['name']} ({item['voice']})")
            print("   said :", said_text(item))
            print("   heard:", " ".join(w["text"] for w in row["heard"]))
            print("\n".join(f"   {line}" for line in lines))


if __name__ == "__main__":
    main()
