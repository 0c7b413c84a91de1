"""Where an extra word may be a slip for the piece word heard after it (pure text)."""

from __future__ import annotations

from shared.transcription.offline.second_look.extra_slip_spots import ExtraSlip, candidates, extra_slip_spots

PIECE = "thy kingdom come thy will be done".split()


def _related(slip: str, word: str) -> bool:
    return (slip, word) in {("king", "kingdom"), ("realm", "kingdom"), ("kingdoms", "kingdom")}


def test_one_extra_word_right_before_the_piece_word_is_a_spot() -> None:
    assert extra_slip_spots("thy came kingdom come".split(), PIECE) == [ExtraSlip(1, "kingdom")]


def test_a_replaced_word_two_extra_words_or_an_extra_word_at_the_end_are_not_spots() -> None:
    assert extra_slip_spots("thy came come thy".split(), PIECE) == []  # "came" stands for "kingdom"
    assert extra_slip_spots("thy a came kingdom come".split(), PIECE) == []
    assert extra_slip_spots("thy kingdom come thy will be done amen".split(), PIECE) == []


def test_a_copy_of_a_neighbour_is_a_repetition_not_a_spot() -> None:
    assert extra_slip_spots("thy thy kingdom come".split(), PIECE) == []
    assert extra_slip_spots("thy kingdom kingdom come".split(), PIECE) == []


def test_a_function_word_heard_twice_is_a_spot_for_the_word_after_it() -> None:
    # "their *fair* just" heard "their their just": the second copy may be the slip.
    piece = "men deriving their just powers".split()
    assert extra_slip_spots("men deriving their their just powers".split(), piece) == [ExtraSlip(3, "just")]
    assert extra_slip_spots("in the the end".split(), "in the end".split()) == [ExtraSlip(2, "end")]
    assert extra_slip_spots("in the the".split(), "in the".split()) == []  # nothing after it


def test_a_filler_is_not_an_extra_word() -> None:
    assert extra_slip_spots("thy um kingdom come".split(), PIECE) == []


def test_candidates_are_the_offered_words_that_stand_for_the_word_in_order() -> None:
    offered = ["kingdoms", "realm", "river", "king", "realm"]
    assert candidates("kingdom", "came", offered, _related, 5) == ["kingdoms", "realm", "king"]
    assert candidates("kingdom", "came", offered, _related, 2) == ["kingdoms", "realm"]


def test_no_candidates_when_the_heard_word_already_stands_for_the_word() -> None:
    assert candidates("kingdom", "king", ["realm"], _related, 5) == []
