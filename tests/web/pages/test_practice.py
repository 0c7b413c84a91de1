"""The practice page: the text split for its modes, and a section opened from the progress page."""

from __future__ import annotations

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


def test_a_practice_page_asked_for_no_such_section_shows_the_text_unmarked(app: Flask) -> None:
    client = signed_in(app, "ada")
    piece_id = add_piece(client)
    for section in ("99", "-1", "x"):
        page = client.get(f"/pieces/{piece_id}/practice?section={section}")
        assert page.status_code == 200 and "<mark" not in page.text and "section-note" not in page.text
