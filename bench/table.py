"""Figures, medians over runs, and the table written as text, JSON and markdown."""

from __future__ import annotations

import json
import statistics
from dataclasses import asdict, dataclass, field
from pathlib import Path

RESULTS = Path(__file__).parent / "results"


@dataclass
class Figure:
    name: str
    unit: str
    runs: list[float]
    baseline_name: str = ""
    baseline_runs: list[float] = field(default_factory=list)
    target: str = ""
    ratio_note: str = ""  # how the ratio reads, e.g. "× baseline throughput"
    met: bool | None = None

    @property
    def median(self) -> float:
        return statistics.median(self.runs)

    @property
    def baseline(self) -> float | None:
        return statistics.median(self.baseline_runs) if self.baseline_runs else None

    @property
    def ratio(self) -> float | None:
        base = self.baseline
        return self.median / base if base else None


def _fmt(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.3g}" if abs(value) < 1000 else f"{value:,.0f}"


def rows(figures: list[Figure]) -> list[list[str]]:
    out = []
    for f in figures:
        spread = f"{_fmt(min(f.runs))}–{_fmt(max(f.runs))}"
        base = f"{_fmt(f.baseline)} ({f.baseline_name})" if f.baseline_runs else "—"
        ratio = f"{f.ratio:.3f}{f.ratio_note}" if f.ratio is not None else "—"
        verdict = {True: "met", False: "MISSED", None: ""}[f.met]
        out.append([f.name, f"{_fmt(f.median)} {f.unit}", spread, base, ratio, f.target, verdict])
    return out


HEADER = ["figure", "median", "min–max", "baseline (same run)", "ratio", "target", ""]


def markdown(figures: list[Figure]) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(r) + " |" for r in rows(figures)]
    return "\n".join(lines) + "\n"


def write(figures: list[Figure], meta: dict[str, object]) -> None:
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.md").write_text(markdown(figures))
    payload = {
        "meta": meta,
        "figures": [asdict(f) | {"median": f.median, "ratio": f.ratio} for f in figures],
    }
    (RESULTS / "latest.json").write_text(json.dumps(payload, indent=2))


def print_table(figures: list[Figure]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Recital benchmarks (medians; baselines measured in the same run)")
    for column in HEADER:
        table.add_column(column)
    for row in rows(figures):
        table.add_row(*row)
    Console(width=200).print(table)
