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
    for pause in result.get("hesitations", []):
        console.print(
            f"hesitation {pause['duration']:.1f}s before word {pause['before_word']}"
            f" (at {pause['start']:.1f}s)"
        )
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


def _legend() -> Text:
    legend = Text("key: ")
    for status, style in STYLE.items():
        legend.append(status, style=style)
        legend.append("  ")
    return legend
