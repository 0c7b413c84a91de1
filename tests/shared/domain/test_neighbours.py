"""Readings a neighbour settles: the day of a date is an ordinal."""

from __future__ import annotations

import pytest

from shared.domain.text import parse_reference
from shared.transcription.offline.piece_model import piece_tokens
from tests.support.results import scored_result


@pytest.mark.parametrize(
    ("piece", "said"),
    [
        ("On December 25, 1776, they crossed", "on december twenty fifth seventeen seventy six they crossed"),
        (
            "On December 25, 1776, they crossed",
            "on december the twenty fifth seventeen seventy six they crossed",
        ),
        ("On 25 December they crossed", "on the twenty fifth of december they crossed"),
        ("On 25 December they crossed", "on twenty fifth december they crossed"),
        ("On July 4 we met", "on july four we met"),
        ("On 17 November 1558 she", "on the seventeenth of november fifteen fifty eight she"),
        ("On 17 November 1558 she", "on seventeenth november fifteen fifty eight she"),
        ("On November 17, 1558, she", "on november the seventeenth fifteen fifty eight she"),
        ("On November 17, 1558, she", "on november seventeenth fifteen fifty eight she"),
    ],
)
def test_the_day_of_a_date_reads_as_said(piece: str, said: str) -> None:
    """Before: "25" next to a month was only "twenty five"."""
    result = scored_result(piece, said)
    assert [(w.expected, w.spoken) for w in result.words if w.status.value != "correct"] == []


def test_a_number_near_no_month_or_after_a_sentence_stays_a_cardinal() -> None:
    keys = [word.key for word in parse_reference("I ate 25 dates in May. 4 were bad").words]
    assert keys == ["i", "ate", "twentyfive", "dates", "in", "may", "four", "were", "bad"]


def test_the_engines_model_hears_the_day_as_the_scorer_reads_it() -> None:
    assert piece_tokens("On December 25 and 2\u00bd days") == [
        "on", "december", "the", "twenty", "fifth", "and", "two", "and", "a", "half", "days", "</s>",
    ]  # fmt: skip


def test_no_before_a_number_is_number_and_does_not_end_a_sentence() -> None:
    """Before: "No." ended a sentence, and "number ten" was a substitution."""
    result = scored_result("No. 10 Downing Street", "number ten downing street")
    assert [(w.expected, w.spoken) for w in result.words if w.status.value != "correct"] == []
    sections = [
        section.text
        for section in parse_reference("See No. 10 Downing Street. He said no. Then left.").sections
    ]
    assert sections == ["See No. 10 Downing Street.", "He said no.", "Then left."]
