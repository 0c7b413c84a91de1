"""Remembered pieces skip the lookup only for their owner."""

from __future__ import annotations

import uuid

from shared.services.known_ids import KnownIds


def test_a_piece_is_remembered_for_its_owner_only() -> None:
    known = KnownIds()
    piece, owner, other = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    assert not known.may_submit(piece, owner)
    known.remember_owner(piece, owner)
    assert known.may_submit(piece, owner)
    assert not known.may_submit(piece, other)  # looked up by the service: public, or not found
    assert not known.may_submit(uuid.uuid4(), owner)


def test_least_recently_used_is_dropped_at_capacity() -> None:
    known = KnownIds(capacity=2)
    pieces = [uuid.uuid4() for _ in range(3)]
    owner = uuid.uuid4()
    known.remember_owner(pieces[0], owner)
    known.remember_owner(pieces[1], owner)
    assert known.may_submit(pieces[0], owner)  # now the most recent
    known.remember_owner(pieces[2], owner)
    assert not known.may_submit(pieces[1], owner)
    assert known.may_submit(pieces[0], owner)


def test_forget() -> None:
    known = KnownIds()
    piece, owner = uuid.uuid4(), uuid.uuid4()
    known.remember_owner(piece, owner)
    known.forget(piece)
    assert not known.may_submit(piece, owner)
