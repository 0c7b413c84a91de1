"""What every upload would otherwise look up: may this user submit to this piece.

A piece's visibility and owner never change (its owner leaving turns a public
piece ownerless, still public), so a yes, once seen, stays a yes. A deleted
piece or user is caught by the attempt row's foreign keys on insert, so a
remembered answer cannot attach an attempt to a missing row; it only saves
the lookup query (a round trip per upload). One per database, kept by the
container.
"""

from __future__ import annotations

import threading
import uuid
from collections import OrderedDict

PUBLIC = uuid.UUID(int=0)


class KnownIds:
    def __init__(self, capacity: int = 10_000) -> None:
        self._capacity = capacity
        self._owners: OrderedDict[uuid.UUID, uuid.UUID] = OrderedDict()  # piece -> owner, or PUBLIC
        self._lock = threading.Lock()

    def may_submit(self, piece_id: uuid.UUID, user_id: uuid.UUID) -> bool:
        with self._lock:
            owner = self._owners.get(piece_id)
            if owner is None:
                return False
            self._owners.move_to_end(piece_id)
            return owner in (PUBLIC, user_id)

    def remember(self, piece_id: uuid.UUID, owner_id: uuid.UUID | None, public: bool) -> None:
        with self._lock:
            self._owners[piece_id] = PUBLIC if public or owner_id is None else owner_id
            while len(self._owners) > self._capacity:
                self._owners.popitem(last=False)

    def forget(self, piece_id: uuid.UUID) -> None:
        with self._lock:
            self._owners.pop(piece_id, None)
