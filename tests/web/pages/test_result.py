"""The result page: every word marked beyond colour, in the piece's lines, scores rounded honestly,
and nobody else's."""

from __future__ import annotations

import re
import uuid

from flask import Flask

from tests.support.pages import add_piece, done_attempt, signed_in


def test_the_result_marks_every_word_with_a_label_beyond_colour(app: Flask) -> None:
    client = signed_in(app, "ada")
    piece_id = add_piece(client)
    spoken = "The Lord is my shepherd I shall not want He maketh me to lie down in great pastures"
    attempt_id = done_attempt(app, "ada", piece_id, spoken, p5=2.0)  # a pause before "I"
    page = client.get(f"/attempts/{attempt_id}").text
    assert 'class="w s-substituted"' in page and "said “great”" in page
    assert ", said something else</span>" in page and ", correct</span>" in page
    assert "‖ 2.0 s" in page
    note = client.get(f"/api/v1/attempts/{attempt_id}").json["coaching_note"]  # the session cookie
    assert "You said “great” for “green” after “in”" in note  # the API carries the note
    assert note in page  # and the page shows the same one
    assert "try moving closer to the microphone" in page  # the quality warning in words
    assert re.search(r'data-start="[0-9.]+" data-end="[0-9.]+"', page)


POEM = (
    "Tyger Tyger, burning bright,\nIn the forests of the night;\n\n"
    "What immortal hand or eye,\nCould frame thy fearful symmetry?"
)


def shown_lines(page: str) -> list[str]:
    """The result's words line by line ("" for a stanza break), as the page shows them."""
    words = page.split('id="words"')[1].split("</div>")[0]
    paragraphs = re.findall(r"<p(?: class=\"gap\")?>(.*?)</p>", words, re.S)
    return [" ".join(re.findall(r'<button type="button" class="w[^>]*>([^<]*)<', p)) for p in paragraphs]


def test_a_poems_result_keeps_its_lines_and_stanza_breaks(app: Flask) -> None:
    client = signed_in(app, "ada")
    piece_id = add_piece(client, "The Tyger", POEM)
    # "In" missed, and "dark" added before "What": on the line of "What", as the coach
    # ("You added “dark” before “What”") and the weakest sections place it.
    spoken = (
        "Tyger Tyger burning bright the forests of the night dark "
        "what immortal hand or eye could frame thy fearful symmetry"
    )
    page = client.get(f"/attempts/{done_attempt(app, 'ada', piece_id, spoken, text=POEM)}").text
    assert shown_lines(page) == [
        "Tyger Tyger burning bright",
        "In the forests of the night",
        "",
        "dark What immortal hand or eye",
        "Could frame thy fearful symmetry",
    ]
    assert "You added “dark” before “What”" in page
    assert page.count('tabindex="0"') == 1  # still one tab stop for all the words


def test_a_scripts_result_keeps_its_lines_without_the_speakers_names(app: Flask) -> None:
    """A speaker's name is known only from several lines: counted line by line alone,
    each line had one word more than was scored, and the lines ran together."""
    client = signed_in(app, "ada")
    script = (
        "ROMEO: But soft, what light\nJULIET: Ay me\n[Exit]\n"
        "1 The Lord is my shepherd.\n2 I shall not want.\n3 He leadeth me."
    )
    piece_id = add_piece(client, "Scene", script)
    spoken = "but soft what light ay me the lord is my shepherd i shall not want he leadeth me"
    page = client.get(f"/attempts/{done_attempt(app, 'ada', piece_id, spoken, text=script)}").text
    assert shown_lines(page) == [
        "But soft what light", "Ay me", "", "The Lord is my shepherd", "I shall not want", "He leadeth me",
    ]  # fmt: skip


def test_a_result_not_read_against_the_pieces_text_shows_its_words_in_one_line() -> None:
    from web.pages.text import MarkedWord, marked_lines

    words = [
        MarkedWord(w, "correct", "correct", None, None, None, False, None, i) for i, w in enumerate("abc")
    ]
    assert marked_lines(words, "a b\nc") == [words[:2], words[2:]]
    assert marked_lines(words, "a b c d\ne") == [words]  # another text: no lines made up
    assert marked_lines(words, None) == [words]  # the piece is no longer shared


