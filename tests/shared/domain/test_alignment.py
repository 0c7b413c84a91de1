"""Alignment and miscue refinement, below the scoring entry point."""

from __future__ import annotations

import random

from shared.domain.alignment import align_words
from shared.domain.miscues import judge, sound_key
from shared.domain.result import WordStatus
from shared.domain.text import parse_reference
from shared.domain.tokens import normalise_words
from shared.domain.transcript import SpokenWord

OK, SUB, OMIT, INS, REP, FIX = (
    WordStatus.CORRECT,
    WordStatus.SUBSTITUTED,
    WordStatus.OMITTED,
    WordStatus.INSERTED,
    WordStatus.REPEATED,
    WordStatus.SELF_CORRECTED,
)


def spoken_words(
    text: str, gaps: dict[int, float] | None = None, confidence: float | None = None
) -> list[SpokenWord]:
    """Words 0.3 s long, 0.05 s apart, with longer gaps before the given indices."""
    words, t = [], 0.0
    for i, w in enumerate(text.split()):
        t += (gaps or {}).get(i, 0.05)
        words.append(SpokenWord(w, t, t + 0.3, confidence))
        t += 0.3
    return words


def run(
    reference: str,
    said: str,
    gaps: dict[int, float] | None = None,
    confidence: float | None = None,
    marks: dict[int, str] | None = None,
) -> list[tuple[WordStatus, str | None, str | None]]:
    """(status, expected, spoken) for each aligned step; ``marks`` give heard
    words the engine's ``sounds_like``."""
    ref = parse_reference(reference).words
    heard = spoken_words(said, gaps, confidence)
    heard = [w._replace(sounds_like=(marks or {}).get(i)) for i, w in enumerate(heard)]
    tokens = normalise_words(w.text for w in heard)
    links = align_words(
        [w.forms for w in ref],
        [t.forms for t in tokens],
        [w.key for w in ref],
        [t.key for t in tokens],
    )
    judged = judge(links, [t.key for t in tokens], heard, [w.key for w in ref])
    return [
        (
            j.status,
            None if j.ref is None else ref[j.ref].display,
            " ".join(heard[k].text for k in j.spoken) or None,
        )
        for j in judged
    ]


def statuses(reference: str, said: str, **kwargs: object) -> list[WordStatus]:
    return [s for s, _, _ in run(reference, said, **kwargs)]  # type: ignore[arg-type]


def test_exact_reading_is_all_correct() -> None:
    assert statuses("The Lord is my shepherd.", "the lord is my shepherd") == [OK] * 5


def test_number_read_either_way_is_one_correct_word() -> None:
    ref = "In 1863 the war went on."
    for said in [
        "in eighteen sixty three the war went on",
        "in one thousand eight hundred and sixty three the war went on",
        "in 1863 the war went on",
    ]:
        result = run(ref, said)
        assert [s for s, _, _ in result] == [OK] * 6, said
    assert run(ref, "in eighteen sixty three the war went on")[1][2] == "eighteen sixty three"


def test_spoken_digits_match_several_reference_words() -> None:
    assert statuses("in eighteen sixty-three it ended", "in 1863 it ended") == [OK] * 5


def test_compound_written_apart_or_together() -> None:
    assert statuses("a well-known face", "a wellknown face") == [OK] * 3
    assert statuses("no any more", "no anymore") == [OK] * 3


def test_contraction_spoken_in_full() -> None:
    assert statuses("'Tis the season", "it is the season") == [OK] * 3


def test_omission_substitution_insertion() -> None:
    result = run("the quick brown fox jumps", "the quick red fox big jumps")
    assert result == [
        (OK, "the", "the"),
        (OK, "quick", "quick"),
        (SUB, "brown", "red"),
        (OK, "fox", "fox"),
        (INS, None, "big"),
        (OK, "jumps", "jumps"),
    ]
    assert statuses("the quick brown fox", "the brown fox") == [OK, OMIT, OK, OK]


def test_among_equally_few_edits_words_spelled_alike_are_paired() -> None:
    # Three substitutions and one extra word either way; the extra word is
    # the one least like any reference word, not simply the first.
    assert run("to be born and a time", "to be bond can is silver time") == [
        (OK, "to", "to"),
        (OK, "be", "be"),
        (SUB, "born", "bond"),
        (SUB, "and", "can"),
        (SUB, "a", "is"),
        (INS, None, "silver"),
        (OK, "time", "time"),
    ]
    assert run("walk home", "talk table home")[:2] == [(SUB, "walk", "talk"), (INS, None, "table")]
    assert run("walk home", "table talk home")[:2] == [(INS, None, "table"), (SUB, "walk", "talk")]


def test_repeated_word_is_not_an_error_and_first_copy_counts() -> None:
    result = run("the cat sat", "the the cat sat")
    assert [s for s, _, _ in result] == [OK, REP, OK, OK]
    assert result[1] == (REP, None, "the")


def test_repeated_phrase() -> None:
    said = "of the people by the people by the people for the people"
    assert statuses("of the people by the people for the people", said) == (
        [OK, OK, OK, OK, OK, OK, REP, REP, REP, OK, OK, OK]
    )


def test_restart_after_a_slip_is_a_self_correction() -> None:
    result = run("the weary traveller", "the tired the weary traveller")
    assert (FIX, "weary", "tired weary") in result
    assert [s for s, _, _ in result] == [OK, REP, FIX, OK]


