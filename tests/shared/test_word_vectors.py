"""Near neighbours both ways in the vendored word vectors (shared/word_vectors.py)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np

from shared.domain.scoring import ScoringOptions, score_recitation
from shared.domain.transcript import SpokenWord, Transcript
from shared.sounds import MEANING_OR_SOUND
from shared.word_vectors import DATA, NEIGHBOURS_BOTH_WAYS, WordVectors
from shared.wordnet import RELATIONS


def test_the_vendored_file_is_the_one_the_manifest_records_with_its_licence() -> None:
    folder = DATA.parent
    manifest = json.loads((folder / "manifest.json").read_text())
    assert hashlib.sha256(DATA.read_bytes()).hexdigest() == manifest["sha256"]
    assert manifest["integrity"].startswith("sha512-") and manifest["version"] == "1.1.0"
    licence = (folder / "LICENSE.md").read_text()
    assert "GloVe" in licence and "Public Domain" in licence
    with np.load(DATA) as data:
        assert data["words"].shape == (manifest["words"],) and data["vectors"].dtype == np.int8


def test_near_synonyms_wordnet_does_not_link_are_neighbours_both_ways() -> None:
    for slip, word in (("gale", "storm"), ("freedoms", "rights")):
        assert not RELATIONS(slip, word), "WordNet links them now: pick another pair"
        assert NEIGHBOURS_BOTH_WAYS(slip, word) and NEIGHBOURS_BOTH_WAYS(word, slip)


def test_unrelated_short_and_unknown_words_are_not() -> None:
    assert not NEIGHBOURS_BOTH_WAYS("river", "garden")
    assert not NEIGHBOURS_BOTH_WAYS("market", "though")  # near one way only: "though" is near everything
    assert not NEIGHBOURS_BOTH_WAYS("ten", "time") and not NEIGHBOURS_BOTH_WAYS("storm", "storm")
    assert not NEIGHBOURS_BOTH_WAYS("xyzzyq", "storm")


def test_neighbours_come_from_the_file_given(tmp_path: Path) -> None:
    words = np.array(["gale", "storm", "river"])
    vectors = np.array([[127, 0], [120, 40], [0, 127]], dtype=np.int8)
    np.savez(tmp_path / "v.npz", words=words, vectors=vectors)
    small = WordVectors(tmp_path / "v.npz", neighbours=1)
    assert small("gale", "storm") and not small("gale", "river") and not small("storm", "river")


def test_a_near_synonym_said_before_the_word_is_a_repair() -> None:
    said = "and sore must be the gale storm that could abash the little bird"
    words = tuple(SpokenWord(w, 0.3 * k, 0.3 * k + 0.28) for k, w in enumerate(said.split()))
    piece = "And sore must be the storm That could abash the little bird"
    result = score_recitation(
        piece, Transcript(words, "offline", "t"), ScoringOptions(), related=MEANING_OR_SOUND
    )
    statuses = [(w.expected, w.status.value) for w in result.words]
    assert ("storm", "self_corrected") in statuses and all(s != "inserted" for _, s in statuses)
