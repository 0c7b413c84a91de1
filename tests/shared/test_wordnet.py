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


def test_relatives_are_the_words_it_relates_as_lemmas_nearest_first() -> None:
    # What an engine may offer as a slip for the word: synonyms, then words of a
    # linked sense, then noun siblings; each one the relation test takes.
    synonyms, linked, siblings = RELATIONS.relatives("help")
    assert {"aid", "assist"} <= synonyms and "help" not in synonyms | linked | siblings
    assert not synonyms & linked and not linked & siblings
    assert all(RELATIONS(word, "help") for tier in (synonyms, linked, siblings) for word in sorted(tier)[:20])
    assert all("garden" not in tier for tier in RELATIONS.relatives("river"))
    assert RELATIONS.relatives("xyzzy") == (frozenset(), frozenset(), frozenset())
