"""Each section is rated from its own miscues and hesitations only."""

from __future__ import annotations

from shared.domain.review import AGAIN, EASY, GOOD, HARD, review_sections
from tests.support.results import scored

TEXT = (
    "The Lord is my shepherd; I shall not want. "
    "He maketh me to lie down in green pastures: he leadeth me beside the still waters. "
    "He restoreth my soul: he leadeth me in the paths of righteousness for his name's sake."
)
SECTION_1 = "The Lord is my shepherd I shall not want"
SECTION_2 = "He maketh me to lie down in green pastures he leadeth me beside the still waters"
SECTION_3 = "He restoreth my soul he leadeth me in the paths of righteousness for his name's sake"


def ratings(spoken: str, pauses: dict[int, float] | None = None) -> list[int]:
    return [r.rating for r in review_sections(scored(TEXT, spoken, pauses))]


def test_a_perfect_recitation_is_easy_everywhere() -> None:
    assert ratings(f"{SECTION_1} {SECTION_2} {SECTION_3}") == [EASY, EASY, EASY]


def test_a_slip_in_one_section_rates_only_that_section_hard() -> None:
    slipped = SECTION_2.replace("green", "great")
    assert ratings(f"{SECTION_1} {slipped} {SECTION_3}") == [EASY, HARD, EASY]


def test_losing_most_of_a_section_is_again() -> None:
    assert ratings(f"{SECTION_1} He maketh me {SECTION_3}") == [EASY, AGAIN, EASY]


def test_one_pause_inside_a_section_is_good() -> None:
    words = SECTION_1.split()
    assert ratings(f"{SECTION_1} {SECTION_2} {SECTION_3}", {len(words) + 5: 1.6}) == [EASY, GOOD, EASY]


def test_reviews_carry_the_sections_text_and_accuracy() -> None:
    reviews = review_sections(scored(TEXT, f"{SECTION_1} {SECTION_3}"))
    assert [r.index for r in reviews] == [0, 1, 2]
    assert reviews[1].text.startswith("He maketh me")
    assert reviews[1].accuracy == 0.0 and reviews[1].misses == 16
