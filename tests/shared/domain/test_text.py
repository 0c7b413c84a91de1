"""The reference text: its words, sections and phrase ends."""

from __future__ import annotations

import pytest

from shared.domain.text import parse_reference


def test_sections_split_on_sentences_and_lines() -> None:
    text = "The Lord is my shepherd; I shall not want.\nHe maketh me to lie down\nin green pastures."
    ref = parse_reference(text)
    assert [s.text for s in ref.sections] == [
        "The Lord is my shepherd; I shall not want.",
        "He maketh me to lie down",
        "in green pastures.",
    ]
    assert [(s.first_word, s.last_word) for s in ref.sections] == [(0, 8), (9, 14), (15, 17)]
    assert all(
        ref.words[i].section == s.index for s in ref.sections for i in range(s.first_word, s.last_word + 1)
    )


def test_abbreviation_does_not_end_a_sentence() -> None:
    ref = parse_reference("Mr. Lincoln spoke. Then he sat.")
    assert len(ref.sections) == 2
    assert ref.sections[0].text == "Mr. Lincoln spoke."


def test_dashes_split_words_and_display_keeps_spelling() -> None:
    ref = parse_reference("\u201cLiberty\u2014and justice\u201d for all -- 'Tis well-known.")
    assert [w.display for w in ref.words] == [
        "Liberty",
        "and",
        "justice",
        "for",
        "all",
        "'Tis",
        "well-known",
    ]


def test_empty_reference_is_rejected() -> None:
    with pytest.raises(ValueError, match="empty"):
        parse_reference("  \n ")
    with pytest.raises(ValueError, match="no words"):
        parse_reference("-- ... !")


def test_phrase_ends_are_words_before_punctuation_or_a_section_end() -> None:
    ref = parse_reference('A time to be born, and a time to die;\n"Yes," he said -- softly\nthe end')
    ends = {ref.displays[i] for i in ref.phrase_ends}
    assert ends == {"born", "die", "Yes", "softly", "end"}
