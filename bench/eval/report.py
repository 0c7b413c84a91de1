"""Figures per condition and per kind, printed and written as JSON and Markdown."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from bench.eval.cases import ALL_CONDITIONS, Truth
from bench.eval.metrics import add, compare, intervals, summary

COLUMNS = ("cases", "miscues", "detection", "false_alarm", "f1", "accuracy_mae", "hesitations",
           "insertions", "repetitions", "self_corrections", "filler_costs")  # fmt: skip


def tables(rows: list[dict[str, Any]]) -> dict[str, Any]:
    counts = [(row, compare(Truth(**row["truth"]), row["result"])) for row in rows]
    present = {r["item"]["condition"] for r, _ in counts}
    conditions = [c for c in ALL_CONDITIONS if c in present]
    by_condition = {c: summary(add(n for r, n in counts if r["item"]["condition"] == c)) for c in conditions}
    kinds = sorted({r["item"]["kind"] for r, _ in counts})
    by_kind = {k: summary(add(n for r, n in counts if r["item"]["kind"] == k)) for k in kinds}
    audio = sum(r["audio_seconds"] for r in rows)
    cpu = sum(r["cpu_seconds"] for r in rows)
    reads = [r["result"]["scores"]["accuracy"] for r in rows if r["item"]["kind"] == "real_read"]
    total = add(n for _, n in counts)
    return {
        "overall": summary(total),
        "intervals": intervals(total),
        "by_condition": by_condition,
        "by_kind": by_kind,
        "engine_rtf_cpu": round(cpu / audio, 3) if audio else None,
        "audio_seconds": round(audio, 1),
        "real_clean_reads": {
            "count": len(reads),
            "min_accuracy": min(reads, default=None),
            "below_95": sum(a < 95 for a in reads),
        },  # fmt: skip
        # Cases the worker would refuse (too short, too quiet…): scored here all the
        # same, so the figures cover every case; counted so the difference is visible.
        "unusable": dict(Counter(r["unusable"] for r in rows if r.get("unusable"))),
        "unusable_by_condition": {
            c: sum(1 for r in rows if r.get("unusable") and r["item"]["condition"] == c) for c in conditions
        },
        "cases_by_condition": {c: sum(1 for r in rows if r["item"]["condition"] == c) for c in conditions},
        "cases": [_case_line(r, n) for r, n in counts],
    }


def _case_line(row: dict[str, Any], counts: Counter[str]) -> dict[str, Any]:
    item = row["item"]
    return {"name": item["name"], "accuracy": row["result"]["scores"]["accuracy"],
            "true_accuracy": round(Truth(**row["truth"]).accuracy, 1),
            "transcript": row["result"]["transcript"], "counts": dict(counts)}  # fmt: skip


def markdown(data: dict[str, Any]) -> str:
    head = "| | " + " | ".join(COLUMNS) + " |"
    lines = [head, "|---" * (len(COLUMNS) + 1) + "|"]
    lines.append(_row("**overall**", data["overall"]))
    lines += [_row(c, s) for c, s in data["by_condition"].items()]
    lines += ["", head, "|---" * (len(COLUMNS) + 1) + "|"]
    lines += [_row(k, s) for k, s in data["by_kind"].items()]
    clean = data["real_clean_reads"]
    rtf = f"engine CPU real-time factor: {data['engine_rtf_cpu']} over {data['audio_seconds']} s of audio"
    reads = f"clean real recordings: {clean['count']}, lowest accuracy {clean['min_accuracy']}"
    spread = ", ".join(f"{label} {low}–{high} %" for label, (low, high) in data["intervals"].items())
    lines += ["", f"{rtf}; wall {data['wall_seconds']} s", f"{reads}, below 95: {clean['below_95']}"]
    lines += [f"95 % intervals (Wilson), overall: {spread}"]
    unfounded = data["overall"].get("repairs_unfounded")
    if unfounded:  # absent from reports written before it was counted
        made_up, reported = unfounded.split("/")
        lines += [f"self-corrections reported where none was made: {made_up} of {reported}"]
    refused = data.get("unusable", {})
    reasons = ", ".join(f"{code} {n}" for code, n in sorted(refused.items()))
    lines += [
        f"cases the worker would refuse, scored here: {sum(refused.values())}"
        + (f" ({reasons})" if reasons else "")
    ]
    return "\n".join(lines) + "\n"


def _row(label: str, s: dict[str, Any]) -> str:
    return f"| {label} | " + " | ".join("–" if s[c] is None else str(s[c]) for c in COLUMNS) + " |"


def write(rows: list[dict[str, Any]], wall: float, stem: Path) -> str:
    data = tables(rows)
    data["wall_seconds"] = round(wall, 1)
    stem.parent.mkdir(parents=True, exist_ok=True)
    stem.with_suffix(".json").write_text(json.dumps(data, indent=1))
    text = markdown(data)
    stem.with_suffix(".md").write_text(text)
    return text