def test_a_blank_line_and_a_label_under_it_are_one_stanza_break() -> None:
    """QA: "Refrain:" under a blank line is no word, and the result showed two breaks."""
    from web.pages.text import MarkedWord, marked_lines

    words = [
        MarkedWord(w, "correct", "correct", None, None, None, False, None, i) for i, w in enumerate("abc")
    ]
    assert marked_lines(words, "a b\n\nRefrain:\nc") == [words[:2], [], words[2:]]


def test_a_result_with_a_word_missed_never_shows_100_percent(app: Flask) -> None:
    client = signed_in(app, "ada")
    long = " ".join(["The quick brown fox jumps over the lazy dog."] * 25)  # 225 words
    piece_id = add_piece(client, "Foxes", long)
    spoken = long.replace(".", "").split()
    del spoken[100]  # one word missed: 99.6% accurate
    attempt_id = done_attempt(app, "ada", piece_id, " ".join(spoken), text=long)
    scores = client.get(f"/attempts/{attempt_id}").text.split('class="scores"')[1].split("</dl>")[0]
    assert "<dt>Accuracy</dt><dd>99%</dd>" in scores and "<dt>Completeness</dt><dd>99%</dd>" in scores
    assert "<dt>Overall</dt><dd>99</dd>" in scores and "<dt>Fluency</dt><dd>100%</dd>" in scores
    table = client.get(f"/pieces/{piece_id}/history").text.split("<tbody>")[1]
    assert "<td>99%</td><td>99</td>" in table


def test_scores_are_rounded_but_never_to_a_perfect_or_empty_one() -> None:
    from web.pages.progress_words import score

    assert [score(v) for v in (0, 0.2, 0.6, 50.4, 98.6, 99.5, 99.6, 100)] == [
        "0", "1", "1", "50", "99", "99", "99", "100",
    ]  # fmt: skip


def test_another_learner_gets_not_found_for_a_result(app: Flask) -> None:
    owner = signed_in(app, "ada")
    attempt_id = done_attempt(app, "ada", add_piece(owner), "The Lord is my shepherd")
    other = signed_in(app, "bob")
    assert other.get(f"/attempts/{attempt_id}").status_code == 404
    assert other.get(f"/api/v1/attempts/{attempt_id}/recording").status_code == 404
    assert owner.get(f"/attempts/{uuid.uuid4()}").status_code == 404


def test_a_score_changed_by_improved_scoring_says_so(app: Flask) -> None:
    """QA: after a re-score the page went from 78% to 100% without a word."""
    from datetime import timedelta

    from shared.domain.clock import utcnow
    from tests.support.pages import TEXT
    from tests.support.results import scored_result, store_score

    client = signed_in(app, "ada")
    piece_id = add_piece(client)
    slip = "The Lord is my shepherd I shall not want He maketh me to lie down in great pastures"
    attempt_id = done_attempt(app, "ada", piece_id, slip)
    assert 'id="rescored"' not in client.get(f"/attempts/{attempt_id}").text
    with app.extensions["recital"].uow() as uow:  # the same words, scored again: no change to show
        store_score(uow, attempt_id, scored_result(TEXT, slip), "9999.1", utcnow() + timedelta(seconds=1))
        uow.commit()
    assert 'id="rescored"' not in client.get(f"/attempts/{attempt_id}").text
    right = slip.replace("great", "green")  # as if a new scoring heard the slip differently
    with app.extensions["recital"].uow() as uow:
        store_score(uow, attempt_id, scored_result(TEXT, right), "9999.2", utcnow() + timedelta(seconds=2))
        uow.commit()
    page = client.get(f"/attempts/{attempt_id}").text
    found = re.search(r'id="rescored"[^>]*>(.*?)</p>', page, re.S)
    assert found and "Scored again" in found[1]
    assert re.search(r"accuracy was 9\d% when you first read it, 100% now", " ".join(found[1].split()))
