"""Which slip may stand for a word, so that saying it right before the word is a repair.

A learner who says "the best of days times" repaired "days": the extra word
could stand for the piece word after it. "the river garden" for "the garden"
did not: "river" could not stand for "garden", so it stays an inserted word.
``shared.domain.repairs`` asks this for every extra word before a right one.
"""

from __future__ import annotations

from rapidfuzz import fuzz

from shared.domain.function_words import FUNCTION_WORDS, REPAIR_MATES, said_for
from shared.domain.relations import WordRelations

SELF_CORRECTION_SIMILARITY = 50.0  # rapidfuzz ratio: a misreading of the same word
# Shorter content words share half their letters with too many others ("ten" and
# "time"), as the sound relation finds (shared.sounds.MIN_LETTERS).
MIN_SPELLED_LETTERS = 4


def stands_for(slip: str, expected: str, related: WordRelations) -> bool:
    """Could the slip stand for the expected word, so that saying it right
    before that word is a repair, with or without a pause (since 2026.12.1)?

    A misreading of the same word (spelling similarity: sounds or starts
    like it; not a content word for a function word), a function word for
    one of its wider grammatical class ("a" then "the", "upon" then "on";
    not "and" then "when", see
    ``REPAIR_CLASSES``), or a synonym or near synonym of a content word
    (``related``, WordNet in the pipeline). Otherwise the extra word is a repaired slip only
    after a restart or with a pause before the repair (see ``_try_merge``).
    """
    if said_for(slip, expected):
        return True
    slip_function = slip in FUNCTION_WORDS or slip in REPAIR_MATES
    expected_function = expected in FUNCTION_WORDS or expected in REPAIR_MATES
    # Spelled alike, unless a content word is spelled like a short function word
    # ("whether" then "with": the letters of "with" are in many words; 2026.12.2)
    # or either content word is shorter than four letters ("ten" then "time"; 2026.12.5).
    if fuzz.ratio(slip, expected) >= SELF_CORRECTION_SIMILARITY and (
        slip_function or (not expected_function and min(len(slip), len(expected)) >= MIN_SPELLED_LETTERS)
    ):
        return True
    if slip_function or expected_function:
        return False  # a function word stands only for one of its wider class
    return related(slip, expected)
