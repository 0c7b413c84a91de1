"""Remembered ids skip the lookup only when both the piece and the learner are known."""

from __future__ import annotations

import uuid

from shared.services.known_ids import KnownIds


def test_needs_both_piece_and_handle() -> None:
    known = KnownIds()
    piece, learner = uuid.uuid4(), uuid.uuid4()
    assert known.learner_for(piece, "ada") is None
    known.remember(piece, "ada", learner)
    assert known.learner_for(piece, "ada") == learner
    assert known.learner_for(uuid.uuid4(), "ada") is None  # unknown piece: look it up
    assert known.learner_for(piece, "bob") is None


def test_least_recently_used_is_dropped_at_capacity() -> None:
    known = KnownIds(capacity=2)
    pieces = [uuid.uuid4() for _ in range(3)]
    learner = uuid.uuid4()
    known.remember(pieces[0], "ada", learner)
    known.remember(pieces[1], "ada", learner)
    assert known.learner_for(pieces[0], "ada") == learner  # now the most recent
    known.remember(pieces[2], "ada", learner)
    assert known.learner_for(pieces[1], "ada") is None
    assert known.learner_for(pieces[0], "ada") == learner


def test_forget_drops_both() -> None:
    known = KnownIds()
    piece = uuid.uuid4()
    known.remember(piece, "ada", uuid.uuid4())
    known.forget(piece, "ada")
    assert known.learner_for(piece, "ada") is None