def test_misreading_then_right_word_is_self_corrected() -> None:
    assert run("the weary man", "the wary weary man")[1] == (FIX, "weary", "wary weary")
    assert run("and the man", "and a the man")[1] == (FIX, "the", "a the")


def test_paraphrase_then_right_word_after_a_pause_is_self_corrected() -> None:
    result = run("the weary man", "the tired weary man", gaps={2: 0.6})
    assert result[1] == (FIX, "weary", "tired weary")


def test_unrelated_extra_word_without_pause_stays_inserted() -> None:
    assert statuses("the cat sat", "the big cat sat") == [OK, INS, OK, OK]


def test_homophone_is_accepted_but_function_word_swap_is_not() -> None:
    assert statuses("over there", "over their") == [OK, OK]
    assert statuses("over there", "over their", confidence=0.2) == [OK, SUB]
    assert statuses("in the house", "in a house", confidence=1.0) == [OK, SUB, OK]


def test_near_homophone_needs_a_confident_engine() -> None:
    assert sound_key("weary") == sound_key("wary")
    assert statuses("weary souls", "wary souls", confidence=0.95) == [OK, OK]
    assert statuses("weary souls", "wary souls", confidence=0.6) == [SUB, OK]
    assert statuses("weary souls", "wary souls") == [SUB, OK]
    assert statuses("the heavens", "the heaven", confidence=0.99) == [OK, SUB]


def test_a_sound_alike_the_engine_found_fits_the_expected_word_is_accepted() -> None:
    assert statuses("restoreth my soul", "restoreth my sell", marks={2: "soul"}) == [OK, OK, OK]
    # Marked with the piece's spelling of the word: case and punctuation do not matter.
    assert statuses("The Lord is", "the large is", marks={1: "lord"}) == [OK, OK, OK]


def test_a_sound_alike_without_the_engines_mark_or_marked_for_another_word_stays_wrong() -> None:
    assert statuses("restoreth my soul", "restoreth my sell") == [OK, OK, SUB]
    assert statuses("restoreth my soul", "restoreth my sell", marks={2: "sole"}) == [OK, OK, SUB]


def test_omitted_line_snaps_to_the_line_it_belongs_to() -> None:
    reference = parse_reference("He maketh me lie down.\nhe leadeth me.").words
    heard = normalise_words("he leadeth me".split())
    args = (
        [w.forms for w in reference],
        [t.forms for t in heard],
        [w.key for w in reference],
        [t.key for t in heard],
    )
    snapped = align_words(*args, boundaries=frozenset({0, 5})).links
    assert [(link.status, link.ref) for link in snapped] == [
        (OMIT, 0),
        (OMIT, 1),
        (OMIT, 2),
        (OMIT, 3),
        (OMIT, 4),
        (OK, 5),
        (OK, 6),
        (OK, 7),
    ]
    assert snapped[5].spoken == (0,)


def _long_text(words: int, seed: int) -> list[str]:
    """Deterministic prose from a tiny vocabulary, so common words recur everywhere."""
    rng = random.Random(seed)
    vocab = "the of and to a in that is was he for it with as his on be at by we".split()
    vocab += "nation people liberty war field men great dead living world".split()
    return [rng.choice(vocab) for _ in range(words)]


def test_skipped_paragraph_costs_only_its_words() -> None:
    words = _long_text(3000, seed=3)
    skipped = range(1400, 1520)  # a 120-word paragraph
    said = " ".join(w for i, w in enumerate(words) if i not in skipped)
    result = statuses(" ".join(words), said)
    assert result.count(OMIT) == len(skipped)
    assert result.count(OK) == len(words) - len(skipped)
    assert len(result) == len(words)


def test_skipped_line_among_other_miscues_does_not_cascade() -> None:
    words = _long_text(3000, seed=5)
    said = list(words)
    del said[2000:2012]  # a skipped line
    said[500] = "zebra"  # a substitution
    said.insert(1000, "quite")  # an insertion
    result = statuses(" ".join(words), " ".join(said))
    assert result.count(OMIT) == 12
    assert result.count(SUB) == 1
    assert result.count(INS) == 1
    assert result.count(OK) == 3000 - 13


def test_unmatched_lists_every_step_that_is_not_a_match_also_after_snapping() -> None:
    """Later passes start from ``unmatched`` instead of rescanning the links."""
    rng = random.Random(11)
    shifted = 0
    for seed in range(40):
        words = _long_text(300, seed)
        said = [w for w in words if rng.random() > 0.08]  # omissions, often beside equal words
        said = [rng.choice(["zebra", w]) if rng.random() < 0.05 else w for w in said]
        said.insert(rng.randrange(len(said)), "quite")  # an insertion
        ref, heard = parse_reference(" ".join(words)), normalise_words(said)
        args = (ref.forms, [t.forms for t in heard], ref.keys, [t.key for t in heard])
        unsnapped = align_words(*args)
        alignment = align_words(*args, boundaries=frozenset(range(0, 300, 7)))
        shifted += alignment.links != unsnapped.links
        assert alignment.unmatched == [k for k, link in enumerate(alignment.links) if link.status is not OK]
        assert unsnapped.unmatched == [k for k, link in enumerate(unsnapped.links) if link.status is not OK]
    assert shifted  # the snapping moved omissions in some of these cases
