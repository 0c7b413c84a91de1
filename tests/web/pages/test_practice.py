"""The practice page: the text split for its modes, and a section opened from the progress page."""

from __future__ import annotations

import pytest
from flask import Flask

from tests.support.pages import add_piece, signed_in


def test_practice_shows_each_word_split_at_its_first_letter(app: Flask) -> None:
    client = signed_in(app, "ada")
    page = client.get(f"/pieces/{add_piece(client)}/practice").text
    assert '<span class="f">s</span><span class="r">hepherd;</span>' in page
    assert 'name="mode" value="letters"' in page and 'name="mode" value="hidden"' in page
    assert "/api/v1/pieces/" in page  # the recorder uploads through the JSON API
    joined = client.get(f"/pieces/{add_piece(client, 'Dashed', 'Stop—it is time.')}/practice").text
    # Two words the scorer marks apart, each with its first letter (QA: "it" lost its cue).
    assert (
        '<span class="f">S</span><span class="r">top</span><span class="f">—i</span><span class="r">t</span>'
        in joined
    )


def test_first_letter_cues_match_the_words_the_scorer_counts() -> None:
    from shared.services.pieces import word_count
    from web.pages.text import practice_words

    for text in ("stop—it's", "rock–and–roll", "stop--go", "hello\u2015world", "twenty-one", "a — b"):
        parts = [part for line in practice_words(text) for w in line for part in w.parts]
        cues = [first for first, _ in parts if first.strip("—–―-")]
        assert len(cues) == word_count(text), text


def test_a_line_with_nothing_to_recite_is_shown_whole_as_first_letters() -> None:
    """QA: "Refrain:" showed as "R" and "by Robert Frost" as "b R F", as if to be said."""
    from web.pages.text import practice_words

    lines = practice_words("The Road\nby Robert Frost\n\nRefrain:\nTwo roads")
    assert [[w.parts for w in line] for line in lines] == [
        [(("T", "he"),), (("R", "oad"),)],
        [(("by", ""),), (("Robert", ""),), (("Frost", ""),)],
        [],
        [(("Refrain:", ""),)],
        [(("T", "wo"),), (("r", "oads"),)],
    ]


def test_a_speakers_name_and_a_verse_number_are_shown_whole_as_first_letters() -> None:
    from web.pages.text import practice_words

    text = "HAMLET: To be (aside) or not\nOPHELIA: 16 So loved. 17 He sent. 18 He that"
    firsts = [w.parts[0][0] for line in practice_words(text) for w in line]
    assert firsts == [
        "HAMLET:",
        "T",
        "b",
        "(aside)",
        "o",
        "n",
        "OPHELIA:",
        "16",
        "S",
        "l",
        "17",
        "H",
        "s",
        "18",
        "H",
        "t",
    ]


def test_a_practice_page_asked_for_no_such_section_shows_the_text_unmarked(app: Flask) -> None:
    client = signed_in(app, "ada")
    piece_id = add_piece(client)
    for section in ("99", "-1", "x"):
        page = client.get(f"/pieces/{piece_id}/practice?section={section}")
        assert page.status_code == 200 and "<mark" not in page.text and "section-note" not in page.text


@pytest.mark.parametrize(
    ("text", "index", "expected"),
    [
        ("ROMEO: But soft! What light?\nJULIET: Ay me.", 1, "What light?"),  # speakers not scored
        ("1 The Lord is my shepherd. 2 I shall not want. 3 He restoreth my soul.", 1, "I shall not want."),
        ("Glory! Amen. Glory! Amen.", 2, "Glory!"),  # the second time, where it is said
        ("Glory [x] be, said he. Amen.", 0, "Glory [x] be, said he."),  # a label cut from inside
        (
            "1 God so loved the world,a that he gave. 2 He sent. 3 Not",
            0,
            "God so loved the world,a that he gave.",
        ),
        ("AL: Good my lord, (She curtsies) how?\nBO: Well.", 0, "Good my lord, (She curtsies) how?"),
        ("Glory [x] be, said he. Amen.", 1, "Amen."),  # the next still is
        ("One line.", 1, None),  # no such section
    ],
)
def test_a_section_to_practise_is_found_in_the_text_as_pasted(
    text: str, index: int, expected: str | None
) -> None:
    from web.pages.text import section_span

    span = section_span(text, index)
    assert (text[span[0] : span[1]] if span else None) == expected
    if index == 2 and span:
        assert span[0] == text.rindex("Glory!")
