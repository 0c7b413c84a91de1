"""The library search's folding: what learners type finds what was pasted (QA: "cafe" did not
find "café", nor "well known" or "wellknown" find "well-known")."""

from __future__ import annotations

import pytest

from shared.domain.search_text import SEPARATOR, fold, needles, searchable


def found(search: str, title: str, text: str = "") -> bool:
    stored = searchable(title, text)
    return any(form in stored for form in needles(search))


@pytest.mark.parametrize(
    ("search", "text"),
    [
        ("cafe", "A café at noon"),
        ("CAFÉ", "a cafe at noon"),
        ("naive", "naïve"),
        ("odegaard", "Ødegaard"),
        ("strasse", "Straße"),
        ("didn't look", "didn\u2019t look"),
        ("well known", "a well-known tale"),
        ("wellknown", "a well-known tale"),
        ("well-known", "a well known tale"),
        ("well-known", "a wellknown tale"),
        ("shall not want", "I shall not\nwant"),
        ("liberty and", "liberty\u2014and"),
        ("liberty and", "liberty--and"),
    ],
)
def test_a_search_finds_the_text_as_a_learner_types_it(search: str, text: str) -> None:
    assert found(search, "Title", text), (search, text)


@pytest.mark.parametrize(
    ("search", "text"),
    [
        ("a nation", "an explanation"),  # words are not run together across spaces
        ("libertyand", "liberty\u2014and"),  # a dash between words is no hyphen
        ("title text", ""),  # the title's end and the text's start are not one phrase
    ],
)
def test_a_search_does_not_run_words_together(search: str, text: str) -> None:
    assert not found(search, "The title", text or "Text"), (search, text)


def test_folding_is_lower_case_plain_letters_and_single_spaces() -> None:
    assert fold("  Ça  VA\u00a0\tbien\u2019 ") == "ca va bien'"


def test_a_search_of_only_hyphens_and_spaces_searches_for_nothing() -> None:
    assert needles(" - \u2014 ") == []


def test_the_stored_forms_are_apart_and_a_plain_text_is_stored_once() -> None:
    assert searchable("Psalm", "The Lord") == f"psalm{SEPARATOR}the lord"
    assert searchable("Psalm", "well-known") == SEPARATOR.join(["psalm", "well known", "wellknown"])
