"""The write path's JSON is the contract's ``to_dict()``, key for key and in order."""

from __future__ import annotations

import json
from typing import Any

import orjson
import pytest

from shared.db.result_json import result_json
from shared.domain.result import ScoredAttempt
from shared.domain.scoring import score_recitation
from shared.domain.transcript import SpokenWord, Transcript

PIECE = "The Lord is my shepherd; I shall not want.\n\nHe restoreth my soul: café, naïve — 1863."


def _scored(said: str, pauses: list[tuple[float, float]] | None = None) -> ScoredAttempt:
    words = [SpokenWord(w, k * 0.4, k * 0.4 + 0.35) for k, w in enumerate(said.split())]
    return score_recitation(PIECE, Transcript.of(words, "golden", "golden"), pauses=pauses, duration=30.0)


CASES = {
    "clean": "the lord is my shepherd i shall not want he restoreth my soul cafe naive eighteen sixty three",
    "miscues": "a lord um is my sheep shepherd banana i shall want he soul café",
    "nothing_said": "",
}


def _keys(value: Any) -> Any:
    """Every object's keys in order, all the way down."""
    if isinstance(value, dict):
        return [(k, _keys(v)) for k, v in value.items()]
    if isinstance(value, list):
        return [_keys(v) for v in value]
    return None


@pytest.mark.parametrize("said", CASES.values(), ids=CASES.keys())
def test_the_json_is_the_contract_dict(said: str) -> None:
    scored = _scored(said, pauses=[(0.8, 4.5)] if said else None)
    expected = json.loads(json.dumps(scored.to_dict()))
    written = orjson.loads(result_json(scored))
    assert written == expected
    assert _keys(written) == _keys(expected)


def test_words_hesitations_and_sections_are_all_written() -> None:
    written = orjson.loads(result_json(_scored(CASES["miscues"], pauses=[(0.8, 4.5)])))
    assert {w["status"] for w in written["words"]} >= {"correct", "substituted", "omitted", "inserted"}
    assert written["hesitations"] and written["hesitations"][0]["duration"] == 3.7
    assert [s["index"] for s in written["sections"]] == [0, 1]
