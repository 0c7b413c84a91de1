"""Issue #23's table: each split's figures now beside the figures before that work.

Reads ``bench/results/<stem>.json`` (this run) and ``<stem>_before.json``
(measured with main as of commit 3f0a1ce, before issue #23's changes) for
every split that has them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

QUIET = ("quiet", "faint")  # learner conditions with a low level (faint: if the set has it)
TARGETS = {
    "miscues detected": "≥ 97 %", "false alarms, overall": "≤ 1.5 %",
    "false alarms, pink noise 15 dB": "≤ 3 %", "false alarms, worst condition": "≤ 3 %",
    "self-corrections recognised": "≥ 90 %", "inserted words and repeats reported": "≥ 95 %",
    "quiet recordings scored": "all", "hesitations": "keep", "accuracy-score error": "≤ 1.5",
}  # fmt: skip


def stem(split: str) -> str:
    return "eval" if split == "main" else f"eval_{split}"


def figures(data: dict[str, Any]) -> dict[str, str]:
    """The issue's figures from one report (``report.tables``)."""
    overall, conditions = data["overall"], data["by_condition"]
    rated = {c: s["false_alarm"] for c, s in conditions.items() if s["false_alarm"] is not None}
    worst = max(rated, key=lambda c: rated[c]) if rated else None
    rows = {
        "miscues detected": _pct(overall["detection"]),
        "false alarms, overall": _pct(overall["false_alarm"]),
        "false alarms, pink noise 15 dB": _pct(conditions.get("noise", {}).get("false_alarm")),
        "false alarms, worst condition": f"{_pct(rated[worst])} ({worst})" if worst else "–",
        "self-corrections recognised": overall["self_corrections"],
    }
    labels = {"pause": "after a pause", "none": "no pause", "short": "short break",
              "synonym": "synonym", "near_sound": "near sound", "function": "function word"}  # fmt: skip
    # Reports written before the shapes were counted: every repair then followed a pause.
    shapes = overall.get("self_corrections_by_shape", {"pause": overall["self_corrections"]})
    for shape, label in labels.items():
        rows[f"  · {label}"] = shapes.get(shape, "–")
    rows["inserted words and repeats reported"] = overall.get("extras_reported") or _extras(overall)
    rows["quiet recordings scored"] = _quiet(data)
    rows["recordings the worker would refuse"] = str(sum(data.get("unusable", {}).values()))
    rows["hesitations"] = overall["hesitations"]
    rows["accuracy-score error"] = "–" if overall["accuracy_mae"] is None else str(overall["accuracy_mae"])
    return rows


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value} %"


def _extras(overall: dict[str, Any]) -> str:
    pairs = [overall[k].split("/") for k in ("insertions", "repetitions")]
    found, events = (sum(int(pair[i]) for pair in pairs) for i in (0, 1))
    return f"{found}/{events}"


def _quiet(data: dict[str, Any]) -> str:
    # Older reports: conditions from the case names, refusals only in total.
    names = [case["name"].split("-")[-2] for case in data.get("cases", [])]
    cases = data.get("cases_by_condition") or {c: names.count(c) for c in QUIET}
    refused = data.get("unusable_by_condition") or {"quiet": (data.get("unusable") or {}).get("too_quiet", 0)}
    total = sum(cases.get(c, 0) for c in QUIET)
    if not total:
        return "–"
    bad = sum(refused.get(c, 0) for c in QUIET)
    return f"{total - bad}/{total} ({bad} refused)"


def table(results: Path, splits: list[str]) -> str:
    """Markdown: one row per figure, before | now per split, and the target."""
    head, columns = ["figure"], []
    for split in splits:
        for when, suffix in (("before", "_before"), ("now", "")):
            path = results / f"{stem(split)}{suffix}.json"
            if path.exists():
                head.append(f"{split} {when}")
                columns.append(figures(json.loads(path.read_text())))
    head.append("target")
    lines = ["| " + " | ".join(head) + " |", "|---" * len(head) + "|"]
    for name in columns[0] if columns else []:
        cells = [column.get(name, "–") for column in columns]
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {TARGETS.get(name, '')} |")
    return "\n".join(lines) + "\n"
