"""The piece's language model, as text: no decoder needed."""

from __future__ import annotations

import re

import pytest

from shared.domain.function_words import CLASS_MATES
from shared.transcription.offline.piece_model import (
    FILLER_SOUNDS,
    SWAP_SHARE,
    cue_tokens,
    piece_arpa,
    piece_tokens,
    sentences,
)

PIECE = (
    "The Lord is my shepherd; I shall not want. He maketh me to lie down in green pastures: "
    "he leadeth me beside the still waters. He restoreth my soul."
)


def _section(arpa: str, order: int) -> dict[str, float]:
    """The n-grams of one order, with their log10 probabilities."""
    text = arpa.split(f"\\{order}-grams:")[1].split("\\")[0]
    rows = (line.split("\t") for line in text.strip().splitlines())
    return {row[1]: float(row[0]) for row in rows}


def test_accented_words_are_whole_words_for_the_model_as_the_scorer_reads_them() -> None:
    # QA: "café's naïve Zoë" gave "caf", "s", "na", "ve", "zo": fragments the engine then heard.
    tokens = piece_tokens("The café's naïve façade, said Zoë at the soirée.")
    assert tokens == ["the", "cafe's", "naive", "facade", "said", "zoe", "at", "the", "soiree", "</s>"]


def test_numbers_in_the_piece_are_read_out_for_the_model() -> None:
    # Digits left out of the piece model made a correct reading of "the 4th"
    # come out as "the far" (measured in bench/eval, numbers text).
    tokens = piece_tokens("On the 4th of July 1776, at 9:30. It cost 3.5 dollars.")
    assert tokens[:8] == ["on", "the", "fourth", "of", "july", "seventeen", "seventy", "six"]
    assert "nine" in tokens and "thirty" in tokens
    assert ["three", "point", "five"] == tokens[tokens.index("cost") + 1 : tokens.index("cost") + 4]
    assert tokens.count("</s>") == 2  # neither the time's colon nor the decimal point ends a sentence


def test_piece_model_offers_filler_words() -> None:
    arpa = piece_arpa(sentences(piece_tokens(PIECE)), [("the", 1.0)], 0.2)
    unigrams = arpa.split("\\2-grams:")[0]
    for word in FILLER_SOUNDS:
        assert re.search(rf"\t{word}\t", unigrams)


def test_a_filler_keeps_the_piece_context_for_the_next_word() -> None:
    arpa = piece_arpa(sentences(piece_tokens("that kept so many warm")), [("the", 1.0)], 0.2)
    bigrams = arpa.split("\\2-grams:")[1].split("\\3-grams:")[0]
    trigrams = arpa.split("\\3-grams:")[1]
    kept_so = float(re.search(r"\n(-?[\d.]+)\tkept so\t", bigrams).group(1))  # type: ignore[union-attr]
    for word in FILLER_SOUNDS:
        assert re.search(rf"\tkept {word}\t", bigrams)
        after = re.search(rf"\n(-?[\d.]+)\tkept {word} so\n", trigrams)
        assert after is not None and float(after.group(1)) == kept_so


def test_every_transition_can_back_off_so_a_skip_stays_reachable() -> None:
    arpa = piece_arpa(sentences(piece_tokens(PIECE)), [("the", 0.5), ("bread", 0.5)], 0.2)
    unigrams = _section(arpa, 1)
    assert "bread" in unigrams  # a generic word the piece never says
    backoff_rows = arpa.split("\\2-grams:")[1].split("\\3-grams:")[0].strip().splitlines()
    assert all(len(row.split("\t")) == 3 for row in backoff_rows)  # every bigram has a backoff weight
    # The piece's next word is likely, but not certain: discounting left mass for the rest.
    assert -1.0 < _section(arpa, 2)["lord is"] < 0.0


def test_a_function_word_lends_probability_to_its_class_mates() -> None:
    arpa = piece_arpa(sentences(piece_tokens("the lord is my shepherd")), [("the", 1.0)], 0.2)
    bigrams = _section(arpa, 2)
    mine, thine = 10 ** bigrams["is my"], 10 ** bigrams["is thy"]
    # The expected word keeps 1 - share; each class-mate gets an even part of the share.
    expected_ratio = SWAP_SHARE / (len(CLASS_MATES["my"]) * (1 - SWAP_SHARE))
    assert thine / mine == pytest.approx(expected_ratio, rel=1e-3)
    # The word after a swapped one keeps the piece's context.
    assert _section(arpa, 3)["is thy shepherd"] == _section(arpa, 3)["is my shepherd"]


def test_numerals_and_spelled_out_letters_reach_the_model_as_the_scorer_reads_them() -> None:
    words = piece_tokens("Henry VIII met Æsop. Act II, Scene I. Psalm 23:1 I shall not want")
    assert words == [
        "henry", "the", "eighth", "met", "aesop", "</s>", "act", "two", "scene", "one", "</s>",
        "psalm", "twenty", "three", "one", "i", "shall", "not", "want", "</s>",
    ]  # fmt: skip


def test_elisions_and_ampersands_reach_the_model_as_their_words() -> None:
    """Before: "'n'" gave the model the letter n, and "&" nothing; the engine then
    heard "two and a half" as "two n a half" and the alignment went astray."""
    assert piece_tokens("rock \u2019n\u2019 roll & i' the wind, o' the clock, I, O!") == [
        "rock", "and", "roll", "and", "in", "the", "wind", "of", "the", "clock", "i", "o", "</s>",
    ]  # fmt: skip


def test_no_before_a_number_is_number_and_no_sentence_break() -> None:
    """Before: "No. 10" ended a sentence at "no" for the model while the scorer read
    "number ten" in one sentence; "no." at a sentence's end still ends it."""
    assert piece_tokens("He lived at No. 10 Downing Street. Nos. 3 and 4, I said no. Then") == [
        "he", "lived", "at", "number", "ten", "downing", "street", "</s>",
        "numbers", "three", "and", "four", "i", "said", "no", "</s>", "then", "</s>",
    ]  # fmt: skip


def test_cues_reach_the_model_as_sentences_of_their_own_and_not_the_pieces_sequence() -> None:
    text = "[Chorus]\n1. Love is patient,\n2. love is kind."
    assert cue_tokens(text) == ["chorus", "</s>", "one", "</s>", "two", "</s>"]
    assert piece_tokens(text) == ["love", "is", "patient", "</s>", "love", "is", "kind", "</s>"]
    assert cue_tokens("Love is patient, love is kind.") == []
