"""WordNet as the repair rule's relation source: the real corpus from Debian, laid out for nltk."""

from __future__ import annotations

import nltk
import pytest

from shared.wordnet import RELATIONS, WordNetMissing, WordNetRelations, _open


def test_synonyms_and_near_synonyms_are_related_and_unrelated_words_are_not() -> None:
    related = (("weary", "tired"), ("spirit", "soul"), ("days", "times"), ("months", "years"), ("go", "walk"))
    for slip, word in related:
        assert RELATIONS(slip, word) and RELATIONS(word, slip), (slip, word)
    for slip, word in (("river", "garden"), ("rocket", "kingdom"), ("garden", "shepherd"), ("basket", "ago")):
        assert not RELATIONS(slip, word), (slip, word)


def test_inflected_forms_are_looked_up_by_their_lemma() -> None:
    assert RELATIONS("walked", "went") and RELATIONS("wearier", "tired")


def test_words_wordnet_does_not_know_are_unrelated() -> None:
    assert not RELATIONS("ishmael", "xyzzy")


def test_missing_corpus_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(nltk.data, "path", [str(tmp_path)])
    with pytest.raises(WordNetMissing, match="wordnet-base"):
        _open()
    with pytest.raises(WordNetMissing):
        WordNetRelations()("weary", "tired")


def test_relatives_are_the_words_it_relates_as_lemmas() -> None:
    # What an engine may offer as a slip for the word: each one the relation test takes.
    relatives = RELATIONS.relatives("help")
    assert {"aid", "assist"} <= relatives and "help" not in relatives
    assert all(RELATIONS(word, "help") for word in sorted(relatives)[:50])
    assert "garden" not in RELATIONS.relatives("river") and RELATIONS.relatives("xyzzy") == frozenset()
