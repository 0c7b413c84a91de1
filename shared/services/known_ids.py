"""What every upload would otherwise look up: may this user submit to this piece.

Only an owner's yes is remembered. A piece's owner never changes while it
exists (an owner leaving deletes their private pieces and leaves public
ones ownerless, and the owner is gone), so that yes stays a yes. Its
visibility may change (``PATCH /api/v1/pieces/{id}``: a public piece made
private), and several web processes each keep their own memory, so anyone
else's yes is looked up on every upload. A deleted piece is caught by the
attempt row's foreign key on insert, so a remembered answer cannot attach
an attempt to a missing row; it only saves the lookup query (a round trip
per upload). One per database, kept by the container.
"""

from __future__ import annotations

import threading
import uuid
from collections import OrderedDict


class KnownIds:
    def __init__(self, capacity: int = 10_000) -> None:
        self._capacity = capacity
        self._owners: OrderedDict[uuid.UUID, uuid.UUID] = OrderedDict()  # piece -> owner
        self._lock = threading.Lock()

    def may_submit(self, piece_id: uuid.UUID, user_id: uuid.UUID) -> bool:
        with self._lock:
            owner = self._owners.get(piece_id)
            if owner is None:
                return False
            self._owners.move_to_end(piece_id)
            return owner == user_id

    def remember_owner(self, piece_id: uuid.UUID, owner_id: uuid.UUID) -> None:
        with self._lock:
            self._owners[piece_id] = owner_id
            while len(self._owners) > self._capacity:
                self._owners.popitem(last=False)

    def forget(self, piece_id: uuid.UUID) -> None:
        with self._lock:
            self._owners.pop(piece_id, None)
