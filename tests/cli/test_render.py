"""What `recital demo` and `recital score` print: words counted as a reader counts, a key that
explains the marks without colour."""

from __future__ import annotations

from io import StringIO

from rich.console import Console

from cli.render import print_result
from shared.domain.scoring import score_recitation
from shared.domain.transcript import SpokenWord, Transcript


def printed(text: str, said: list[tuple[str, float, float]]) -> str:
    words = tuple(SpokenWord(w, start, end) for w, start, end in said)
    result = score_recitation(text, Transcript.of(words, "offline", "m"), duration=said[-1][2] + 0.5)
    out = StringIO()
    print_result(result.to_dict(), Console(file=out, no_color=True, width=120))
    return out.getvalue()


def test_a_hesitation_names_the_word_it_came_before_counting_from_one() -> None:
    shown = printed("The Lord is my shepherd", [("the", 0.0, 0.3), ("lord", 0.4, 0.7), ("is", 3.2, 3.4),
                                                ("my", 3.5, 3.7), ("shepherd", 3.8, 4.3)])  # fmt: skip
    assert 'before word 3 ("is")' in shown, shown


def test_the_key_shows_each_mark_beside_its_status() -> None:
    shown = printed("The Lord is my shepherd", [("the", 0.0, 0.3), ("lord", 0.4, 0.7), ("my", 0.8, 1.0)])
    key = next(line for line in shown.splitlines() if line.startswith("key:"))
    for status_and_mark in ("omitted –", "substituted ✗", "inserted +", "repeated ↻", "self_corrected ✓"):
        assert status_and_mark in key, key
    assert "shepherd–" in shown  # the mark the key explains
