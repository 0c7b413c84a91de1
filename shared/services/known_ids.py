"""What every upload would otherwise look up: does this piece exist, which
learner is this handle.

Both answers, once true, stay true: pieces and learners are never deleted and a
handle never changes owner. The attempt row's foreign keys check both again
on insert, so a remembered answer cannot attach an attempt to a missing row;
it only saves the lookup query (a round trip per upload). One per database,
kept by the container.
"""

from __future__ import annotations

import threading
import uuid
from collections import OrderedDict


class KnownIds:
    def __init__(self, capacity: int = 10_000) -> None:
        self._capacity = capacity
        self._pieces: OrderedDict[uuid.UUID, None] = OrderedDict()
        self._learners: OrderedDict[str, uuid.UUID] = OrderedDict()
        self._lock = threading.Lock()

    def learner_for(self, piece_id: uuid.UUID, handle: str) -> uuid.UUID | None:
        """The learner's id if both the piece and the handle are known, else None."""
        with self._lock:
            if piece_id not in self._pieces or handle not in self._learners:
                return None
            self._pieces.move_to_end(piece_id)
            self._learners.move_to_end(handle)
            return self._learners[handle]

    def remember(self, piece_id: uuid.UUID, handle: str, learner_id: uuid.UUID) -> None:
        with self._lock:
            self._pieces[piece_id] = None
            self._learners[handle] = learner_id
            for known in (self._pieces, self._learners):
                while len(known) > self._capacity:
                    known.popitem(last=False)

    def forget(self, piece_id: uuid.UUID, handle: str) -> None:
        with self._lock:
            self._pieces.pop(piece_id, None)
            self._learners.pop(handle, None)
