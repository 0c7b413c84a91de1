"""The two forms of a transcript's words (shared.domain.transcript): one object
per word (``to_dict``, ``--transcript-json``) and by field (``to_stored``, the
``transcripts`` table); ``from_dict`` reads both to the same transcript."""

from __future__ import annotations

import orjson
import pytest

from shared.domain.transcript import SpokenWord, Transcript

WORDS = (
    SpokenWord("the", 0.17, 0.31, 0.9282109314077832),
    SpokenWord("lord", 0.31, 0.75, 1.0),
    SpokenWord("lord", 1.4, 1.8, 0.61, unlike_previous=True),
    SpokenWord("sell", 1.8, 2.2, None, sounds_like="soul"),
    SpokenWord("is", 2.2, 2.4),
)
TRANSCRIPT = Transcript(WORDS, "offline", "m", extra={"snr_db": 30.5}, recognition_version="v")


def _columns(**columns: object) -> dict[str, object]:
    return {"word_columns": {"text": ["a", "b"], "start": [0.0, 0.5], "end": [0.5, 1.0], **columns}}


def test_the_stored_form_reads_back_to_the_same_transcript_through_json() -> None:
    stored = orjson.loads(orjson.dumps(TRANSCRIPT.to_stored()))
    assert Transcript.from_dict(stored) == TRANSCRIPT
    assert Transcript.from_dict(TRANSCRIPT.to_dict()) == TRANSCRIPT


def test_the_stored_form_keeps_the_words_by_field_with_sparse_flags_and_no_text() -> None:
    stored = TRANSCRIPT.to_stored()
    assert "words" not in stored and "text" not in stored
    columns = stored["word_columns"]
    assert columns["text"] == ["the", "lord", "lord", "sell", "is"]
    assert columns["confidence"] == [0.9282109314077832, 1.0, 0.61, None, None]
    assert columns["unlike_previous"] == [2]
    assert columns["sounds_like"] == {"3": "soul"}


def test_without_flags_the_stored_form_has_no_flag_columns() -> None:
    plain = Transcript(tuple(w._replace(unlike_previous=False, sounds_like=None) for w in WORDS), "e", "m")
    assert set(plain.to_stored()["word_columns"]) == {"text", "start", "end", "confidence"}


def test_the_stored_form_is_much_smaller_than_one_object_per_word() -> None:
    times = [(round(i * 0.3, 2), round(i * 0.3 + 0.3, 2)) for i in range(180)]
    many = Transcript(tuple(WORDS[0]._replace(start=a, end=b) for a, b in times), "e", "m")
    assert len(orjson.dumps(many.to_stored())) < 0.5 * len(orjson.dumps(many.to_dict()))


def test_a_column_form_without_confidences_reads_as_unmeasured() -> None:
    words = Transcript.from_dict(_columns(unlike_previous=[1])).words
    assert [w.confidence for w in words] == [None, None]
    assert [w.unlike_previous for w in words] == [False, True]
    assert all(isinstance(w.start, float) for w in Transcript.from_dict(_columns(start=[0, 1])).words)


@pytest.mark.parametrize(
    ("columns", "message"),
    [
        ({"end": [0.5]}, "differ in length"),
        ({"text": ["a", 2]}, "not a string"),
        ({"start": [0.0, 1.5]}, "ends before it starts"),
        ({"start": "0 0.5"}, "start is not a list"),
        ({"end": [0.5, "late"]}, "could not convert"),
        ({"unlike_previous": [-1]}, "no word -1"),
        ({"unlike_previous": [2]}, "no word 2"),
        ({"sounds_like": {"7": "x"}}, "no word '7'"),
        ({"sounds_like": ["x"]}, "sounds_like is not an object"),
    ],
)
def test_a_malformed_column_form_is_refused_with_the_reason(columns: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Transcript.from_dict(_columns(**columns))


def test_word_columns_that_are_not_an_object_are_refused() -> None:
    with pytest.raises(ValueError, match="not an object"):
        Transcript.from_dict({"word_columns": [["a", 0.0, 0.5]]})
