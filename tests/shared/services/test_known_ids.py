"""Remembered pieces skip the lookup only for a user the piece lets submit."""

from __future__ import annotations

import uuid

from shared.services.known_ids import KnownIds


def test_a_private_piece_is_remembered_for_its_owner_only() -> None:
    known = KnownIds()
    piece, owner, other = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    assert not known.may_submit(piece, owner)
    known.remember(piece, owner, public=False)
    assert known.may_submit(piece, owner)
    assert not known.may_submit(piece, other)  # looked up, and refused, by the service
    assert not known.may_submit(uuid.uuid4(), owner)


def test_a_public_or_ownerless_piece_is_open_to_everyone() -> None:
    known = KnownIds()
    public, ownerless = uuid.uuid4(), uuid.uuid4()
    known.remember(public, uuid.uuid4(), public=True)
    known.remember(ownerless, None, public=True)
    assert known.may_submit(public, uuid.uuid4()) and known.may_submit(ownerless, uuid.uuid4())


def test_least_recently_used_is_dropped_at_capacity() -> None:
    known = KnownIds(capacity=2)
    pieces = [uuid.uuid4() for _ in range(3)]
    owner = uuid.uuid4()
    known.remember(pieces[0], owner, public=False)
    known.remember(pieces[1], owner, public=False)
    assert known.may_submit(pieces[0], owner)  # now the most recent
    known.remember(pieces[2], owner, public=False)
    assert not known.may_submit(pieces[1], owner)
    assert known.may_submit(pieces[0], owner)


def test_forget() -> None:
    known = KnownIds()
    piece, owner = uuid.uuid4(), uuid.uuid4()
    known.remember(piece, owner, public=False)
    known.forget(piece)
    assert not known.may_submit(piece, owner)
