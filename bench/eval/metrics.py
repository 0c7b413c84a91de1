"""Compare a scored attempt with a case's truth and add up the figures.

Per reference word a *miscue* is a word truly omitted or substituted; it is
detected when the result does not count it right (omitted or substituted).
Insertion and repetition events count as miscues too, detected when the
result has an extra word (inserted or repeated) within one word of the true
place. A *false alarm* is a truly right word (correct or self-corrected)
reported omitted or substituted. F1 uses precision = detected / (detected +
false alarms). An *unfounded repair* is a word reported `self_corrected`
where the learner made no repair.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from typing import Any

from bench.eval.cases import Truth

WRONG = ("omitted", "substituted")
RIGHT = ("correct", "self_corrected")


def compare(truth: Truth, result: dict[str, Any]) -> Counter[str]:
    """Counts for one case (all keys summable across cases)."""
    words = [w for w in result["words"] if w["index"] is not None]
    status = {w["index"]: w["status"] for w in words}
    shapes = {i: (timing, relation) for i, timing, relation in truth.repairs}
    c: Counter[str] = Counter()
    for i, true in enumerate(truth.statuses):
        said = status.get(i, "omitted")
        if true in WRONG:
            c["miscues"] += 1
            c["detected"] += said in WRONG
        else:
            c["right_words"] += 1
            c["false_alarms"] += said in WRONG
        # A repair reported where none was made tells the learner a story that did
        # not happen (an insertion read as a slip repaired): counted, not hidden.
        c["repairs_reported"] += said == "self_corrected"
        c["repairs_unfounded"] += said == "self_corrected" and true != "self_corrected"
        if true == "self_corrected":
            c["self_corrections"] += 1
            c["self_corrections_found"] += said == "self_corrected"
            # By shape: the main and held-out sets' repairs all follow a pause.
            for shape in shapes.get(i, ("pause", "other")):
                c[f"sc_{shape}"] += 1
                c[f"sc_{shape}_found"] += said == "self_corrected"
    _extras(truth, result, c)
    _hesitations(truth, result, c)
    c["accuracy_error_x10"] += round(10 * abs(result["scores"]["accuracy"] - truth.accuracy))
    c["cases"] += 1
    return c


def reported_near(anchor: int, result: dict[str, Any]) -> bool:
    """Does the result report an extra word (inserted or repeated) within one
    word of the true extra's place (after reference word ``anchor``)?"""
    anchors, last = [], -1
    for w in result["words"]:
        if w["index"] is not None:
            last = w["index"]
        elif w["status"] in ("inserted", "repeated"):
            anchors.append(last)
    return any(abs(a - anchor) <= 1 for a in anchors)


def _extras(truth: Truth, result: dict[str, Any], c: Counter[str]) -> None:
    wrong = {w["index"] for w in result["words"] if w["index"] is not None and w["status"] in WRONG}
    for anchor, kind in truth.extras:
        near = reported_near(anchor, result)
        if kind == "filler":
            c["fillers"] += 1
            # A filler costs accuracy if a right word beside it is marked wrong.
            c["filler_costs"] += any(truth.statuses[i] in RIGHT and i in wrong for i in (anchor, anchor + 1))
            continue
        c["miscues"] += 1
        c["detected"] += near
        c[f"{kind}_events"] += 1
        c[f"{kind}_found"] += near


def _hesitations(truth: Truth, result: dict[str, Any], c: Counter[str]) -> None:
    for start, end in truth.hesitations:
        c["hesitations"] += 1
        overlap = max(
            (min(end, h["end"]) - max(start, h["start"]) for h in result["hesitations"]), default=0.0
        )
        c["hesitations_found"] += overlap >= 0.5 * (end - start)


def summary(counts: Counter[str]) -> dict[str, Any]:
    """Rates from summed counts (None where there was nothing to count)."""

    def rate(part: str, whole: str) -> float | None:
        return round(100.0 * counts[part] / counts[whole], 1) if counts[whole] else None

    detected, alarms = counts["detected"], counts["false_alarms"]
    recall = detected / counts["miscues"] if counts["miscues"] else 0.0
    precision = detected / (detected + alarms) if detected + alarms else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "cases": counts["cases"],
        "miscues": counts["miscues"],
        "detection": rate("detected", "miscues"),
        "false_alarm": rate("false_alarms", "right_words"),
        "f1": round(100 * f1, 1),
        "accuracy_mae": round(counts["accuracy_error_x10"] / 10 / counts["cases"], 2)
        if counts["cases"]
        else None,
        "hesitations": _found(counts, "hesitations"),
        "insertions": _found(counts, "inserted_events", "inserted_found"),
        "repetitions": _found(counts, "repeated_events", "repeated_found"),
        "self_corrections": _found(counts, "self_corrections"),
        "repairs_unfounded": _found(counts, "repairs_reported", "repairs_unfounded"),
        "filler_costs": f"{counts['filler_costs']} of {counts['fillers']}",
        "extras_reported": f"{counts['inserted_found'] + counts['repeated_found']}/"
        f"{counts['inserted_events'] + counts['repeated_events']}",
        "self_corrections_by_shape": {
            shape: _found(counts, f"sc_{shape}") for shape in SHAPES if counts[f"sc_{shape}"]
        },
    }


# Self-correction shapes: timings, then what the slip is to the right word.
SHAPES = ("pause", "none", "short", "synonym", "near_sound", "function", "other")


def _found(counts: Counter[str], total: str, found: str | None = None) -> str:
    return f"{counts[found or total + '_found']}/{counts[total]}"


def add(items: Iterable[Counter[str]]) -> Counter[str]:
    total: Counter[str] = Counter()
    for item in items:
        total.update(item)
    return total


# Rates whose uncertainty is worth printing: (label, part, whole).
_RATES = (
    ("detection", "detected", "miscues"),
    ("false alarms", "false_alarms", "right_words"),
    ("hesitations", "hesitations_found", "hesitations"),
    ("self-corrections", "self_corrections_found", "self_corrections"),
    ("fillers costing accuracy", "filler_costs", "fillers"),
)


def intervals(counts: Counter[str]) -> dict[str, tuple[float, float]]:
    """95 % Wilson score intervals (percent) of the main rates: with a dozen
    events a rate is known only to some 30 points."""
    return {label: wilson(counts[part], counts[whole]) for label, part, whole in _RATES if counts[whole]}


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """Wilson score interval of k successes in n trials, in percent."""
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return round(100 * max(0.0, centre - half), 1), round(100 * min(1.0, centre + half), 1)
