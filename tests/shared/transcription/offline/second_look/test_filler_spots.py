"""Where the offline engine decodes again beside a heard filler (pure text)."""

from __future__ import annotations

from shared.transcription.offline.second_look.filler_spots import FillerWindow, filler_windows, window_grammar

PIECE = "to be born and a time to die and a time to plant".split()


def _windows(heard: str) -> list[tuple[list[str], tuple[str, ...]]]:
    words = heard.split()
    return [(words[w.first : w.last], w.expected) for w in filler_windows(words, PIECE)]


def test_words_lost_beside_a_filler_make_a_window_with_the_piece_words() -> None:
    assert _windows("to be born um to time to die and a time to plant") == [(["um", "to"], ("and", "a"))]


def test_a_wrong_word_before_the_filler_is_in_the_window() -> None:
    assert _windows("to be corn uh and a time to die and a time to plant") == [(["corn", "uh"], ("born",))]


def test_a_filler_between_words_heard_right_needs_no_second_look() -> None:
    assert _windows("to be born um and a time to die and a time to plant") == []
    assert _windows("um to be born and a time to die and a time to plant uh") == []


def test_differences_away_from_any_filler_are_left_to_the_scorer() -> None:
    assert _windows("to be corn and a time um to die and a time to plant") == []
    assert _windows("to be born and a time to die and a time to plant") == []


def test_an_extra_word_beside_a_filler_is_not_decoded_again() -> None:
    # An inserted word costs no accuracy; offering to drop it could only hide it.
    assert _windows("to be born um well and a time to die and a time to plant") == []


def test_a_long_difference_is_a_skip_not_a_merged_filler() -> None:
    assert _windows("to be born um to plant") == []


def test_a_run_of_fillers_is_one_window() -> None:
    words = "to be born um uh to time to die and a time to plant".split()
    assert filler_windows(words, PIECE) == [FillerWindow(3, 6, ("and", "a"))]


def test_the_grammar_offers_what_was_heard_or_the_piece_with_optional_fillers() -> None:
    grammar = window_grammar(["to", "be"], ["um", "to"], ("and", "a"), ["time"])
    assert "<filler> = uh | um;" in grammar
    piece_side = "[<filler>] and [<filler>] a [<filler>]"
    assert f"public <window> = to be ( ( um to ) | ( {piece_side} ) ) time;" in grammar


def test_a_copy_unlike_the_word_it_copies_is_looked_at_like_a_filler() -> None:
    # "to, uh, be born" heard "to to born": the filler heard as a copy.
    words = "to be born and a time to to time to plant".split()
    piece = "to be born and a time to die and a time to plant".split()
    assert filler_windows(words, piece) == []
    assert filler_windows(words, piece, unlike_copies=[7]) == [FillerWindow(7, 8, ("die", "and", "a"))]


def test_an_unlike_copy_that_loses_no_piece_word_is_a_slip_left_to_the_scorer() -> None:
    # "can [pocket] can long" heard "can can long": the repair shape.
    words = "we can can long endure".split()
    assert filler_windows(words, "we can long endure".split(), unlike_copies=[2]) == []


def test_a_filler_that_is_a_word_of_the_piece_is_a_word() -> None:
    piece = "ah what a time it was".split()
    assert filler_windows("ah what a time it was".split(), piece) == []
    assert filler_windows("ah what a dime it was".split(), piece) == []


def test_a_paused_function_word_for_another_function_word_is_looked_at() -> None:
    # "finish, uh, the work" heard "finish a work".
    words = "to finish a work we are in".split()
    piece = "to finish the work we are in".split()
    assert filler_windows(words, piece) == []
    assert filler_windows(words, piece, paused_function_words=[2]) == [FillerWindow(2, 3, ("the",))]


def test_a_paused_function_word_for_a_content_word_is_never_offered_back() -> None:
    # A paraphrase heard as "the" must not come back as the piece's word.
    words = "though i the through the valley".split()
    piece = "though i walk through the valley".split()
    assert filler_windows(words, piece, paused_function_words=[2]) == []
