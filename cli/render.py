"""Readable output for people: scores, then the text with each word's status."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

STYLE = {
    "correct": "green",
    "substituted": "bold red",
    "omitted": "red strike",
    "inserted": "yellow",
    "repeated": "dim yellow",
    "self_corrected": "cyan",
}
MARK = {"substituted": "✗", "omitted": "–", "inserted": "+", "repeated": "↻", "self_corrected": "✓"}


def print_attempt(view: dict[str, Any], reference_text: str, console: Console | None = None) -> None:
    console = console or Console()
    console.print(f"[bold]Attempt {view['id']}[/bold]: {view['status']}")
    if view["status"] == "failed":
        error = view.get("error") or {}
        console.print(f"[red]{error.get('code')}[/red]: {error.get('message')}")
        return
    print_result(view["result"], console)


def print_result(result: dict[str, Any], console: Console | None = None) -> None:
    console = console or Console()
    console.print(_scores_table(result))
    console.print(_marked_text(result["words"]))
    console.print(_legend())
    expected = [w["expected"] for w in result["words"] if w.get("index") is not None]
    for pause in result.get("hesitations", []):
        console.print(f"hesitation {pause['duration']:.1f}s {_before(pause['before_word'], expected)}"
                      f" (at {pause['start']:.1f}s)")  # fmt: skip
    console.print(
        f"[dim]engine {result['engine']} / {result['model']}, scoring {result['scoring_version']}[/dim]"
    )


def print_warnings(codes: tuple[str, ...], console: Console | None = None) -> None:
    """The recording's quality warnings, in the sentences a learner is shown."""
    from shared.audio.quality import WARNING_MESSAGES

    console = console or Console()
    for code in codes:
        console.print(f"[yellow]warning {code}[/yellow]: {WARNING_MESSAGES.get(code, code)}")


def _scores_table(result: dict[str, Any]) -> Table:
    scores = result["scores"]
    table = Table(title="Scores")
    for name in ("accuracy", "completeness", "fluency", "overall", "wpm", "wcpm"):
        table.add_column(name, justify="right")
    table.add_row(
        *(f"{scores[name]:.1f}" for name in ("accuracy", "completeness", "fluency", "overall", "wpm", "wcpm"))
    )
    return table


def _marked_text(words: list[dict[str, Any]]) -> Text:
    text = Text()
    for word in words:
        status = word["status"]
        shown = word["expected"] or word["spoken"] or ""
        if status == "substituted":
            shown = f"{word['expected']}→{word['spoken']}"
        elif status in ("inserted", "repeated"):
            shown = f"[{word['spoken']}]"
        text.append(shown + MARK.get(status, ""), style=STYLE.get(status, ""))
        text.append(" ")
    return text


def _before(index: int | None, expected: list[str]) -> str:
    """Counted from 1, as a reader counts, with the word itself."""
    if index is None or not 0 <= index < len(expected):
        return "at the end"
    return f'before word {index + 1} ("{expected[index]}")'


def _legend() -> Text:
    """Each status with its mark, so the key explains the text without colour too."""
    legend = Text("key: ")
    for status, style in STYLE.items():
        legend.append(f"{status}{' ' + MARK[status] if status in MARK else ''}", style=style)
        legend.append("  ")
    return legend
